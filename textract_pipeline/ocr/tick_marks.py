"""Ticks printed or drawn without a box (✓, ✔) → SELECTED selection elements, never text.

Tesseract reads a bare tick as a letter ("v", "V", "Y", "J", "/"). The tick's shape tells it from
those letters: its lowest point lies left of its middle, only its right arm reaches the top (the
top quarter of a "v", "V" or "Y" holds ink on both sides), and in its lower half the two arms
stand apart (a "/" is one stroke). The word becomes a SELECTED mark and leaves the text. A tick
tesseract dropped as noise is looked for in the ink just left of each line: a component of that
shape no word or checkbox covers.
"""

from __future__ import annotations

import cv2
import numpy as np

from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import PageContent, SelectionMark

# What tesseract makes of a tick; a tick is at least MIN_TICK_HEIGHT text heights tall.
TICK_READINGS = set("vVyYJ/√✓✔")
MIN_TICK_HEIGHT = 0.5
MIN_TICK_ASPECT, MAX_TICK_ASPECT = 0.6, 1.6
# The lowest fifth of the tick: its ink centre lies left of this fraction of the width.
MAX_VERTEX_X = 0.45
# The top quarter: at most this share of its ink in the left 40 % of the width.
MAX_TOP_LEFT_SHARE = 0.1
# Rows between these heights (fractions from the top) where both arms must show as separate runs.
ARMS_BAND = (0.4, 0.8)
# How far left of a line's first word an unread tick may stand, and how far above or below, in line heights.
LEFT_REACH = 2.5
VERTICAL_SLACK = 0.3


def find_tick_marks(page: PageContent, ink: np.ndarray, checkboxes: list[SelectionMark]) -> list[SelectionMark]:
    """The page's bare ticks as SELECTED marks; words read from them are taken out of their lines."""
    marks = []
    for line in page.lines:
        ticks = [
            word for word in line.words if word.text in TICK_READINGS and _is_tick(word.box, ink, page.text_height)
        ]
        if not ticks:
            continue
        line.words = [word for word in line.words if word not in ticks]
        marks += [SelectionMark(_ink_box(word.box, ink), True, 90.0) for word in ticks]
    page.lines = [line for line in page.lines if line.words]
    unread = ink.copy()  # the ink no word or checkbox covers
    for box in [word.box for word in page.words] + [mark.box for mark in checkboxes + marks]:
        unread[int(box.top) : int(box.bottom) + 1, int(box.left) : int(box.right) + 1] = 0
    for line in page.lines:
        box = line.box
        strip = Box(
            max(0.0, box.left - LEFT_REACH * box.height),
            max(0.0, box.top - VERTICAL_SLACK * box.height),
            box.left,
            box.bottom + VERTICAL_SLACK * box.height,
        )
        for candidate in _components(strip, unread, MIN_TICK_HEIGHT * page.text_height):
            if _is_tick(candidate, unread, page.text_height):
                marks.append(SelectionMark(candidate, True, 70.0))
                unread[
                    int(candidate.top) : int(candidate.bottom) + 1, int(candidate.left) : int(candidate.right) + 1
                ] = 0
    return marks


def _components(strip: Box, ink: np.ndarray, min_height: float) -> list[Box]:
    """Boxes of the ink components at least `min_height` tall lying wholly inside the strip."""
    left, top = int(strip.left), int(strip.top)
    crop = ink[top : int(strip.bottom) + 1, left : int(strip.right)]
    if crop.size == 0:
        return []
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop > 0).astype(np.uint8), connectivity=8)
    boxes = []
    for x, y, w, h, _ in stats[1:]:
        if h >= min_height and x > 0 and y > 0 and x + w < crop.shape[1] and y + h < crop.shape[0]:
            boxes.append(Box(left + x, top + y, left + x + w, top + y + h))
    return boxes


def _is_tick(box: Box, ink: np.ndarray, text_height: float) -> bool:
    shape = _largest_component(box, ink)
    if shape is None:
        return False
    height, width = shape.shape
    if height < MIN_TICK_HEIGHT * text_height or not MIN_TICK_ASPECT <= width / height <= MAX_TICK_ASPECT:
        return False
    columns = np.arange(width)
    bottom = shape[-max(1, height // 5) :]
    if not bottom.any() or float((bottom * columns).sum()) / bottom.sum() > MAX_VERTEX_X * width:
        return False
    top = shape[: max(1, height // 4)]
    if float(top[:, : int(0.4 * width)].sum()) > MAX_TOP_LEFT_SHARE * float(top.sum()):
        return False
    band = shape[int(ARMS_BAND[0] * height) : int(ARMS_BAND[1] * height)]
    runs = (np.diff(band.astype(np.int8), axis=1) == 1).sum(axis=1) + band[:, 0]
    return bool((runs >= 2).any())


def _largest_component(box: Box, ink: np.ndarray) -> np.ndarray | None:
    """The biggest connected piece of ink in the box, cropped to itself (1 = ink)."""
    crop = ink[max(0, int(box.top)) : int(box.bottom) + 1, max(0, int(box.left)) : int(box.right) + 1]
    if crop.size == 0:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats((crop > 0).astype(np.uint8), connectivity=8)
    if count < 2:
        return None
    index = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(value) for value in stats[index, :4])
    return (labels[y : y + h, x : x + w] == index).astype(np.uint8)


def _ink_box(box: Box, ink: np.ndarray) -> Box:
    """The tight box of the ink inside a word's box."""
    top, left = max(0, int(box.top)), max(0, int(box.left))
    crop = ink[top : int(box.bottom) + 1, left : int(box.right) + 1]
    ys, xs = np.nonzero(crop)
    if not len(xs):
        return box
    return Box(left + int(xs.min()), top + int(ys.min()), left + int(xs.max()) + 1, top + int(ys.max()) + 1)
