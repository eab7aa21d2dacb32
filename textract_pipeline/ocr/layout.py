"""Layout → LAYOUT_* groups of LINEs, the block types Textract's LAYOUT feature emits.

Every line lands in exactly one layout block:
- lines inside a detected table form its LAYOUT_TABLE;
- a short line near the top of the page printed clearly larger than the body text is a LAYOUT_TITLE;
- a page number ("5", "Page 2 of 3", "- 4 -") in the top or bottom margin band is a
  LAYOUT_PAGE_NUMBER; other paragraphs lying wholly in those bands are LAYOUT_HEADER /
  LAYOUT_FOOTER (when the page has body text between them);
- a one-line paragraph of a few words, larger than the body text or numbered like "4.2 Results",
  directly above more text is a LAYOUT_SECTION_HEADER;
- the rest are grouped by tesseract's paragraphs into LAYOUT_TEXT.
Blocks come in reading order: top to bottom by their first line.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from textract_pipeline.ocr.model import Line, PageContent
from textract_pipeline.ocr.tables import Table

TITLE_HEIGHT_RATIO = 1.4
TITLE_MAX_WORDS = 12
TITLE_TOP_FRACTION = 0.35
# Headers and footers lie wholly within this fraction of the page height from its top or bottom.
MARGIN_BAND_FRACTION = 0.07
SECTION_HEADER_MAX_WORDS = 8
SECTION_HEADER_HEIGHT_RATIO = 1.15
# A section header has text starting at most this many of its line heights below it.
SECTION_GAP_IN_LINE_HEIGHTS = 2.5
PAGE_NUMBER = re.compile(r"^(page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+\S")


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
        if (
            _height(line) >= TITLE_HEIGHT_RATIO * body_height
            and len(line.words) <= TITLE_MAX_WORDS
            and line.box.top <= TITLE_TOP_FRACTION * page_height
        ):
            blocks.append(LayoutBlock("LAYOUT_TITLE", [line]))
        else:
            by_paragraph.setdefault(line.paragraph, []).append(line)
    paragraphs = list(by_paragraph.values())
    blocks += [LayoutBlock(_paragraph_type(lines, paragraphs, page), lines) for lines in paragraphs]
    blocks.sort(key=lambda block: (block.lines[0].box.top, block.lines[0].box.left))
    return blocks


def _height(line: Line) -> float:
    return statistics.median(word.box.height for word in line.words)


def _paragraph_type(lines: list[Line], paragraphs: list[list[Line]], page: PageContent) -> str:
    band = MARGIN_BAND_FRACTION * page.frame.height
    top, bottom = min(line.box.top for line in lines), max(line.box.bottom for line in lines)
    in_header, in_footer = bottom <= band, top >= page.frame.height - band
    if in_header or in_footer:
        between = [
            line for other in paragraphs for line in other if band < line.box.center_y < page.frame.height - band
        ]
        if between:
            if len(lines) == 1 and PAGE_NUMBER.match(lines[0].text.strip()):
                return "LAYOUT_PAGE_NUMBER"
            return "LAYOUT_HEADER" if in_header else "LAYOUT_FOOTER"
    if len(lines) == 1 and _is_section_header(lines[0], paragraphs, page.text_height):
        return "LAYOUT_SECTION_HEADER"
    return "LAYOUT_TEXT"


def _is_section_header(line: Line, paragraphs: list[list[Line]], body_height: float) -> bool:
    text = line.text.strip()
    numbered = NUMBERED_HEADING.match(text) is not None
    if len(line.words) > SECTION_HEADER_MAX_WORDS or (text.endswith((".", ",", ":", ";")) and not numbered):
        return False
    if not (numbered or _height(line) >= SECTION_HEADER_HEIGHT_RATIO * body_height):
        return False
    box, height = line.box, line.box.height
    return any(
        other is not line
        and 0 <= other.box.top - box.bottom <= SECTION_GAP_IN_LINE_HEIGHTS * height
        and other.box.left < box.right
        and box.left < other.box.right
        for lines in paragraphs
        for other in lines
    )
