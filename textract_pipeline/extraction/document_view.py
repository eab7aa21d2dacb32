"""A flat, rule-friendly view of a textractor Document: lines with page, position and confidence.

Rules read lines in reading order and sometimes need geometry (the recorder's stamp at
top right, the mail-to block at top left), so both are kept, with the key-value pairs,
layout headings and table cells V2 needs. Nothing else of the entity graph is.

Everything in the view is page-local, so the view of a long document can be built page by
page (``read_document_view``: a textractor Document per chunk of pages, merged with
``merge_views``) and equals the view of the whole document parsed at once. The view holds the
document's text and a few numbers per line (a few KB a page), never its blocks or words; every
extractor accepts it in place of a Document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textractor.entities.document import Document

    from textract_pipeline.textract_document import PageChunk, Source


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class KeyValue:
    page: int
    key: str
    value: str
    confidence: float
    y: float
    selected: bool | None  # checkboxes only
    key_right: float = 0.0  # where the key's words end and the value's begin, to tell a value from a neighbour's
    value_x: float | None = None


@dataclass(frozen=True, slots=True)
class TableCellView:
    row_index: int
    col_index: int
    text: str  # stripped
    is_column_header: bool
    confidence: float  # as textractor reports it (0-1 or 0-100)


@dataclass(frozen=True, slots=True)
class TableView:
    page: int
    cells: tuple[TableCellView, ...]


@dataclass
class DocumentView:
    lines: list[PageLine]
    key_values: list[KeyValue]
    page_count: int
    layout_headings: set[tuple[int, str]] = field(default_factory=set)  # (page, text upper-cased) of titles
    tables: list[TableView] = field(default_factory=list)  # in page order
    _by_page: dict[int, list[PageLine]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: tuple[int, int] = field(default=(0, -1), init=False, repr=False, compare=False)

    def page_lines(self, page: int) -> list[PageLine]:
        if self._indexed != (id(self.lines), len(self.lines)):  # rules ask per page and per line: index once
            self._by_page = {}
            for line in self.lines:
                self._by_page.setdefault(line.page, []).append(line)
            self._indexed = (id(self.lines), len(self.lines))
        return list(self._by_page.get(page, ()))

    def page_text(self, page: int) -> str:
        return "\n".join(line.text for line in self.page_lines(page))


def _confidence(value: float | None) -> float:
    """textractor reports 0-1; some builds pass Textract's 0-100 through."""
    if value is None:
        return 0.0
    return max(0.0, min(1.0, value / 100 if value > 1 else value))


def build_view(document: Document, page_numbers: Sequence[int] | None = None) -> DocumentView:
    """The view of a textractor Document; ``page_numbers`` renames its pages (in ``document.pages`` order).

    A Document of some pages of a longer response (``PageChunk``) passes their real numbers:
    textractor numbers a lone page 1.
    """
    pages = list(document.pages)
    numbers = [page.page_num for page in pages] if page_numbers is None else list(page_numbers)
    if len(numbers) != len(pages):
        raise ValueError(f"{len(numbers)} page numbers for a document of {len(pages)} pages")
    lines: list[PageLine] = []
    key_values: list[KeyValue] = []
    layout_headings: set[tuple[int, str]] = set()
    tables: list[TableView] = []
    for page, number in zip(pages, numbers, strict=True):
        for index, line in enumerate(page.lines):  # the engine's reading order (column aware)
            text = " ".join(line.text.split())
            if not text:
                continue
            box = line.bbox
            lines.append(
                PageLine(number, index, text, _confidence(line.confidence), box.x, box.y, box.width, box.height)
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
                key_words = [word for word in kv.key if hasattr(word, "bbox")] if not isinstance(kv.key, str) else []
                key_right = max((w.bbox.x + w.bbox.width for w in key_words), default=kv.bbox.x + kv.bbox.width)
                value_x = value.bbox.x if value is not None and not kv.contains_checkbox else None
                key_values.append(
                    KeyValue(
                        number,
                        key_text,
                        value_text,
                        _confidence(kv.confidence),
                        kv.bbox.y,
                        selected,
                        key_right,
                        value_x,
                    )
                )
        for layout in page.layouts:  # Textract LAYOUT_TITLE / LAYOUT_SECTION_HEADER: V2's section headings
            if layout.layout_type in ("LAYOUT_TITLE", "LAYOUT_SECTION_HEADER"):
                layout_headings.add((number, " ".join(layout.text.split()).upper()))
        for table in page.tables:
            cells = tuple(
                TableCellView(
                    cell.row_index, cell.col_index, cell.text.strip(), bool(cell.is_column_header), cell.confidence
                )
                for cell in table.table_cells
            )
            tables.append(TableView(number, cells))
    return DocumentView(
        lines=lines, key_values=key_values, page_count=len(pages), layout_headings=layout_headings, tables=tables
    )


def merge_views(views: Iterable[DocumentView]) -> DocumentView:
    """One view of consecutive parts of a document (given in page order)."""
    merged = DocumentView(lines=[], key_values=[], page_count=0)
    for view in views:
        merged.lines.extend(view.lines)
        merged.key_values.extend(view.key_values)
        merged.page_count += view.page_count
        merged.layout_headings |= view.layout_headings
        merged.tables.extend(view.tables)
    return merged


def view_from_chunks(chunks: Iterable[PageChunk]) -> DocumentView:
    """Merge the views of textractor Documents of consecutive page chunks (``iter_page_documents``)."""
    return merge_views(build_view(chunk.document, chunk.page_numbers) for chunk in chunks)


def read_document_view(source: Source, pages_per_chunk: int | None = None) -> DocumentView:
    """The view of a Textract JSON file (path or binary file), parsed a chunk of pages at a time.

    Peak memory is one chunk's textractor Document plus the view itself (the document's text).
    Equals ``build_view(load_document(json.load(file)))``.
    """
    from textract_pipeline.textract_document import DEFAULT_PAGES_PER_CHUNK, iter_page_documents

    return view_from_chunks(iter_page_documents(source, pages_per_chunk or DEFAULT_PAGES_PER_CHUNK))


def as_view(document: Document | DocumentView) -> DocumentView:
    """Extractors accept either; a Document is viewed whole."""
    return document if isinstance(document, DocumentView) else build_view(document)
