"""What the engine knows about a page before it becomes Textract blocks."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from textract_pipeline.ocr.geometry import Box, PageFrame


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

    _box_cache: tuple[list[Word], int, Box] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def box(self) -> Box:
        """Union of the word boxes (cached: the form rules ask for it in nested loops over lines).

        The cache is keyed on the `words` list itself and its length: callers replace or extend the
        list but never edit it in place.
        """
        cached = self._box_cache
        if cached is not None and cached[0] is self.words and cached[1] == len(self.words):
            return cached[2]
        boxes = [word.box for word in self.words]
        box = Box(
            min(box.left for box in boxes),
            min(box.top for box in boxes),
            max(box.right for box in boxes),
            max(box.bottom for box in boxes),
        )
        self._box_cache = (self.words, len(self.words), box)
        return box

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
    framed: bool = False  # all four sides drawn: a box, never a letter


@dataclass
class PageContent:
    """One page read into words and lines, with the working image the geometry refers to.

    `image` is the upright grayscale working image (uint8, 0 = ink), kept so graphic
    detectors (rules, checkboxes) see the same pixels the words were read from; `ink` is its
    ink mask (255 = ink, see `selection.ink_mask`) when already computed.
    """

    number: int
    frame: PageFrame
    image: np.ndarray
    lines: list[Line] = field(default_factory=list)
    ink: np.ndarray | None = None

    @property
    def words(self) -> list[Word]:
        return [word for line in self.lines for word in line.words]

    @property
    def text_height(self) -> float:
        """Median word height in working pixels: the unit the layout heuristics measure in."""
        heights = [word.box.height for word in self.words]
        return statistics.median(heights) if heights else 30.0
