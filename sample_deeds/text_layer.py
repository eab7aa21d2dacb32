"""The exact text of composed pages as an AnalyzeDocument-shaped response (PAGE, LINE, WORD).

Not OCR: the generator knows what it printed and where. Tests use it to exercise the
extraction rules quickly and deterministically, separately from OCR errors.
"""

from __future__ import annotations

import uuid

from sample_deeds.fonts import text_width_inches
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Page, Text


def _box(left: float, top: float, width: float, height: float) -> dict:
    return {
        "BoundingBox": {"Left": left, "Top": top, "Width": width, "Height": height},
        "Polygon": [
            {"X": left, "Y": top},
            {"X": left + width, "Y": top},
            {"X": left + width, "Y": top + height},
            {"X": left, "Y": top + height},
        ],
    }


def textract_response(pages: list[Page]) -> dict:
    blocks: list[dict] = []
    for number, page in enumerate(pages, start=1):
        page_block = {
            "BlockType": "PAGE",
            "Id": str(uuid.uuid4()),
            "Page": number,
            "Geometry": _box(0, 0, 1, 1),
            "Relationships": [{"Type": "CHILD", "Ids": []}],
        }
        blocks.append(page_block)
        texts = sorted((i for i in page.items if isinstance(i, Text)), key=lambda t: (round(t.y, 2), t.x))
        for item in texts:
            height = item.points / 72 / PAGE_HEIGHT
            line_width = text_width_inches(item.text, page.family, item.role, item.points) / PAGE_WIDTH
            line = {
                "BlockType": "LINE",
                "Id": str(uuid.uuid4()),
                "Page": number,
                "Confidence": 99.0,
                "Text": item.text,
                "Geometry": _box(item.x / PAGE_WIDTH, item.y / PAGE_HEIGHT, line_width, height),
                "Relationships": [{"Type": "CHILD", "Ids": []}],
            }
            cursor = item.x
            for word in item.text.split():
                width = text_width_inches(word, page.family, item.role, item.points)
                word_block = {
                    "BlockType": "WORD",
                    "Id": str(uuid.uuid4()),
                    "Page": number,
                    "Confidence": 99.0,
                    "Text": word,
                    "TextType": "HANDWRITING" if item.role == "hand" else "PRINTED",
                    "Geometry": _box(cursor / PAGE_WIDTH, item.y / PAGE_HEIGHT, width / PAGE_WIDTH, height),
                }
                cursor += width + text_width_inches(" ", page.family, item.role, item.points)
                line["Relationships"][0]["Ids"].append(word_block["Id"])
                blocks.append(word_block)
            page_block["Relationships"][0]["Ids"].append(line["Id"])
            blocks.append(line)
    return {"DocumentMetadata": {"Pages": len(pages)}, "Blocks": blocks}
