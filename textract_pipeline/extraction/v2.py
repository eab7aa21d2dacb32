"""V2: schema-free extraction from key-value pairs, checkboxes, tables and labeled lines.

Sections come from the document's own headings (short upper-case lines such as
"GRANT DEED", "ACKNOWLEDGMENT", 'EXHIBIT "A"'); whatever precedes the first heading is
the ``header`` section. Field names are the printed labels in snake_case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textractor.entities.document import Document

from textract_pipeline.extraction.amounts import find_amounts
from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import PageLine, build_view
from textract_pipeline.extraction.schema_v2 import V2Document, V2Field, V2Section, ValueType

_LABELED = re.compile(r"(?P<label>[A-Za-z][A-Za-z0-9 .'/()#&-]{0,40}?)\s*:\s*(?P<value>\S.*?)\s*$")
_NEXT_LABEL = re.compile(r"\s{2,}(?=[A-Z][A-Za-z .'/()#]{1,30}:\s)|\s+(?=(?:Escrow|Order|APN|Fees|Taxes|Pages|Titles)\b[^:]{0,12}:)")
# Labeled phrases without a colon: "Commission # 2329196", "My Comm. Expires Feb 6, 2025",
# "DOCUMENTARY TRANSFER TAX IS $1,734.70", "before me, JANE ROE, Notary Public".
_PHRASES = (
    re.compile(r"(?P<label>[A-Za-z][A-Za-z .]{1,30}?)\s*#\s*(?P<value>[A-Z0-9][A-Z0-9-]{2,})\b"),
    re.compile(r"(?P<label>[A-Za-z][A-Za-z .]{1,30}?\bExpires)\s+(?P<value>.+)$", re.I),
    re.compile(r"(?P<label>[A-Z][A-Za-z ]{3,40}?)\s+IS\s+(?P<value>\$\s*[\d,.]+)"),
    re.compile(r"before\s+me,\s*(?P<value>[^,]{3,60}),\s*(?P<label>Notary\s+Public)", re.I),
)
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def snake_case(label: str) -> str:
    words = re.findall(r"[a-z0-9]+", label.lower().replace("#", " number ").replace("&", " and "))
    name = "_".join(words)[:60].strip("_")
    return name if name and not name[0].isdigit() else f"field_{name}" if name else "field"


def _layout_headings(document: Document) -> set[tuple[int, str]]:
    """(page, normalized text) of Textract LAYOUT_TITLE / LAYOUT_SECTION_HEADER blocks."""
    return {
        (page.page_num, " ".join(layout.text.split()).upper())
        for page in document.pages
        for layout in page.layouts
        if layout.layout_type in ("LAYOUT_TITLE", "LAYOUT_SECTION_HEADER")
    }


def _is_heading(line: PageLine, layout_headings: set[tuple[int, str]]) -> bool:
    """A layout title, or a short, centered, upper-case line (a left-aligned name in an address block is not)."""
    text = line.text.strip()
    if (line.page, text.upper()) in layout_headings:
        return True
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or len(text.split()) > 7 or ":" in text or text.endswith(","):
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

    def add(self, section: str, label: str, raw: str, page: int, confidence: float, source: str,
            value_type: ValueType | None = None, value: object = None) -> None:
        target = self.sections.setdefault(section, V2Section(name=section))
        base = snake_case(label)
        taken = {f.name for f in target.fields}
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        if value_type is None:
            value_type, value = typed_value(raw)
        target.fields.append(V2Field(
            name=name, label=label.strip(), value_type=value_type, value=value, raw_text=raw,
            page=page, confidence=round(max(0.0, min(1.0, confidence)), 3), source=source,
        ))


def build_v2(document: Document) -> V2Document:
    view = build_view(document)
    builder = _Builder(sections={})
    # section boundaries: (page, y) of each heading, in reading order
    boundaries: list[tuple[int, float, str]] = []
    layout_headings = _layout_headings(document)
    for page in range(1, view.page_count + 1):
        for line in view.page_lines(page):
            if _is_heading(line, layout_headings):
                boundaries.append((page, line.y, snake_case(line.text)))

    def section_at(page: int, y: float) -> str:
        current = "header"
        for heading_page, heading_y, name in boundaries:
            if (heading_page, heading_y) <= (page, y + 1e-6):
                current = name
        return current

    kv_keys = {(kv.page, snake_case(kv.key)) for kv in view.key_values}
    for kv in view.key_values:
        section = section_at(kv.page, kv.y)
        if kv.selected is not None:
            builder.add(section, kv.key, kv.value, kv.page, kv.confidence, "checkbox", ValueType.BOOLEAN, kv.selected)
        elif kv.value:
            builder.add(section, kv.key.rstrip(":"), kv.value, kv.page, kv.confidence, "key_value")
    for line in view.lines:
        for piece in _NEXT_LABEL.split(line.text):
            match = _LABELED.fullmatch(piece.strip())
            if not match or len(match["label"].split()) > 6:
                continue
            if (line.page, snake_case(match["label"])) in kv_keys:
                continue  # Textract already paired this label with its value
            builder.add(section_at(line.page, line.y), match["label"], match["value"], line.page, line.confidence, "line")
    for line in view.lines:
        if _LABELED.fullmatch(line.text.strip()):
            continue
        for pattern in _PHRASES:
            for match in pattern.finditer(line.text):
                builder.add(section_at(line.page, line.y), match["label"].strip(), match["value"].strip(" ,."),
                            line.page, line.confidence, "line")
    for number, table in enumerate(document.tables, start=1):
        section = f"table_{number}"
        headers = {cell.col_index: cell.text.strip() for cell in table.table_cells if cell.is_column_header}
        for cell in table.table_cells:
            if cell.is_column_header or not cell.text.strip():
                continue
            column = headers.get(cell.col_index) or f"column_{cell.col_index}"
            builder.add(section, f"row {cell.row_index} {column}", cell.text.strip(), table.page,
                        cell.confidence / 100 if cell.confidence > 1 else cell.confidence, "table")
    return V2Document(page_count=view.page_count, sections=list(builder.sections.values()))
