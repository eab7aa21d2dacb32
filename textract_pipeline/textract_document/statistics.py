"""Pages, words and mean WORD confidence of a response, whole or fed one page at a time."""

from __future__ import annotations

import array
import dataclasses
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from textract_pipeline.textract_document.reader import ResponseReader, Source


@dataclass(frozen=True)
class ResponseStats:
    pages: int
    words: int
    mean_confidence: float  # mean WORD confidence, 0-100; 0.0 without words
    blocks: int
    # The response's top-level `Warnings` (pages the engine could not fully read), as Textract gives them.
    warnings: tuple[Mapping[str, Any], ...] = ()


def page_count(response: Mapping[str, Any]) -> int:
    return int(response.get("DocumentMetadata", {}).get("Pages") or 0)


def word_stats(response: Mapping[str, Any]) -> tuple[int, float]:
    """Word count and mean WORD confidence (0-100) of a response in memory."""
    confidences = [b["Confidence"] for b in response.get("Blocks", []) if b.get("BlockType") == "WORD"]
    return len(confidences), (statistics.fmean(confidences) if confidences else 0.0)


class StatsCounter:
    """Word count, mean WORD confidence and pages, fed one page at a time.

    The confidences are kept (8 bytes a word) and summed with ``math.fsum``, so the mean equals
    ``word_stats`` of the whole response to the last bit whatever the order of the pages.
    """

    def __init__(self) -> None:
        self.pages = 0
        self.blocks = 0
        self._confidences = array.array("d")

    @property
    def words(self) -> int:
        return len(self._confidences)

    def add_page(self, blocks: Iterable[Mapping[str, Any]]) -> None:
        self.pages += 1
        self.add_blocks(blocks)

    def add_blocks(self, blocks: Iterable[Mapping[str, Any]]) -> None:
        for block in blocks:
            self.blocks += 1
            if block.get("BlockType") == "WORD":
                self._confidences.append(block["Confidence"])

    def result(self, pages: int | None = None) -> ResponseStats:
        mean = math.fsum(self._confidences) / self.words if self.words else 0.0
        return ResponseStats(
            pages=self.pages if pages is None else pages, words=self.words, mean_confidence=mean, blocks=self.blocks
        )


def response_stats(source: Source) -> ResponseStats:
    """``ResponseStats`` of a Textract JSON file, streamed; ``pages`` is ``DocumentMetadata.Pages`` when present."""
    reader = ResponseReader(source)
    counter = StatsCounter()
    for _, blocks in reader.pages():
        counter.add_page(blocks)
    declared = (reader.header.get("DocumentMetadata") or {}).get("Pages")
    stats = counter.result(None if declared is None else int(declared))
    warnings = reader.header.get("Warnings")
    return dataclasses.replace(stats, warnings=tuple(warnings)) if isinstance(warnings, list) else stats
