"""What the engine knows about a page before it becomes Textract blocks."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from textract_pipeline.ocr.geometry import Box, PageFrame, union_all


@dataclass
class Word:
    text: str
    box: Box
    confidence: float
    block_id: str = ""


@dataclass
class Line:
    words: list[Word]
    paragraph: int = 0
    block_id: str = ""

    @property
    def box(self) -> Box:
        return union_all(word.box for word in self.words)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def confidence(self) -> float:
        return statistics.fmean(word.confidence for word in self.words)


@dataclass
class SelectionMark:
    box: Box
    selected: bool
    confidence: float
    block_id: str = ""


@dataclass
class PageContent:
    """One page read into words and lines, with the working image the geometry refers to.

    `image` is the upright grayscale working image (uint8, 0 = ink), kept so graphic
    detectors (rules, checkboxes) see the same pixels the words were read from.
    """

    number: int
    frame: PageFrame
    image: np.ndarray
    lines: list[Line] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [word for line in self.lines for word in line.words]

    @property
    def text_height(self) -> float:
        """Median word height in working pixels: the unit the layout heuristics measure in."""
        heights = [word.box.height for word in self.words]
        return statistics.median(heights) if heights else 30.0
