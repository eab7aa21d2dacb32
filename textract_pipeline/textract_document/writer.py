"""A Textract-format response file written page by page, with its statistics computed on the way."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from textract_pipeline.textract_document.reader import Block, PageBlocks, Source, block_page, open_binary
from textract_pipeline.textract_document.statistics import ResponseStats, StatsCounter


def pages_of_response(response: Mapping[str, Any]) -> Iterator[PageBlocks]:
    """An in-memory response's blocks grouped by page, pages ascending, blocks in response order."""
    grouped: dict[int, list[Block]] = {}
    for block in response.get("Blocks", []):
        grouped.setdefault(block_page(block), []).append(block)
    for page in sorted(grouped):
        yield page, grouped[page]


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
    with open_binary(destination, "wb") as out:
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
