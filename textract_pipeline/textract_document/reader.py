"""A Textract JSON file read page by page, and textractor Documents of its pages.

``ResponseReader`` reads a file in two passes, each linear in its size: ``malformed.survey``
checks the whole file and tells whether pages come in order, then ijson streams the blocks
(``Blocks.item``) and they are grouped by page. When every block carries a ``Page`` and pages
come in ascending runs (what ``write_response``, the local engine and Textract write), a page is
yielded as soon as its last block is read: one page in memory. Otherwise (the format does not
promise contiguous pages) each block is spilled to a temporary file with a per-page index
(16 bytes a block in memory) and pages are read back in ascending order. Blocks without a
``Page`` key belong to page 1 (a synchronous single-page AnalyzeDocument response has none).
Each page is checked (``malformed.check_page``) before it is yielded.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import ijson

from textract_pipeline.textract_document.malformed import MalformedResponseError, check_page, survey

if TYPE_CHECKING:
    from textractor.entities.document import Document

Block = dict[str, Any]
PageBlocks = tuple[int, list[Block]]
Source = str | os.PathLike[str] | BinaryIO

BUFFER_BYTES = 1 << 16  # bytes ijson reads at a time
DEFAULT_PAGES_PER_CHUNK = 1
# textractor divides by box heights when it orders lines (markdown, layout text): a box of
# zero extent (a page box of 0.01 pt, a degenerate OCR box) gets this much instead.
MIN_BOX_EXTENT = 1e-6
# What textractor raises on input it cannot read (it checks little itself).
_TEXTRACTOR_ERRORS = (KeyError, TypeError, ValueError, AssertionError, IndexError, AttributeError, RecursionError)


def block_page(block: Mapping[str, Any]) -> int:
    """The 1-based page of a block; a synchronous single-page response has no ``Page`` keys."""
    page = block.get("Page")
    return 1 if page is None else int(page)


@contextlib.contextmanager
def open_binary(target: Source, mode: str) -> Iterator[IO[bytes]]:
    """A path opened in ``mode``, or a caller's binary file as it is (left open)."""
    if isinstance(target, (str, os.PathLike)):
        with open(target, mode) as file:
            yield file
    else:
        yield target


class ResponseReader:
    """Pages of a Textract JSON file, one at a time; ``header`` holds every other top-level key.

    ``source`` is a path or a seekable binary file (left open; read from its start). Iterate
    ``pages()`` once per reader; ``header`` and ``in_order`` are set when the first page is
    asked for. A malformed file raises ``MalformedResponseError`` before the page it concerns.
    """

    def __init__(self, source: Source, *, buffer_bytes: int = BUFFER_BYTES):
        self.source = source
        self.buffer_bytes = buffer_bytes
        self.header: dict[str, Any] = {}
        self.in_order: bool | None = None

    def pages(self) -> Iterator[PageBlocks]:
        with open_binary(self.source, "rb") as binary:
            binary.seek(0)
            found = survey(binary)
            self.header, self.in_order = found.header, found.pages_in_order
            binary.seek(0)
            blocks = ijson.items(binary, "Blocks.item", use_float=True, buf_size=self.buffer_bytes)
            try:
                for number, page_blocks in (self._streamed if self.in_order else self._spilled)(blocks):
                    check_page(number, page_blocks)
                    yield number, page_blocks
            except ijson.JSONError as error:  # the file changed since the survey
                raise MalformedResponseError(f"the file changed while it was read ({error})") from None

    @staticmethod
    def _streamed(blocks: Iterable[Block]) -> Iterator[PageBlocks]:
        page: int | None = None
        page_blocks: list[Block] = []
        for block in blocks:
            number = block_page(block)
            if number != page:
                if page is not None:
                    yield page, page_blocks
                page, page_blocks = number, []
            page_blocks.append(block)
        if page is not None:
            yield page, page_blocks

    @staticmethod
    def _spilled(blocks: Iterable[Block]) -> Iterator[PageBlocks]:
        index: dict[int, array.array] = {}  # page -> offset, length, offset, length, ...
        with tempfile.TemporaryFile(prefix="textract-blocks-") as spill:
            position = 0
            for block in blocks:
                data = json.dumps(block, separators=(",", ":")).encode()
                index.setdefault(block_page(block), array.array("q")).extend((position, len(data)))
                spill.write(data)
                position += len(data)
            for page in sorted(index):
                spans = index.pop(page)
                page_blocks = []
                for offset, length in zip(spans[::2], spans[1::2], strict=True):
                    spill.seek(offset)
                    page_blocks.append(json.loads(spill.read(length)))
                yield page, page_blocks


def iter_response_pages(source: Source) -> Iterator[PageBlocks]:
    """``(page_number, blocks)`` of a Textract JSON file, pages ascending, one page in memory at a time."""
    return ResponseReader(source).pages()


def _give_boxes_extent(blocks: Iterable[Block]) -> None:
    for block in blocks:
        box = (block.get("Geometry") or {}).get("BoundingBox")
        if isinstance(box, dict):
            for side in ("Width", "Height"):
                if isinstance(box.get(side), (int, float)) and box[side] < MIN_BOX_EXTENT:
                    box[side] = MIN_BOX_EXTENT


def load_document(response: dict[str, Any]) -> Document:
    """Parse an AnalyzeDocument / GetDocumentAnalysis response into a textractor Document.

    Boxes of zero width or height are given ``MIN_BOX_EXTENT`` (in place), so the Document's
    text and markdown can be computed; what textractor cannot parse raises
    ``MalformedResponseError``.
    """
    from textractor.parsers import response_parser

    _give_boxes_extent(response.get("Blocks") or ())
    try:
        return response_parser.parse(response)
    except _TEXTRACTOR_ERRORS as error:
        raise MalformedResponseError(f"textractor cannot read it ({type(error).__name__}: {error})") from None


def load_page_document(pages: Sequence[PageBlocks]) -> Document:
    """A textractor Document of some pages of a response (``DocumentMetadata.Pages`` = their count).

    Textract relationships never cross pages, so a page parses alone as it does in the whole
    document. textractor numbers a lone page 1 whatever its ``Page`` key: callers that need the
    real numbers keep them (``PageChunk.page_numbers``). The blocks are handed to textractor, which
    modifies some of them (layout types): pass blocks the caller does not need afterwards.
    """
    blocks = [block for _, page_blocks in pages for block in page_blocks]
    return load_document({"DocumentMetadata": {"Pages": len(pages)}, "Blocks": blocks})


@dataclass(frozen=True)
class PageChunk:
    page_numbers: tuple[int, ...]  # the response's page numbers, in the order of ``document.pages``
    document: Document


def iter_page_documents(source: Source, pages_per_chunk: int = DEFAULT_PAGES_PER_CHUNK) -> Iterator[PageChunk]:
    """One textractor Document per ``pages_per_chunk`` consecutive pages of a Textract JSON file.

    Memory is one chunk's blocks and entity graph. Smaller is also faster: textractor's parser
    walks every LINE / KEY_VALUE_SET of the response once per page, so a chunk costs
    pages x blocks. Results of the extractors do not depend on the chunk size (their rules see the
    merged ``DocumentView``), so the default is one page.
    """
    if pages_per_chunk < 1:
        raise ValueError("pages_per_chunk must be at least 1")
    chunk: list[PageBlocks] = []
    for page in iter_response_pages(source):
        chunk.append(page)
        if len(chunk) == pages_per_chunk:
            yield PageChunk(tuple(number for number, _ in chunk), load_page_document(chunk))
            chunk = []
    if chunk:
        yield PageChunk(tuple(number for number, _ in chunk), load_page_document(chunk))
