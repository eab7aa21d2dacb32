"""The exact text of composed pages as an AnalyzeDocument-shaped response (PAGE, LINE, WORD).

Not OCR: the generator knows what it printed and where. Tests use it to exercise the
extraction rules quickly and deterministically, separately from OCR errors. Handwritten
fill-ins are WORDs of TextType HANDWRITING; a watermark is one more LINE, last on its page,
with its rotated polygon (OCR engines read large watermarks too).
"""

from __future__ import annotations

import math
import uuid

from sample_deeds.fonts import HAND_ROLES, text_width_inches
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Page, Text, Watermark


def _geometry(corners: list[tuple[float, float]]) -> dict:
    """Corners in inches (top-left, top-right, bottom-right, bottom-left) as Textract geometry."""
    points = [{"X": x / PAGE_WIDTH, "Y": y / PAGE_HEIGHT} for x, y in corners]
    xs, ys = [p["X"] for p in points], [p["Y"] for p in points]
    return {
        "BoundingBox": {"Left": min(xs), "Top": min(ys), "Width": max(xs) - min(xs), "Height": max(ys) - min(ys)},
        "Polygon": points,
    }


def _rectangle(left: float, top: float, width: float, height: float) -> dict:
    return _geometry([(left, top), (left + width, top), (left + width, top + height), (left, top + height)])


def _line(number: int, text: str, geometry: dict) -> dict:
    return {
        "BlockType": "LINE",
        "Id": str(uuid.uuid4()),
        "Page": number,
        "Confidence": 99.0,
        "Text": text,
        "Geometry": geometry,
        "Relationships": [{"Type": "CHILD", "Ids": []}],
    }


def _word(number: int, text: str, handwritten: bool, geometry: dict) -> dict:
    return {
        "BlockType": "WORD",
        "Id": str(uuid.uuid4()),
        "Page": number,
        "Confidence": 99.0,
        "Text": text,
        "TextType": "HANDWRITING" if handwritten else "PRINTED",
        "Geometry": geometry,
    }


def _text_blocks(number: int, page: Page, item: Text) -> list[dict]:
    height = item.points / 72
    line = _line(
        number,
        item.text,
        _rectangle(item.x, item.y, text_width_inches(item.text, page.family, item.role, item.points), height),
    )
    blocks = []
    cursor = item.x
    space = text_width_inches(" ", page.family, item.role, item.points)
    for word in item.text.split():
        width = text_width_inches(word, page.family, item.role, item.points)
        block = _word(number, word, item.role in HAND_ROLES, _rectangle(cursor, item.y, width, height))
        cursor += width + space
        line["Relationships"][0]["Ids"].append(block["Id"])
        blocks.append(block)
    return [*blocks, line]


def _watermark_blocks(number: int, page: Page, mark: Watermark) -> list[dict]:
    """Words laid along the rotated baseline, each with its rotated quadrilateral."""
    angle = math.radians(mark.angle)
    along = (math.cos(angle), -math.sin(angle))  # page y grows downwards
    across = (math.sin(angle), math.cos(angle))
    height = mark.points / 72
    total = text_width_inches(mark.text, page.family, mark.role, mark.points)
    space = text_width_inches(" ", page.family, mark.role, mark.points)

    def quad(offset: float, width: float) -> dict:
        x0 = mark.center_x + along[0] * (offset - total / 2) - across[0] * height / 2
        y0 = mark.center_y + along[1] * (offset - total / 2) - across[1] * height / 2
        top_right = (x0 + along[0] * width, y0 + along[1] * width)
        bottom_right = (top_right[0] + across[0] * height, top_right[1] + across[1] * height)
        return _geometry([(x0, y0), top_right, bottom_right, (x0 + across[0] * height, y0 + across[1] * height)])

    line = _line(number, mark.text, quad(0.0, total))
    blocks, offset = [], 0.0
    for word in mark.text.split():
        width = text_width_inches(word, page.family, mark.role, mark.points)
        block = _word(number, word, False, quad(offset, width))
        offset += width + space
        line["Relationships"][0]["Ids"].append(block["Id"])
        blocks.append(block)
    return [*blocks, line]


def textract_response(pages: list[Page]) -> dict:
    blocks: list[dict] = []
    for number, page in enumerate(pages, start=1):
        page_block = {
            "BlockType": "PAGE",
            "Id": str(uuid.uuid4()),
            "Page": number,
            "Geometry": _rectangle(0, 0, PAGE_WIDTH, PAGE_HEIGHT),
            "Relationships": [{"Type": "CHILD", "Ids": []}],
        }
        blocks.append(page_block)
        texts = sorted((i for i in page.items if isinstance(i, Text)), key=lambda t: (round(t.y, 2), t.x))
        marks = [i for i in page.items if isinstance(i, Watermark)]
        for produced in [_text_blocks(number, page, t) for t in texts] + [
            _watermark_blocks(number, page, m) for m in marks
        ]:
            page_block["Relationships"][0]["Ids"].append(produced[-1]["Id"])
            blocks.extend(produced)
    return {"DocumentMetadata": {"Pages": len(pages)}, "Blocks": blocks}
