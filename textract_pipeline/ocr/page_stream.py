"""The pages of one document as the engine reads them, and what it noticed on the way.

`analyze_pages` returns a `PageStream`: an iterator of `(page_number, blocks)` that also collects
Textract-style `Warnings` (GetDocumentAnalysis's top-level list, `[{"ErrorCode": ..., "Pages": [...]}]`)
and the CPU time the reading took, both complete once the last page has been read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

PageBlocks = tuple[int, list[dict[str, Any]]]

# A page with ink the size of text on which OCR found no word: handwriting, a faint or photographed
# page, text in a script the model does not read. The page's blocks are only its PAGE block.
NO_TEXT_ON_INKED_PAGE = "NO_TEXT_ON_INKED_PAGE"
WARNING_MEANINGS = {NO_TEXT_ON_INKED_PAGE: "the page has ink but OCR found no text on it"}


class PageStream:
    """Iterator of `(page_number, blocks)`; `warnings` and `cpu_seconds` are final after the last page."""

    def __init__(self, read: Callable[[PageStream], Iterator[PageBlocks]]) -> None:
        self.warnings: list[dict[str, Any]] = []
        self.cpu_seconds = 0.0  # CPU of this process while reading; an isolated engine adds its child's
        self._pages = read(self)

    def __iter__(self) -> PageStream:
        return self

    def __next__(self) -> PageBlocks:
        started = time.process_time()
        try:
            return next(self._pages)
        finally:
            self.cpu_seconds += time.process_time() - started

    def warn(self, error_code: str, page_number: int) -> None:
        for warning in self.warnings:
            if warning["ErrorCode"] == error_code:
                warning["Pages"].append(page_number)
                return
        self.warnings.append({"ErrorCode": error_code, "Pages": [page_number]})

    def close(self) -> None:
        self._pages.close()


def warnings_summary(warnings: list[dict[str, Any]]) -> str:
    """One sentence for people: 'pages [2, 3]: NO_TEXT_ON_INKED_PAGE (the page has ink but ...)'."""
    return "; ".join(
        f"pages {warning['Pages']}: {warning['ErrorCode']} ({WARNING_MEANINGS.get(warning['ErrorCode'], 'see docs/OCR.md')})"
        for warning in warnings
    )


def collect_response(stream: PageStream, model_version: str) -> dict[str, Any]:
    """The whole AnalyzeDocument-format response of a stream, plus `Warnings` when there are any.

    Each finished page is parked as compact JSON (~0.4 KB a block instead of ~2 KB as dicts) and the
    dicts are rebuilt at the end, so the growing response never sits in memory together with a
    page's OCR working set.
    """
    finished_pages: list[bytes] = []
    for _, page_blocks in stream:
        finished_pages.append(json.dumps(page_blocks, separators=(",", ":")).encode())
        del page_blocks
    page_total = len(finished_pages)
    blocks: list[dict[str, Any]] = []
    finished_pages.reverse()
    while finished_pages:
        blocks.extend(json.loads(finished_pages.pop()))
    response: dict[str, Any] = {
        "DocumentMetadata": {"Pages": page_total},
        "Blocks": blocks,
        "AnalyzeDocumentModelVersion": model_version,
    }
    if stream.warnings:
        response["Warnings"] = stream.warnings
    return response
