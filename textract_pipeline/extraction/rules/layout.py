"""Geometry the rules share: rows, page text streams, stamp zones, blocks under a heading, watermarks.

Positions are Textract's: fractions of the page, y growing downwards. A recorded page has
zones with roles (the recorder's stamp in the top or bottom band, the return-to block at top
left, the body, the notary block), and the rules ask for text by role rather than by template.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from textract_pipeline.extraction.document_view import DocumentView, PageLine
from textract_pipeline.extraction.schema_v1 import LOW_CONFIDENCE, Evidence

# Copy-protection overlays printed across the text ("NOT AN OFFICIAL COPY - PUBLIC ACCESS",
# "Unofficial Copy", a county's "Unofficial Document" stamp): never data.
_WATERMARK_PHRASE = re.compile(
    r"\b(?:NOT\s+AN?\s+(?:OFFICIAL|CERTIFIED)\s+COPY|UN\s?OFFICIAL\s+(?:COPY|DOCUMENT)|PUBLIC\s+ACCESS)\b[\s-]*", re.I
)
_WATERMARK_WORDS = {
    "NOT",
    "A",
    "AN",
    "OFFICIAL",
    "UNOFFICIAL",
    "CERTIFIED",
    "COPY",
    "DOCUMENT",
    "PUBLIC",
    "ACCESS",
    "-",
    "—",
}
STAMP_TOP, STAMP_BOTTOM = 0.22, 0.16  # shares of a page at its top and bottom where recorders stamp


def is_watermark(text: str) -> bool:
    words = [w.strip(".,:;").upper() for w in text.split()]
    return bool(words) and all(w in _WATERMARK_WORDS for w in words)


def without_watermarks(view: DocumentView) -> DocumentView:
    """The view minus watermark lines and phrases: a diagonal overlay reads as one word per line."""
    lines: list[PageLine] = []
    for line in view.lines:
        if is_watermark(line.text):
            continue
        text = _WATERMARK_PHRASE.sub(" ", line.text).strip() if _WATERMARK_PHRASE.search(line.text) else line.text
        if text:
            lines.append(line if text == line.text else replace(line, text=" ".join(text.split())))
    return DocumentView(
        lines=lines,
        key_values=[kv for kv in view.key_values if not is_watermark(kv.key)],
        page_count=view.page_count,
        layout_headings=view.layout_headings,
        tables=view.tables,
    )


def rows(lines: list[PageLine]) -> list[list[PageLine]]:
    """Lines grouped into visual rows (vertical centres within half a line height), each left to right."""
    grouped: list[list[PageLine]] = []
    for line in sorted(lines, key=lambda item: item.y + item.height / 2):
        middle = line.y + line.height / 2
        if grouped:
            first = grouped[-1][0]
            if abs(middle - (first.y + first.height / 2)) < 0.5 * min(first.height, line.height):
                grouped[-1].append(line)
                continue
        grouped.append([line])
    return [sorted(row, key=lambda item: item.x) for row in grouped]


def same_row(view: DocumentView, line: PageLine) -> list[PageLine]:
    """Lines on the same visual row as ``line`` (overlapping vertically), left to right."""
    middle = line.y + line.height / 2
    row = [
        other
        for other in view.page_lines(line.page)
        if other.y - 0.006 <= middle <= other.y + other.height + 0.006 or abs(other.y - line.y) < 0.01
    ]
    return sorted(row, key=lambda other: other.x)


def row_text(layout: Layout, line: PageLine, gap: float = 0.12) -> str:
    """``line`` and the pieces continuing it to the right on its row (OCR splits "Olympia, WA," from "98502")."""
    text, right = line.text, line.right
    for other in same_row(layout.view, line):
        if other.x >= right - 0.005 and other.x - right < gap:
            text, right = f"{text} {other.text}", other.right
    return text


@dataclass
class PageStream:
    """A page's text as one string, row by row, for clauses that wrap across lines."""

    page: int
    text: str
    lines: list[PageLine]
    starts: list[int] = field(default_factory=list)  # offset of each line in ``text``
    paragraphs: list[int] = field(default_factory=list)  # offsets where a paragraph (or a title) begins

    def line_at(self, offset: int) -> PageLine:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def paragraph_start(self, offset: int) -> int:
        """Offset of the paragraph holding ``offset``."""
        index = bisect.bisect_right(self.paragraphs, offset) - 1
        return self.paragraphs[index] if index >= 0 else 0

    def lines_between(self, start: int, end: int) -> list[PageLine]:
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        last = max(first, bisect.bisect_left(self.starts, end))
        return self.lines[first:last]


def page_stream(view: DocumentView, page: int) -> PageStream:
    grouped = rows(view.page_lines(page))
    ordered = [line for row in grouped for line in row]
    starts, parts, paragraphs, position = [], [], [], 0
    previous: list[PageLine] | None = None
    for row in grouped:
        # a paragraph starts after a blank line, or after a title (a short, centred, upper-case row)
        if (
            previous is None
            or row[0].y - previous[0].y > 1.9 * max(row[0].height, previous[0].height, 0.006)
            or (_is_title(previous))
        ):
            paragraphs.append(position)
        for line in row:
            starts.append(position)
            parts.append(line.text)
            position += len(line.text) + 1
        previous = row
    return PageStream(page, " ".join(parts), ordered, starts, paragraphs)


def _is_title(row: list[PageLine]) -> bool:
    text = " ".join(line.text for line in row)
    letters = [c for c in text if c.isalpha()]
    left, right = row[0].x, row[-1].right
    return (
        right - left < 0.6
        and abs((left + right) / 2 - 0.5) < 0.1
        and len(letters) >= 4
        and "," not in text
        and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    )


class Layout:
    """The cleaned view with its page streams built once, shared by every rule."""

    def __init__(self, view: DocumentView):
        self.view = without_watermarks(view)
        self.streams = [page_stream(self.view, page) for page in range(1, self.view.page_count + 1)]

    @property
    def lines(self) -> list[PageLine]:
        return self.view.lines

    def page_lines(self, page: int) -> list[PageLine]:
        return self.view.page_lines(page)

    def in_stamp_band(self, line: PageLine) -> bool:
        return line.y < STAMP_TOP or line.y + line.height > 1 - STAMP_BOTTOM

    def block_below(self, heading: PageLine, *, depth: float = 0.12, max_lines: int = 6) -> list[PageLine]:
        """Lines under a heading in its column, top to bottom, until a gap of more than two lines."""
        candidates = sorted(
            (
                line
                for line in self.view.page_lines(heading.page)
                if heading.y + heading.height * 0.15 < line.y < heading.y + depth
                and abs(line.x - heading.x) < 0.08
                and line.x < heading.x + max(heading.width, 0.3)
            ),
            key=lambda line: line.y,
        )
        block: list[PageLine] = []
        bottom = heading.y + heading.height
        for line in candidates:
            if line.y - bottom > 2.6 * max(line.height, 0.008) or len(block) == max_lines:
                break
            block.append(line)
            bottom = max(bottom, line.y + line.height)
        return block


def evidence(line: PageLine, certainty: float = 1.0, source: str | None = None, weak: str | None = None) -> Evidence:
    """Evidence from a line; a low OCR confidence, or a rule's doubt (``weak``), marks the value."""
    confidence = round(line.confidence * certainty, 3)
    if weak is None and line.confidence < LOW_CONFIDENCE:
        weak = f"low OCR confidence ({line.confidence:.2f}): likely handwriting or a stamp"
    if weak is not None:
        confidence = min(confidence, LOW_CONFIDENCE - 0.01)
    return Evidence(page=line.page, source_text=source or line.text, confidence=confidence, weak=weak)
