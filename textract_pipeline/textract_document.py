"""One way in to a Textract response: amazon-textract-textractor's entity graph, whole or page by page.

Every stage (extraction, reports, metadata) reads Textract JSON through this module so
that the embedded OCR engine and the real service are consumed identically.

Long documents are handled page by page, with memory flat in the page count:

- ``write_response(destination, pages, ...)`` writes the merged AnalyzeDocument JSON (``Blocks``,
  ``DocumentMetadata``, model version: readable by ``json.loads`` and textractor) from an iterator
  of ``(page_number, blocks)`` and returns word count, mean WORD confidence and page count,
  computed while writing. ``write_response_dict`` does the same for a response already in memory.
- ``iter_response_pages(source)`` yields one page's blocks at a time from such a file (any Textract
  JSON file in fact), holding one page and a read buffer, never the whole response.
- ``response_stats``, ``markdown_preview`` and ``iter_page_documents`` (a textractor ``Document`` per
  chunk of pages, for the extractors) are built on it.

Block order: a page's blocks need not be contiguous in a Textract response (the format does not
promise it). Before reading, the file is scanned once at byte level for its ``"Page"`` and
``"BlockType"`` keys (a regular expression over the raw bytes, no JSON decoding): when every
block carries a ``Page`` and pages come in ascending runs (what ``write_response`` writes, what the
local engine and Textract produce), pages are parsed and yielded in one streaming pass. Otherwise
each block's JSON text is spilled to a temporary file with a per-page index (16 bytes a block in
memory) and pages are read back in ascending order: still bounded memory, at the cost of one copy
of the file on disk. Blocks without a ``Page`` key belong to page 1 (a synchronous single-page
AnalyzeDocument response has none).
"""

from __future__ import annotations

import array
import contextlib
import io
import json
import math
import os
import re
import statistics
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from textractor.entities.document import Document

Block = dict[str, Any]
PageBlocks = tuple[int, list[Block]]
Source = str | os.PathLike[str] | BinaryIO

MARKDOWN_PREVIEW_CHARS = 4000
READ_CHARS = 1 << 20  # characters decoded per read while streaming a response
MAX_VALUE_CHARS = 256 << 20  # one block (or other top-level value) larger than this is refused


def load_document(response: dict[str, Any]) -> Document:
    """Parse an AnalyzeDocument / GetDocumentAnalysis response into a textractor Document."""
    from textractor.parsers import response_parser

    return response_parser.parse(response)


def page_count(response: dict[str, Any]) -> int:
    return int(response.get("DocumentMetadata", {}).get("Pages") or 0)


def word_stats(response: dict[str, Any]) -> tuple[int, float]:
    """Word count and mean WORD confidence (0-100), straight from the blocks."""
    confidences = [b["Confidence"] for b in response.get("Blocks", []) if b.get("BlockType") == "WORD"]
    return len(confidences), (statistics.fmean(confidences) if confidences else 0.0)


def block_page(block: Mapping[str, Any]) -> int:
    """The 1-based page of a block; a synchronous single-page response has no ``Page`` keys."""
    page = block.get("Page")
    return 1 if page is None else int(page)


# -- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseStats:
    pages: int
    words: int
    mean_confidence: float  # mean WORD confidence, 0-100; 0.0 without words
    blocks: int


class _ExactSum:
    """A running float sum as exact as ``math.fsum`` (Shewchuk's non-overlapping partials).

    Streamed word statistics then equal ``word_stats`` (``statistics.fmean`` is ``fsum / n``) to
    the last bit, whatever the page order of the additions.
    """

    def __init__(self) -> None:
        self._partials: list[float] = []

    def add(self, value: float) -> None:
        x = float(value)
        kept = 0
        for y in self._partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                self._partials[kept] = low
                kept += 1
            x = high
        self._partials[kept:] = [x]

    @property
    def value(self) -> float:
        return math.fsum(self._partials)


class StatsCounter:
    """Word count, mean WORD confidence and pages, fed one page at a time."""

    def __init__(self) -> None:
        self.pages = 0
        self.words = 0
        self.blocks = 0
        self._confidence = _ExactSum()

    def add_page(self, blocks: Iterable[Mapping[str, Any]]) -> None:
        self.pages += 1
        self.add_blocks(blocks)

    def add_blocks(self, blocks: Iterable[Mapping[str, Any]]) -> None:
        for block in blocks:
            self.blocks += 1
            if block.get("BlockType") == "WORD":
                self.words += 1
                self._confidence.add(block["Confidence"])

    def result(self, pages: int | None = None) -> ResponseStats:
        mean = self._confidence.value / self.words if self.words else 0.0
        return ResponseStats(
            pages=self.pages if pages is None else pages, words=self.words, mean_confidence=mean, blocks=self.blocks
        )


# -- writing ----------------------------------------------------------------------------------


def pages_of_response(response: Mapping[str, Any]) -> Iterator[PageBlocks]:
    """An in-memory response's blocks grouped by page, pages ascending, blocks in response order."""
    grouped: dict[int, list[Block]] = {}
    for block in response.get("Blocks", []):
        grouped.setdefault(block_page(block), []).append(block)
    for page in sorted(grouped):
        yield page, grouped[page]


@contextlib.contextmanager
def _binary(target: Source, mode: str) -> Iterator[IO[bytes]]:
    if isinstance(target, (str, os.PathLike)):
        with open(target, mode) as file:
            yield file
    else:
        yield target


def _write_tail(
    out: IO[bytes], pages: int, document_metadata: Mapping[str, Any] | None, extra: Mapping[str, Any] | None
) -> None:
    extra = dict(extra or {})
    clash = {"Blocks", "DocumentMetadata"} & extra.keys()
    if clash:
        raise ValueError(f"extra must not contain {sorted(clash)}")
    metadata = {**(document_metadata or {}), "Pages": pages}
    out.write(b'],"DocumentMetadata":' + json.dumps(metadata, separators=(",", ":")).encode())
    for key, value in extra.items():
        out.write(b"," + json.dumps(key).encode() + b":" + json.dumps(value, separators=(",", ":")).encode())
    out.write(b"}")


def write_response(
    destination: Source,
    pages: Iterable[PageBlocks],
    *,
    document_metadata: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ResponseStats:
    """Write a Textract-format response page by page; return its statistics.

    ``destination`` is a path or a binary file opened for writing (left open). ``pages`` yields
    ``(page_number, blocks)`` with page numbers strictly ascending; a block's ``Page``, when it has
    one, must be that number. The file is one JSON object: ``Blocks`` first (written as pages
    arrive), then ``DocumentMetadata`` (``document_metadata`` with ``Pages`` set to the number of
    pages written), then ``extra`` (e.g. ``AnalyzeDocumentModelVersion``, ``Warnings``). Key order
    does not matter to ``json.loads`` or textractor. Only the page being written is held.
    ``document_metadata`` and ``extra`` are read after the last page, so the page iterator may
    still fill them in.
    """
    counter = StatsCounter()
    previous = 0
    with _binary(destination, "wb") as out:
        out.write(b'{"Blocks":[')
        first = True
        for page, blocks in pages:
            if page <= previous:
                raise ValueError(f"pages must be written in ascending order: page {page} after page {previous}")
            previous = page
            for block in blocks:
                if block.get("Page", page) != page:
                    raise ValueError(f"block {block.get('Id')} has Page {block.get('Page')}, written as page {page}")
            counter.add_page(blocks)
            if blocks:
                encoded = b",".join(json.dumps(block, separators=(",", ":")).encode() for block in blocks)
                out.write(encoded if first else b"," + encoded)
                first = False
        _write_tail(out, counter.pages, document_metadata, extra)
    return counter.result()


def write_response_dict(destination: Source, response: Mapping[str, Any]) -> ResponseStats:
    """``write_response`` for a response already in memory (an AnalyzeDocument or merged GetDocumentAnalysis).

    ``json.loads`` of the file equals ``response`` when its blocks are grouped by ascending page
    (Textract's order); otherwise the same blocks come out grouped by page.
    """
    extra = {key: value for key, value in response.items() if key not in ("Blocks", "DocumentMetadata")}
    return write_response(
        destination, pages_of_response(response), document_metadata=response.get("DocumentMetadata"), extra=extra
    )


# -- reading ----------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_AFTER_VALUE = ",]}:"  # what may follow a value (or a key) inside the response object
_INCOMPLETE = object()


class _JsonStream:
    """Incremental JSON reading over a text stream: ``json.JSONDecoder.raw_decode`` one value at a time.

    A value is accepted only when the buffer shows what follows it, a ``,`` ``]`` ``}`` or ``:``
    (or the input ended), so a number cut by the buffer's end ("12" of "123", "-5" of "-5e-08") is
    never taken for a shorter one; an incomplete value is retried with more text. Values decode
    exactly as ``json.loads`` would decode them.
    """

    def __init__(self, text: IO[str], read_chars: int = READ_CHARS, max_value_chars: int = MAX_VALUE_CHARS):
        self._text = text
        self._read_chars = max(1, read_chars)
        self._max_value_chars = max_value_chars
        self._decoder = json.JSONDecoder()
        self.buffer = ""
        self.pos = 0
        self.eof = False

    def _more(self, at_least: int = 0) -> bool:
        chunk = self._text.read(max(self._read_chars, at_least))
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end), not consumed."""
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = repr(char) if char else "the end of the file"
            raise ValueError(f"not a Textract JSON response: expected one of {allowed!r}, found {found}")
        self.pos += 1
        return char

    def value(self, raw: bool = False) -> tuple[Any, str | None]:
        """The next JSON value, and its text when ``raw``."""
        self.peek()
        while True:
            try:
                decoded, end = self._decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    raise
                decoded, end = _INCOMPLETE, 0
            if decoded is not _INCOMPLETE:
                after = _WHITESPACE.match(self.buffer, end).end()
                if self.eof or (after < len(self.buffer) and self.buffer[after] in _AFTER_VALUE):
                    text = self.buffer[self.pos : end] if raw else None
                    self.pos = end
                    return decoded, text
            pending = len(self.buffer) - self.pos
            if pending > self._max_value_chars:
                raise ValueError(f"a JSON value in the response is longer than {self._max_value_chars} characters")
            self._more(at_least=pending)  # double the window for long values; at the end: one last try


def _events(stream: _JsonStream, raw: bool = False) -> Iterator[tuple[str, Any, Any]]:
    """('block', block, text) for each element of ``Blocks``, ('key', name, value) for other top-level keys."""
    stream.expect("{")
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            key, _ = stream.value()
            if not isinstance(key, str):
                raise ValueError("not a Textract JSON response: a top-level key is not a string")
            stream.expect(":")
            if key == "Blocks":
                stream.expect("[")
                if stream.peek() == "]":
                    stream.pos += 1
                else:
                    while True:
                        block, text = stream.value(raw)
                        if not isinstance(block, dict):
                            raise ValueError("not a Textract JSON response: a block is not an object")
                        yield "block", block, text
                        if stream.expect(",]") == "]":
                            break
            else:
                value, _ = stream.value()
                yield "key", key, value
            if stream.expect(",}") == "}":
                break
    if stream.peek():
        raise ValueError("not a Textract JSON response: text after the top-level object")


_KEYS = re.compile(rb'"(?:Page"\s*:\s*(\d+)|BlockType"\s*:)')
_SCAN_BYTES = 4 << 20
_SCAN_MARGIN = 256  # longer than any match: a match starting before the margin is complete


def _pages_in_order(binary: IO[bytes]) -> bool:
    """True when every block has a ``Page`` and pages come in ascending runs, or no block has one.

    Counts the ``"Page": n`` and ``"BlockType":`` keys in the raw bytes. Inside a JSON string a
    quote is always escaped, so ``"Page"`` followed by a colon can only be an object key, and in
    Textract JSON only blocks have ``Page`` and ``BlockType`` keys.
    """
    block_types = page_keys = 0
    last_page = 0
    ascending = True
    carry = b""
    while True:
        chunk = binary.read(_SCAN_BYTES)
        data = carry + chunk
        limit = len(data) if not chunk else len(data) - _SCAN_MARGIN
        consumed = 0
        for match in _KEYS.finditer(data):
            if match.start() >= limit:
                break
            consumed = match.end()
            if match.group(1) is None:
                block_types += 1
                continue
            page_keys += 1
            page = int(match.group(1))
            if page < last_page:
                ascending = False
            last_page = page
        if not chunk:
            break
        carry = data[max(consumed, limit) :]
    # "ascending runs": the page sequence never decreases, so each page's blocks are contiguous
    return page_keys == 0 or (page_keys == block_types and ascending)


class ResponseReader:
    """Pages of a Textract JSON file, one at a time; ``header`` holds every other top-level key once read.

    ``source`` is a path or a seekable binary file (left open; read from its start). Iterate
    ``pages()`` once per reader; ``header`` (``DocumentMetadata``, ``AnalyzeDocumentModelVersion``, ...)
    is complete when ``pages()`` is exhausted.
    """

    def __init__(self, source: Source, *, read_chars: int = READ_CHARS):
        self.source = source
        self.read_chars = read_chars
        self.header: dict[str, Any] = {}
        self.in_order: bool | None = None

    def pages(self) -> Iterator[PageBlocks]:
        with _binary(self.source, "rb") as binary:
            binary.seek(0)
            self.in_order = _pages_in_order(binary)
            binary.seek(0)
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            try:
                stream = _JsonStream(text, self.read_chars)
                if self.in_order:
                    yield from self._streamed(stream)
                else:
                    yield from self._spilled(stream)
            finally:
                text.detach()  # leave a caller's file open

    def _streamed(self, stream: _JsonStream) -> Iterator[PageBlocks]:
        page: int | None = None
        blocks: list[Block] = []
        for kind, first, second in _events(stream):
            if kind == "key":
                self.header[first] = second
                continue
            number = block_page(first)
            if number != page:
                if page is not None:
                    if number < page:
                        raise ValueError(f"blocks of page {number} follow page {page} (blocks without a Page key?)")
                    yield page, blocks
                page, blocks = number, []
            blocks.append(first)
        if page is not None:
            yield page, blocks

    def _spilled(self, stream: _JsonStream) -> Iterator[PageBlocks]:
        index: dict[int, array.array] = {}  # page -> offset, length, offset, length, ...
        with tempfile.TemporaryFile(prefix="textract-blocks-") as spill:
            position = 0
            for kind, first, second in _events(stream, raw=True):
                if kind == "key":
                    self.header[first] = second
                    continue
                data = second.encode()
                index.setdefault(block_page(first), array.array("q")).extend((position, len(data)))
                spill.write(data)
                position += len(data)
            for page in sorted(index):
                spans = index.pop(page)
                blocks = []
                for offset, length in zip(spans[::2], spans[1::2], strict=True):
                    spill.seek(offset)
                    blocks.append(json.loads(spill.read(length)))
                yield page, blocks


def iter_response_pages(source: Source) -> Iterator[PageBlocks]:
    """``(page_number, blocks)`` of a Textract JSON file, pages ascending, one page in memory at a time."""
    return ResponseReader(source).pages()


def response_stats(source: Source) -> ResponseStats:
    """``ResponseStats`` of a Textract JSON file, streamed; ``pages`` is ``DocumentMetadata.Pages`` when present."""
    reader = ResponseReader(source)
    counter = StatsCounter()
    for _, blocks in reader.pages():
        counter.add_page(blocks)
    declared = (reader.header.get("DocumentMetadata") or {}).get("Pages")
    return counter.result(None if declared is None else int(declared))


# -- textractor, page by page -----------------------------------------------------------------


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


DEFAULT_PAGES_PER_CHUNK = 1


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


def markdown_preview(source: Source, max_chars: int = MARKDOWN_PREVIEW_CHARS) -> str:
    """textractor's markdown of the document, cut at ``max_chars`` (then ending in "\\n\\n…").

    Parses pages one at a time and stops once the text is longer than ``max_chars``, so memory and
    time depend on the first pages only. Equals the same cut of ``load_document(response).to_markdown()``:
    textractor's document markdown is its pages' markdown joined by the layout separator.
    """
    from textractor.data.markdown_linearization_config import MarkdownLinearizationConfig

    config = MarkdownLinearizationConfig()
    separator = config.layout_element_separator
    texts: list[str] = []
    length = -len(separator)
    with contextlib.closing(iter_response_pages(source)) as pages:
        for page in pages:
            text = load_page_document([page]).to_markdown(config)
            texts.append(text)
            length += len(separator) + len(text)
            if length > max_chars:
                break
    markdown = separator.join(texts)
    return markdown if len(markdown) <= max_chars else markdown[:max_chars] + "\n\n…"
