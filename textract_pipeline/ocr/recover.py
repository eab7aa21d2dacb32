"""Printed text that tesseract's page layout analysis lost, found in the ink and read again.

Tesseract sometimes drops clearly printed text: a paragraph its layout analysis never turns
into a text block (dense capitals on a speckled scan), or two lines of a boxed stamp merged
with the text of the next column into one tall "line" it reads as low-confidence junk, which
`words.py` then discards. The ink shows what is missing: glyph-sized connected components
that no recognized word covers, standing in rows. Each such region is cut out, with every
component already read and every rule or frame erased, and read on its own as one block of
text; the words it yields where no word was are added to the page as new lines.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image
from tesserocr import PSM, PyTessBaseAPI

from textract_pipeline.ocr.budget import PageBudget, recognize_within
from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import Line, PageContent, Word
from textract_pipeline.ocr.words import read_lines

# A glyph is a component 0.5-2.2 glyph heights tall and at most 3 glyph heights wide.
MIN_GLYPH_HEIGHT = 0.5
MAX_GLYPH_HEIGHT = 2.2
MAX_GLYPH_WIDTH = 3.0
# Unread glyphs this close (glyph heights, across / down) belong to one region.
JOIN_ACROSS = 1.2
JOIN_DOWN = 0.6
# A region worth reading holds at least this many unread glyphs and is this many glyph heights wide.
MIN_REGION_GLYPHS = 4
MIN_REGION_WIDTH = 3.0
MAX_REGIONS = 8
# Recovered words must read at least this confidently (the page's own floor is 25): they come from
# ink tesseract already turned down once, which includes logos, seals and handwriting.
MIN_RECOVERED_CONFIDENCE = 60.0
MARGIN = 0.4  # glyph heights of paper kept around a region


def recover_unread_text(
    api: PyTessBaseAPI, page: PageContent, glyph_height: float, budget: PageBudget | None = None
) -> int:
    """Read the page's unread text regions and add their words as lines; returns the words added."""
    if page.ink is None:
        return 0
    regions = unread_regions(page.ink, [word.box for word in page.words], glyph_height)
    if not regions:
        return 0
    added = 0
    try:
        for box, paper in regions:
            lines = _read_region(api, page.image, box, paper, budget)
            lines = [_without_known_words(line, page.words) for line in lines]
            lines = [line for line in lines if line.words]
            paragraph = max((line.paragraph for line in page.lines), default=0) + 1
            for line in lines:
                line.paragraph = paragraph
                _insert_in_reading_order(page.lines, line)
                added += len(line.words)
    finally:
        api.SetPageSegMode(PSM.AUTO)
    return added


def unread_regions(ink: np.ndarray, word_boxes: list[Box], glyph_height: float) -> list[tuple[Box, np.ndarray]]:
    """Boxes of rows of glyphs no word covers, each with the pixels to read there (True = keep).

    Found on the ink with every word box erased, reduced so glyphs are ~9 px tall (a label image
    of the full page would cost more than the search); regions come largest first, at most
    `MAX_REGIONS`. In each region's crop, components that are too large to be glyphs (rules,
    frames) and the ink of words already read are erased.
    """
    step = max(1, int(glyph_height // 9))
    if min(ink.shape) < 8 * step:
        step = 1
    residual = ink.copy()
    for box in word_boxes:
        residual[int(box.top) : int(box.bottom) + 1, int(box.left) : int(box.right) + 1] = 0
    small = residual
    if step > 1:
        small = cv2.resize(residual, (ink.shape[1] // step, ink.shape[0] // step), interpolation=cv2.INTER_AREA)
    small_glyph = glyph_height / step
    count, _, stats, _ = cv2.connectedComponentsWithStats((small > 0).astype(np.uint8), connectivity=8)
    width, height = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    glyph = (
        (height >= MIN_GLYPH_HEIGHT * small_glyph)
        & (height <= MAX_GLYPH_HEIGHT * small_glyph)
        & (width <= MAX_GLYPH_WIDTH * small_glyph)
    )
    if glyph.sum() < MIN_REGION_GLYPHS:
        return []
    seeds = np.zeros(small.shape, dtype=np.uint8)
    for x, y, w, h, _ in stats[1:][glyph]:
        seeds[y : y + h, x : x + w] = 255
    kernel = np.ones((max(1, round(JOIN_DOWN * small_glyph)), max(1, round(JOIN_ACROSS * small_glyph))), np.uint8)
    region_count, region_labels, region_stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(seeds, kernel))
    glyph_stats = stats[1:][glyph]
    glyphs_per_region = np.bincount(
        region_labels[glyph_stats[:, 1] + glyph_stats[:, 3] // 2, glyph_stats[:, 0] + glyph_stats[:, 2] // 2],
        minlength=region_count,
    )
    candidates = [
        index
        for index in range(1, region_count)
        if glyphs_per_region[index] >= MIN_REGION_GLYPHS
        and region_stats[index, cv2.CC_STAT_WIDTH] >= MIN_REGION_WIDTH * small_glyph
    ]
    candidates.sort(key=lambda index: -glyphs_per_region[index])
    margin = round(MARGIN * glyph_height)
    regions = []
    for index in candidates[:MAX_REGIONS]:
        x, y, w, h = (int(value) * step for value in region_stats[index, :4])
        x0, y0 = max(0, x - margin), max(0, y - margin)
        x1, y1 = min(ink.shape[1], x + w + step + margin), min(ink.shape[0], y + h + step + margin)
        regions.append((Box(x0, y0, x1, y1), _glyph_pixels(ink[y0:y1, x0:x1], residual[y0:y1, x0:x1], glyph_height)))
    return regions


def _glyph_pixels(ink: np.ndarray, residual: np.ndarray, glyph_height: float) -> np.ndarray:
    """Where the crop is paper or unread ink small enough to be text: not read words, rules or frames."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(residual, connectivity=8)
    large = (stats[:, cv2.CC_STAT_HEIGHT] > MAX_GLYPH_HEIGHT * glyph_height) | (
        stats[:, cv2.CC_STAT_WIDTH] > MAX_GLYPH_WIDTH * glyph_height
    )
    large[0] = False
    return (ink == 0) | ((residual > 0) & ~large[labels])


def _read_region(
    api: PyTessBaseAPI, image: np.ndarray, box: Box, keep: np.ndarray, budget: PageBudget | None
) -> list[Line]:
    x0, y0, x1, y1 = int(box.left), int(box.top), int(box.right), int(box.bottom)
    crop = np.where(keep, image[y0:y1, x0:x1], 255).astype(np.uint8)
    api.SetPageSegMode(PSM.SINGLE_BLOCK)
    api.SetImage(Image.fromarray(crop))
    recognize_within(api, budget)
    iterator = api.GetIterator()
    lines = read_lines(iterator).lines if iterator is not None else []
    api.Clear()
    shifted = []
    for line in lines:
        words = [
            Word(
                word.text,
                Box(word.box.left + x0, word.box.top + y0, word.box.right + x0, word.box.bottom + y0),
                word.confidence,
            )
            for word in line.words
            if word.confidence >= MIN_RECOVERED_CONFIDENCE and any(ch.isalnum() for ch in word.text)
        ]
        if words:
            shifted.append(Line(words))
    return shifted


def _without_known_words(line: Line, known: list[Word]) -> Line:
    """Drop recovered words that sit on a word the page already has."""
    line.words = [
        word
        for word in line.words
        if not any(other.box.contains_point(word.box.center_x, word.box.center_y) for other in known)
    ]
    return line


def _insert_in_reading_order(lines: list[Line], new: Line) -> None:
    """Before the first line that starts below the new one in its column, else at the end."""
    box = new.box
    for index, line in enumerate(lines):
        other = line.box
        same_column = min(other.right, box.right) > max(other.left, box.left)
        if same_column and other.top > box.top:
            lines.insert(index, new)
            return
    lines.append(new)
