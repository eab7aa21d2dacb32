"""Layout → LAYOUT_TITLE / LAYOUT_TEXT / LAYOUT_TABLE groups of LINEs.

Every line lands in exactly one layout block: lines inside a detected table form its
LAYOUT_TABLE; a short line near the top of the page printed clearly larger than the body
text is a LAYOUT_TITLE; the rest are grouped by tesseract's paragraphs into LAYOUT_TEXT.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from textract_pipeline.ocr.model import Line, PageContent
from textract_pipeline.ocr.tables import Table

TITLE_HEIGHT_RATIO = 1.4
TITLE_MAX_WORDS = 12
TITLE_TOP_FRACTION = 0.35


@dataclass
class LayoutBlock:
    block_type: str
    lines: list[Line]


def find_layout(page: PageContent, tables: list[Table]) -> list[LayoutBlock]:
    remaining = list(page.lines)
    blocks: list[LayoutBlock] = []
    for table in tables:
        box = table.box
        inside = [line for line in remaining if box.contains_point(line.box.center_x, line.box.center_y)]
        if inside:
            blocks.append(LayoutBlock("LAYOUT_TABLE", inside))
            taken = {id(line) for line in inside}
            remaining = [line for line in remaining if id(line) not in taken]
    body_height = page.text_height
    page_height = page.frame.height
    by_paragraph: dict[int, list[Line]] = {}
    for line in remaining:
        line_height = statistics.median(word.box.height for word in line.words)
        if (
            line_height >= TITLE_HEIGHT_RATIO * body_height
            and len(line.words) <= TITLE_MAX_WORDS
            and line.box.top <= TITLE_TOP_FRACTION * page_height
        ):
            blocks.append(LayoutBlock("LAYOUT_TITLE", [line]))
        else:
            by_paragraph.setdefault(line.paragraph, []).append(line)
    blocks += [LayoutBlock("LAYOUT_TEXT", lines) for lines in by_paragraph.values()]
    blocks.sort(key=lambda block: (block.lines[0].box.top, block.lines[0].box.left))
    return blocks
