"""Tesseract → words and lines on an upright working image.

Uses tesserocr's result iterator at WORD level (with TEXTLINE / PARA boundaries) rather than
parsing hOCR. Tesseract keeps a visual row as one line even across wide gaps, while Textract
emits one LINE per run of closely spaced words; lines are split at gaps wider than
`LINE_GAP_IN_HEIGHTS` word heights to match.
"""

from __future__ import annotations

import math
import statistics
import string
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image
from tesserocr import PSM, RIL, PyResultIterator, PyTessBaseAPI, iterate_level

from textract_pipeline.ocr.budget import PageBudget, recognize_within
from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import Line, Word
from textract_pipeline.ocr.preprocess import without_tint

LINE_GAP_IN_HEIGHTS = 1.5
# Only baselines at least this many line heights long are trusted to measure skew.
MIN_SKEW_LINE_IN_HEIGHTS = 8.0
# Below this confidence tesseract's "words" are almost always rules, specks or box edges.
MIN_WORD_CONFIDENCE = 25.0
# Real one- and two-letter words read at 85-95; what tesseract makes of an icon, a logo or the edge
# of a photo ("a", "©", "ee", "Ss") mostly below this.
SHORT_WORD_CHARACTERS = 2
MIN_SHORT_WORD_CONFIDENCE = 60.0
RULE_CHARACTERS = set("|_—–-=~.,:;'\"`!/\\[](){}<>")


@dataclass
class Recognition:
    lines: list[Line]
    skew_degrees: float  # counter-clockwise rotation (degrees) that levels the text

    @property
    def looks_sideways(self) -> bool:
        """Most longer words are taller than wide: tesseract read a turned page as vertical text."""
        long_words = [word for line in self.lines for word in line.words if len(word.text) >= 3]
        tall = sum(1 for word in long_words if word.box.height > word.box.width)
        return bool(long_words) and tall > len(long_words) / 2

    @property
    def mean_confidence(self) -> float:
        confidences = [word.confidence for line in self.lines for word in line.words]
        return statistics.fmean(confidences) if confidences else 0.0


def recognize(api: PyTessBaseAPI, image: Image.Image, budget: PageBudget | None = None) -> Recognition:
    """OCR the working image into Textract-style lines, and measure the page's skew on the way."""
    api.SetPageSegMode(PSM.AUTO)
    api.SetImage(without_tint(image))
    recognize_within(api, budget)
    iterator = api.GetIterator()
    if iterator is None:
        return Recognition([], 0.0)
    recognition = read_lines(iterator)
    api.Clear()  # free tesseract's copy of the page and its results before the next stage
    return recognition


def read_lines(iterator: PyResultIterator) -> Recognition:
    """Words grouped into lines, and the skew: the median slope of the long lines' baselines.

    (Tesseract's own deskew angle from `Orientation()` stays 0 unless OSD runs.)
    """
    tesseract_lines: list[tuple[list[Word], int]] = []
    slopes: list[float] = []
    paragraph = 0
    for word_iterator in iterate_level(iterator, RIL.WORD):
        if word_iterator.Empty(RIL.WORD):
            continue
        starts_paragraph = word_iterator.IsAtBeginningOf(RIL.PARA)
        starts_line = word_iterator.IsAtBeginningOf(RIL.TEXTLINE)
        text = (word_iterator.GetUTF8Text(RIL.WORD) or "").strip()
        bounds = word_iterator.BoundingBox(RIL.WORD)
        if starts_paragraph:
            paragraph += 1
        if starts_line or not tesseract_lines:
            tesseract_lines.append(([], paragraph))
            slopes += _baseline_slope(word_iterator)
        if not text or bounds is None:
            continue
        word = Word(text, Box(*bounds), float(word_iterator.Confidence(RIL.WORD)))
        if _is_noise(word):
            continue
        tesseract_lines[-1][0].append(word)
    lines: list[Line] = []
    for words, paragraph_number in tesseract_lines:
        for run in split_at_gaps(words):
            lines.append(Line(run, paragraph=paragraph_number))
    skew = math.degrees(math.atan(statistics.median(slopes))) if slopes else 0.0
    return Recognition(lines, skew)


def _baseline_slope(line_iterator: PyResultIterator) -> list[float]:
    """The line's baseline slope (dy/dx, y down) when the line is long enough to measure it."""
    baseline = line_iterator.Baseline(RIL.TEXTLINE)
    bounds = line_iterator.BoundingBox(RIL.TEXTLINE)
    if not baseline or not bounds:
        return []
    (x1, y1), (x2, y2) = baseline
    line_height = bounds[3] - bounds[1]
    if x2 - x1 < MIN_SKEW_LINE_IN_HEIGHTS * max(line_height, 1):
        return []
    return [(y2 - y1) / (x2 - x1)]


def split_at_gaps(words: list[Word], gap_in_heights: float = LINE_GAP_IN_HEIGHTS) -> Iterable[list[Word]]:
    """Split one visual row into Textract-style lines at gaps wider than `gap_in_heights` word heights."""
    if not words:
        return
    ordered = sorted(words, key=lambda word: word.box.left)
    height = statistics.median(word.box.height for word in ordered)
    run = [ordered[0]]
    for word in ordered[1:]:
        if word.box.left - run[-1].box.right > gap_in_heights * height:
            yield run
            run = []
        run.append(word)
    yield run


def _is_noise(word: Word) -> bool:
    """Specks, rules and box edges read as punctuation; icons and picture edges read as a letter or two."""
    if word.confidence < MIN_WORD_CONFIDENCE or all(ch in "_|" for ch in word.text):
        return True
    if len(word.text) <= SHORT_WORD_CHARACTERS and word.confidence < MIN_SHORT_WORD_CONFIDENCE:
        core = word.text.strip(string.punctuation)
        # A lone capital or digit is a field value (a middle initial, a box number): kept.
        return not (len(core) == 1 and (core.isupper() or core.isdigit()))
    return all(ch in RULE_CHARACTERS for ch in word.text) and word.confidence < 60
