"""Generated form pages whose reference is the generator's own layout, in Textract's response format.

    python -m benchmarks.ocr_generated_forms --count 12 --seed 1 --out /work/ocr-corpus/generated_dev

Each page is drawn at 300 dpi: a title, "Label: value" fields in two columns, boxed fields (a small
label over a larger value), groups of checkboxes with their labels (empty, ticked, crossed, filled,
solid, hand-ticked, and the glyphs ☐ ☒ ☑ ■ where a font has them), a ruled table with a header row
(sometimes shaded, sometimes under a title row) and a paragraph; sometimes a shaded band behind a
field. It is then skewed (up to 1.5 degrees), speckled, and saved at 72-300 dpi. Beside it,
`X.textract.json` holds what was drawn: WORD and LINE blocks, SELECTION_ELEMENTs, KEY_VALUE_SETs
(label -> value words or checkbox) and a TABLE of CELLs, every box carried through the same skew.
`python -m benchmarks.ocr_vs_textract` compares the engine with it as with a real response: here the
reference is the exact layout, not Textract's reading of it.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sample_deeds.fonts import FAMILIES

DPI = 300
WIDTH, HEIGHT = int(8.5 * DPI), 11 * DPI
GLYPH_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # ☐ ☒ ☑ ■, when installed
LABELS = ["Name", "Account No", "Date of Birth", "Phone", "Email", "Parcel ID", "City", "County", "Amount Due"]
VALUES = ["Jane Q. Smith", "4471-2290", "03/18/1984", "(555) 201-7788", "jane@example.com", "12-0045-7", "Bigtown"]
CHOICES = ["Yes", "No", "Single", "Married", "Owner occupied", "Rental", "Commercial", "Agricultural"]
KINDS = ["empty", "tick", "cross", "filled", "solid", "hand", "glyph_empty", "glyph_cross", "glyph_tick"]
WORDS = "the parcel described above is conveyed subject to all easements of record and taxes for the year".split()


class Page:
    """A drawing surface that records every block it draws, in the page's pixels."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.image = Image.new("L", (WIDTH, HEIGHT), 255)
        self.draw = ImageDraw.Draw(self.image)
        family = FAMILIES[rng.choice(sorted(FAMILIES))]
        self.regular, self.bold = family.regular, family.bold
        self.blocks: list[dict[str, Any]] = []

    def font(self, points: float, bold: bool = False) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(self.bold if bold else self.regular, round(points * DPI / 72))

    def text(
        self, x: float, y: float, text: str, points: float = 10, bold: bool = False, line: bool = True
    ) -> list[str]:
        """Draw words; returns their WORD ids (and records them as one LINE unless `line` is False)."""
        font = self.font(points, bold)
        self.draw.text((x, y), text, font=font, fill=0)
        ids, offset = [], 0
        for word in text.split(" "):
            start = text.index(word, offset)
            offset = start + len(word)
            left = x + font.getlength(text[:start])
            top, bottom = font.getbbox(word)[1] + y, font.getbbox(word)[3] + y
            ids.append(self._block("WORD", (left, top, left + font.getlength(word), bottom), Text=word))
        if line:
            self.line(ids)
        return ids

    def line(self, ids: list[str]) -> None:
        words = [next(block for block in self.blocks if block["Id"] == i) for i in ids]
        text = " ".join(word["Text"] for word in words)
        box = _union([word["_box"] for word in words])
        self._block("LINE", box, Text=text, Relationships=[{"Type": "CHILD", "Ids": ids}])

    def checkbox(self, x: float, y: float, size: float, kind: str) -> str:
        selected = kind not in ("empty", "glyph_empty")
        if kind.startswith("glyph") and GLYPH_FONT.exists():
            glyph = {"glyph_empty": "☐", "glyph_cross": "☒", "glyph_tick": "☑"}[kind]
            font = ImageFont.truetype(str(GLYPH_FONT), round(size * 1.25))
            left, top, right, bottom = font.getbbox(glyph)
            self.draw.text((x - left, y - top), glyph, font=font, fill=0)
            box = (x, y, x + right - left, y + bottom - top)
        else:
            box = (x, y, x + size, y + size)
            if kind != "solid":
                self.draw.rectangle(box, outline=0, width=max(2, round(size / 14)))
            self._mark(box, kind)
        status = "SELECTED" if selected else "NOT_SELECTED"
        # GeneratedAs is the generator's own note (how the box was drawn), not a Textract field.
        return self._block("SELECTION_ELEMENT", box, SelectionStatus=status, Confidence=99.0, GeneratedAs=kind)

    def _mark(self, box: tuple[float, float, float, float], kind: str) -> None:
        x0, y0, x1, y1 = box
        size, pen = x1 - x0, max(3, round((x1 - x0) / 9))
        if kind in ("cross", "glyph_cross"):
            self.draw.line((x0 + pen, y0 + pen, x1 - pen, y1 - pen), fill=0, width=pen)
            self.draw.line((x0 + pen, y1 - pen, x1 - pen, y0 + pen), fill=0, width=pen)
        elif kind in ("tick", "glyph_tick"):
            self.draw.line((x0 + 0.2 * size, y0 + 0.55 * size, x0 + 0.45 * size, y1 - 0.2 * size), fill=0, width=pen)
            self.draw.line((x0 + 0.45 * size, y1 - 0.2 * size, x1 - 0.15 * size, y0 + 0.2 * size), fill=0, width=pen)
        elif kind == "filled":
            self.draw.rectangle((x0 + 2 * pen, y0 + 2 * pen, x1 - 2 * pen, y1 - 2 * pen), fill=0)
        elif kind == "solid":
            self.draw.rectangle(box, fill=0)
        elif kind == "hand":
            jitter = [self.rng.uniform(-0.08, 0.08) * size for _ in range(3)]
            points = [
                (x0 + 0.1 * size + jitter[0], y0 + 0.5 * size),
                (x0 + 0.4 * size, y1 - 0.1 * size + jitter[1]),
                (x1 + 0.25 * size, y0 - 0.3 * size + jitter[2]),
            ]
            self.draw.line(points, fill=0, width=pen + 1, joint="curve")

    def key_value(self, key_ids: list[str], value_ids: list[str]) -> None:
        """A KEY over `key_ids` whose VALUE holds `value_ids` (words, or one SELECTION_ELEMENT)."""
        value = self._block("KEY_VALUE_SET", _union([self._box(i) for i in value_ids]), EntityTypes=["VALUE"])
        self.blocks[-1]["Relationships"] = [{"Type": "CHILD", "Ids": value_ids}]
        self._block(
            "KEY_VALUE_SET",
            _union([self._box(i) for i in key_ids]),
            EntityTypes=["KEY"],
            Relationships=[{"Type": "CHILD", "Ids": key_ids}, {"Type": "VALUE", "Ids": [value]}],
        )

    def table(self, rows: list[list[tuple[float, float, float, float, list[str]]]]) -> None:
        cells = []
        for row_index, row in enumerate(rows, start=1):
            for column_index, (*box, ids) in enumerate(row, start=1):
                cells.append(
                    self._block(
                        "CELL",
                        tuple(box),
                        RowIndex=row_index,
                        ColumnIndex=column_index,
                        Relationships=[{"Type": "CHILD", "Ids": ids}] if ids else [],
                    )
                )
        self._block("TABLE", _union([self._box(i) for i in cells]), Relationships=[{"Type": "CHILD", "Ids": cells}])

    def _block(self, block_type: str, box: tuple[float, float, float, float], **fields: Any) -> str:
        block = {"BlockType": block_type, "Id": str(uuid.UUID(int=self.rng.getrandbits(128))), "Page": 1, "_box": box}
        block.update(fields)
        self.blocks.append(block)
        return block["Id"]

    def _box(self, block_id: str) -> tuple[float, float, float, float]:
        return next(block["_box"] for block in self.blocks if block["Id"] == block_id)


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def compose(rng: random.Random) -> Page:
    page = Page(rng)
    page.text(
        150, 120, rng.choice(["APPLICATION FOR SERVICE", "PROPERTY TRANSFER FORM", "Client Intake Form"]), 16, True
    )
    y = 300
    if rng.random() < 0.4:  # a shaded band behind the first row of fields
        page.draw.rectangle((130, y - 20, WIDTH - 130, y + 60), fill=rng.choice([200, 215, 230]))
    for _ in range(3):  # "Label: value" fields, two columns
        for column in range(2):
            label, value = rng.choice(LABELS), rng.choice(VALUES)
            x = 150 + column * 1150
            font = page.font(10, True)
            key_ids = page.text(x, y, f"{label}:", 10, True, line=False)
            value_ids = page.text(x + font.getlength(f"{label}: ") + 20, y, value, 10, line=False)
            page.line(key_ids + value_ids)  # a field reads as one line, as Textract joins it
            page.key_value(key_ids, value_ids)
        y += 90
    y += 40
    for column in range(3):  # boxed fields: a small label over a larger value
        x0, x1 = 150 + column * 760, 150 + column * 760 + 720
        page.draw.rectangle((x0, y, x1, y + 150), outline=0, width=3)
        key_ids = page.text(x0 + 15, y + 12, rng.choice(LABELS).upper(), 7, True)
        value_ids = page.text(x0 + 15, y + 62, rng.choice(VALUES), 12)
        page.key_value(key_ids, value_ids)
    y += 230
    size = rng.choice([34, 40, 46])
    for _ in range(3):  # checkbox groups: [box] label, two or three a row
        x = 150
        for choice in rng.sample(CHOICES, rng.choice([2, 3])):
            mark = page.checkbox(x, y, size, rng.choice(KINDS))
            page.key_value(page.text(x + size + 25, y + size * 0.1, choice, 10), [mark])
            x += 700
        y += 110
    y += 60
    y = _ruled_table(page, y)
    for _ in range(3):  # a paragraph
        page.text(150, y, " ".join(rng.choice(WORDS) for _ in range(11)).capitalize(), 10)
        y += 60
    return page


def _ruled_table(page: Page, top: int) -> int:
    rng = page.rng
    columns = rng.choice([3, 4, 5])
    widths = [(WIDTH - 300) / columns] * columns
    rows: list[list[tuple[float, float, float, float, list[str]]]] = []
    y = top
    if rng.random() < 0.4:  # a title row spanning the table
        page.draw.rectangle((150, y, WIDTH - 150, y + 80), outline=0, width=3)
        page.text(170, y + 20, "Schedule of Payments", 10, True)
        y += 80
    for row in range(rng.choice([3, 4, 5])):
        x = 150.0
        cells = []
        header = row == 0
        if header and rng.random() < 0.5:
            page.draw.rectangle((150, y, WIDTH - 150, y + 80), fill=rng.choice([190, 215, 235]))
        for column in range(columns):
            page.draw.rectangle((x, y, x + widths[column], y + 80), outline=0, width=3)
            text = rng.choice(["Item", "Date", "Amount", "Status", "Code"]) if header else rng.choice(VALUES[1:4])
            ids = page.text(x + 20, y + 22, text, 10, header)
            cells.append((x, y, x + widths[column], y + 80, ids))
            x += widths[column]
        rows.append(cells)
        y += 80
    page.table(rows)
    return y + 80


def degrade(page: Page, dpi: int, skew: float, speckle: bool) -> tuple[Image.Image, list[dict[str, Any]]]:
    """Skew, speckle and resample the page; every block's box is carried through and normalized."""
    image = page.image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if speckle:
        pixels = np.asarray(image).copy()
        noise = np.random.default_rng(page.rng.getrandbits(32)).random(pixels.shape)
        pixels[noise < 0.002] = 0
        image = Image.fromarray(pixels)
    scale = dpi / DPI
    image = image.resize((round(WIDTH * scale), round(HEIGHT * scale)), Image.Resampling.LANCZOS)
    angle = math.radians(skew)
    cx, cy = WIDTH / 2, HEIGHT / 2

    def turned(x: float, y: float) -> tuple[float, float]:  # PIL rotates counter-clockwise, y down
        dx, dy = x - cx, y - cy
        return cx + dx * math.cos(angle) + dy * math.sin(angle), cy - dx * math.sin(angle) + dy * math.cos(angle)

    blocks = []
    for block in page.blocks:
        x0, y0, x1, y1 = block.pop("_box")
        corners = [turned(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        xs, ys = [x / WIDTH for x, _ in corners], [y / HEIGHT for _, y in corners]
        box = {"Width": max(xs) - min(xs), "Height": max(ys) - min(ys), "Left": min(xs), "Top": min(ys)}
        block["Geometry"] = {"BoundingBox": box, "Polygon": [{"X": x, "Y": y} for x, y in zip(xs, ys, strict=True)]}
        blocks.append(block)
    return image, blocks


def generate(count: int, seed: int, out: Path) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        page = compose(rng)
        dpi = rng.choice([72, 100, 150, 200, 300])
        image, blocks = degrade(page, dpi, rng.uniform(-1.5, 1.5) if rng.random() < 0.5 else 0.0, rng.random() < 0.4)
        path = out / f"form_{seed}_{index:02d}_{dpi}dpi.png"
        image.save(path, dpi=(dpi, dpi))
        response = {"DocumentMetadata": {"Pages": 1}, "Blocks": blocks}
        path.with_name(path.name + ".textract.json").write_text(json.dumps(response))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for path in generate(args.count, args.seed, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
