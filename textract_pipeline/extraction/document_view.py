"""A flat, rule-friendly view of a textractor Document: lines with page, position and confidence.

Rules read lines in reading order and sometimes need geometry (the recorder's stamp at
top right, the mail-to block at top left), so both are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from textractor.entities.document import Document


@dataclass(frozen=True)
class PageLine:
    page: int
    index: int  # reading order within the page
    text: str
    confidence: float  # 0-1
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class KeyValue:
    page: int
    key: str
    value: str
    confidence: float
    y: float
    selected: bool | None  # checkboxes only


@dataclass
class DocumentView:
    lines: list[PageLine]
    key_values: list[KeyValue]
    page_count: int

    def page_lines(self, page: int) -> list[PageLine]:
        return [line for line in self.lines if line.page == page]

    def page_text(self, page: int) -> str:
        return "\n".join(line.text for line in self.page_lines(page))


def _confidence(value: float | None) -> float:
    """textractor reports 0-1; some builds pass Textract's 0-100 through."""
    if value is None:
        return 0.0
    return max(0.0, min(1.0, value / 100 if value > 1 else value))


def build_view(document: Document) -> DocumentView:
    lines: list[PageLine] = []
    key_values: list[KeyValue] = []
    for page in document.pages:
        for index, line in enumerate(page.lines):  # the engine's reading order (column aware)
            text = " ".join(line.text.split())
            if not text:
                continue
            box = line.bbox
            lines.append(
                PageLine(page.page_num, index, text, _confidence(line.confidence), box.x, box.y, box.width, box.height)
            )
        for kv in [*page.key_values, *page.checkboxes]:
            key_text = " ".join((kv.key.text if hasattr(kv.key, "text") else " ".join(w.text for w in kv.key)).split())
            value = kv.value
            selected = None
            if kv.contains_checkbox:
                selected = bool(kv.is_selected())
                value_text = "SELECTED" if selected else "NOT_SELECTED"
            else:
                value_text = " ".join((value.text if value is not None else "").split())
            if key_text:
                key_values.append(
                    KeyValue(page.page_num, key_text, value_text, _confidence(kv.confidence), kv.bbox.y, selected)
                )
    return DocumentView(lines=lines, key_values=key_values, page_count=len(document.pages))
