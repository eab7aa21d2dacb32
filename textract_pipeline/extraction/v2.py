"""V2: schema-free extraction from key-value pairs, checkboxes, tables and labeled lines.

Sections come from the document's own headings (short upper-case lines such as
"GRANT DEED", "ACKNOWLEDGMENT", 'EXHIBIT "A"'); whatever precedes the first heading is
the ``header`` section. Field names are the printed labels in snake_case. Page furniture,
values split at a line end, pairs across blocks and unreadable labels are left out or mended
(``v2_quality``), and every value V1 reads is in V2 too (``v2_record``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textract_pipeline.extraction.amounts import find_amounts
from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import DocumentView, PageLine, as_view
from textract_pipeline.extraction.rules import read_record
from textract_pipeline.extraction.rules.layout import Layout
from textract_pipeline.extraction.schema_v2 import V2Document, V2Field, V2Section, ValueType
from textract_pipeline.extraction.v2_quality import (
    furniture_lines,
    is_furniture_text,
    mend_split_date,
    on_furniture,
    paired_in_one_block,
    readable_label,
    readable_value,
)
from textract_pipeline.extraction.v2_record import add_record_fields

if TYPE_CHECKING:
    from textractor.entities.document import Document

_LABELED = re.compile(r"(?P<label>[A-Za-z][A-Za-z0-9 .'/()#&-]{0,40}?)\s*:\s*(?P<value>\S.*?)\s*$")
_NEXT_LABEL = re.compile(
    r"\s{2,}(?=[A-Z][A-Za-z .'/()#]{1,30}:\s)|\s+(?=(?:Escrow|Order|APN|Fees|Taxes|Pages|Titles)\b[^:]{0,12}:)"
)
# Labeled phrases without a colon: "Commission # 2329196", "My Comm. Expires Feb 6, 2025",
# "DOCUMENTARY TRANSFER TAX IS $1,734.70", "before me, JANE ROE, Notary Public".
_PHRASES = (
    re.compile(r"(?P<label>[A-Za-z][A-Za-z .]{1,30}?)\s*#\s*(?P<value>[A-Z0-9][A-Z0-9-]{2,})\b"),
    re.compile(r"(?P<label>[A-Za-z][A-Za-z .]{1,30}?\bExpires)\s+(?P<value>.+)$", re.I),
    re.compile(r"(?P<label>[A-Z][A-Za-z ]{3,40}?)\s+IS\s+(?P<value>\$\s*[\d,.]+)"),
    re.compile(r"before\s+me,\s*(?P<value>[^,]{3,60}),\s*(?P<label>Notary\s+Public)", re.I),
)
MIN_VALUE_CONFIDENCE = 0.5  # below this a value is OCR noise (handwriting read as "DO- OCD!"), not a field
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def snake_case(label: str) -> str:
    words = re.findall(r"[a-z0-9]+", label.lower().replace("#", " number ").replace("&", " and "))
    name = "_".join(words)[:60].strip("_")
    return name if name and not name[0].isdigit() else f"field_{name}" if name else "field"


def _is_heading(line: PageLine, layout_headings: set[tuple[int, str]]) -> bool:
    """A layout title, or a short, centered, upper-case line (a left-aligned name in an address block is not)."""
    text = line.text.strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or line.confidence < 0.8 or len(letters) < 0.7 * len(text.replace(" ", "")):
        return False  # a heading is words, not OCR noise ("NY) wy) vill")
    if (line.page, text.upper()) in layout_headings:
        return True
    if len(text.split()) > 7 or ":" in text or text.endswith(","):
        return False
    upper_ratio = sum(c.isupper() for c in letters) / len(letters)
    digits = sum(c.isdigit() for c in text)
    centered = abs(line.x + line.width / 2 - 0.5) < 0.08
    return centered and upper_ratio > 0.9 and digits <= 1 and not re.search(r"\$|\bCA\s+\d", text)


def typed_value(raw: str) -> tuple[ValueType, object]:
    text = raw.strip()
    amounts = find_amounts(text)
    if amounts and len(amounts[0][1]) >= len(text.rstrip(".")) - 2:
        return ValueType.MONEY, amounts[0][0]
    dates = find_dates(text)
    if dates and len(dates[0][1]) >= len(text) - 12:
        return ValueType.DATE, dates[0][0]
    if _NUMBER.match(text) and not re.fullmatch(r"0\d*|\d{5,}", text):  # ZIPs and identifiers stay text
        return ValueType.NUMBER, float(text.replace(",", ""))
    return ValueType.TEXT, text


@dataclass
class _Builder:
    sections: dict[str, V2Section]
    # names per section and the next suffix to try per (section, base): a long document repeats
    # labels hundreds of times, and rebuilding the taken names per field was quadratic
    _taken: dict[str, set[str]] = field(default_factory=dict)
    _next_suffix: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(
        self,
        section: str,
        label: str,
        raw: str,
        page: int,
        confidence: float,
        source: str,
        value_type: ValueType | None = None,
        value: object = None,
    ) -> None:
        target = self.sections.setdefault(section, V2Section(name=section))
        base = snake_case(label)
        taken = self._taken.setdefault(section, set())
        # names are only ever added, so every suffix below the last one given for this base is taken
        name, suffix = base, self._next_suffix.get((section, base), 2)
        if suffix > 2:
            name = f"{base}_{suffix}"
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self._next_suffix[(section, base)] = suffix
        taken.add(name)
        if value_type is None:
            value_type, value = typed_value(raw)
        target.fields.append(
            V2Field(
                name=name,
                label=label.strip(),
                value_type=value_type,
                value=value,
                raw_text=raw,
                page=page,
                confidence=round(max(0.0, min(1.0, confidence)), 3),
                source=source,
            )
        )


class SectionIndex:
    """The section of a position: the name of the last heading, in reading order, at or above it.

    ``boundaries`` are (page, y, name) in reading order, pages ascending. Looked up per page
    rather than by scanning every heading of the document for every field (a 500-page document
    has thousands of both).
    """

    def __init__(self, boundaries: list[tuple[int, float, str]]):
        self._on_page: dict[int, list[tuple[float, str]]] = {}
        for page, y, name in boundaries:
            self._on_page.setdefault(page, []).append((y, name))
        self._pages = sorted(self._on_page)
        # the section each page with headings ends in, for the pages after it
        self._last = [self._on_page[page][-1][1] for page in self._pages]

    def at(self, page: int, y: float) -> str:
        earlier = bisect.bisect_left(self._pages, page)  # pages with headings before this one
        current = self._last[earlier - 1] if earlier else "header"
        for heading_y, name in self._on_page.get(page, ()):
            if heading_y <= y + 1e-6:
                current = name
        return current


def build_v2(document: Document | DocumentView) -> V2Document:
    """V2 of a textractor Document, or of a ``DocumentView`` (``read_document_view`` for long documents)."""
    view = as_view(document)
    layout = Layout(view)
    furniture_ids = furniture_lines(layout)
    furniture = [line for line in layout.lines if id(line) in furniture_ids]
    lines = [line for line in layout.lines if id(line) not in furniture_ids]
    builder = _Builder(sections={})
    # section boundaries: (page, y) of each heading, in reading order
    boundaries = [
        (line.page, line.y, snake_case(line.text)) for line in lines if _is_heading(line, view.layout_headings)
    ]
    section_at = SectionIndex(boundaries).at

    kv_keys = {(kv.page, snake_case(kv.key)) for kv in view.key_values}
    for kv in view.key_values:
        section = section_at(kv.page, kv.y)
        if kv.selected is not None:
            builder.add(section, kv.key, kv.value, kv.page, kv.confidence, "checkbox", ValueType.BOOLEAN, kv.selected)
            continue
        if not kv.value or kv.confidence < MIN_VALUE_CONFIDENCE or on_furniture(kv, furniture):
            continue
        if not paired_in_one_block(kv):
            continue
        label, value = mend_split_date(kv.key.rstrip(":"), kv.value)
        if readable_label(label) and readable_value(value):
            builder.add(section, label, value, kv.page, kv.confidence, "key_value")
    for line in lines:
        for piece in _NEXT_LABEL.split(line.text):
            match = _LABELED.fullmatch(piece.strip())
            if not match or len(match["label"].split()) > 6 or (line.page, snake_case(match["label"])) in kv_keys:
                continue  # Textract already paired this label with its value
            label, value = mend_split_date(match["label"], match["value"])
            if line.confidence < MIN_VALUE_CONFIDENCE or is_furniture_text(line.text):
                continue
            if readable_label(label) and readable_value(value):
                builder.add(section_at(line.page, line.y), label, value, line.page, line.confidence, "line")
    for line in lines:
        if _LABELED.fullmatch(line.text.strip()):
            continue
        for pattern in _PHRASES:
            for match in pattern.finditer(line.text):
                label, value = match["label"].strip(), match["value"].strip(" ,.")
                if readable_label(label) and readable_value(value):
                    builder.add(section_at(line.page, line.y), label, value, line.page, line.confidence, "line")
    _add_tables(builder, view)
    add_record_fields(builder, read_record(view))
    return V2Document(page_count=view.page_count, sections=list(builder.sections.values()))


def _add_tables(builder: _Builder, view: DocumentView) -> None:
    """Tables with column headers, cell by cell.

    A grid without headers is left out: OCR finds one in any two blocks side by side (a return-to
    block beside the recorder's stamp), and its label-value pairs are read as key-values anyway.
    """
    headed = [table for table in view.tables if any(cell.is_column_header for cell in table.cells)]
    for number, table in enumerate(headed, start=1):
        headers = {cell.col_index: cell.text for cell in table.cells if cell.is_column_header}
        for cell in table.cells:
            if cell.is_column_header or not cell.text:
                continue
            column = headers.get(cell.col_index) or f"column_{cell.col_index}"
            confidence = cell.confidence / 100 if cell.confidence > 1 else cell.confidence
            builder.add(f"table_{number}", f"row {cell.row_index} {column}", cell.text, table.page, confidence, "table")
