"""Checkboxes → SELECTION_ELEMENT, found as small square outlines in the working image.

A checkbox is an outer contour of glyph size whose outline is a square (its area fills its
bounding box) enclosing holes that cover much of it; that rejects letters such as "O"
(round outline) or "B" (small holes).
It is SELECTED when the hole holds ink: a filled square, a cross or a tick. A solid square
of checkbox size (the fill touching the frame) is a selected checkbox too.
"""

from __future__ import annotations

import cv2
import numpy as np

from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import PageContent, SelectionMark

MIN_SIZE_IN_TEXT_HEIGHTS = 0.5
MAX_SIZE_IN_TEXT_HEIGHTS = 3.0
MAX_ASPECT_DEVIATION = 0.15
MIN_HOLE_FRACTION = 0.35
# A box crossed or ticked with a heavy pen keeps less paper inside (a ☒ read at the 18-px working
# size: 0.31); it counts when all four sides of its frame are drawn.
MIN_CROSSED_HOLE_FRACTION = 0.1
FRAME_SIDE_INK_FRACTION = 0.85
TICKED_FRAME_SIDE_INK_FRACTION = 0.8
# Boxes drawn to be ticked by hand are not smaller than this; letters reduced to their straight strokes are.
MIN_TICKED_SIZE_IN_TEXT_HEIGHTS = 0.8
# A square found among straight strokes under a word (of two characters or more) read this confidently
# is a letter ("D" of "Do"); a single character is what tesseract makes of a ticked box ("A").
CONFIDENT_WORD = 70.0
# Strokes at least this long (text heights) are kept when a box's frame is looked for without its tick.
STRAIGHT_STROKE_IN_TEXT_HEIGHTS = 0.6
MIN_RECTANGULARITY = 0.9
SELECTED_INK_FRACTION = 0.12
SOLID_FILL_FRACTION = 0.85


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary image, 255 where there is ink.

    The cut is halfway between Otsu's threshold and white: Otsu alone drops the thin light-gray
    rules that checkbox frames and table grids are often printed in.
    """
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, ink = cv2.threshold(gray, (otsu + 255) / 2, 255, cv2.THRESH_BINARY_INV)
    return ink


def find_checkboxes(page: PageContent, ink: np.ndarray | None = None) -> list[SelectionMark]:
    """Checkboxes on the page, minus square letters ("D", "B", "O") that tesseract read inside words."""
    ink = ink_mask(page.image) if ink is None else ink
    candidates = square_marks(ink, page.text_height)
    read_confidently = [word.box for word in page.words if len(word.text) >= 2 and word.confidence >= CONFIDENT_WORD]
    candidates += [
        mark
        for mark in square_marks(_straight_strokes(ink, page.text_height), page.text_height, interior=ink, ticked=True)
        if not any(other.box.contains_point(mark.box.center_x, mark.box.center_y) for other in candidates)
        and not any(box.overlap_area(mark.box) > 0.3 * mark.box.width * mark.box.height for box in read_confidently)
    ]
    # A framed box inside a doubtful word is a box the word swallowed ("☒computed" at 31, "LJ]").
    return [
        mark
        for mark in candidates
        if not any(
            len(word.text) >= 3
            and word.box.contains_point(mark.box.center_x, mark.box.center_y)
            and not (mark.framed and word.confidence < CONFIDENT_WORD)
            for word in page.words
        )
    ]


def without_checkbox_words(page: PageContent, marks: list[SelectionMark]) -> None:
    """Drop the "words" tesseract made out of checkbox frames (one or two characters, or doubtful: "LJ]"),
    and cut a framed box off the end of a longer word that swallowed it ("☒computed")."""
    for line in page.lines:
        line.words = [
            word
            for word in line.words
            if (len(word.text) > 2 and word.confidence >= CONFIDENT_WORD)
            or not any(word.box.overlap_area(m.box) > 0.5 * word.box.width * word.box.height for m in marks)
        ]
        for word in line.words:
            for mark in marks:
                if mark.framed and len(word.text) > 2 and word.box.contains_point(mark.box.center_x, mark.box.center_y):
                    word.box = _without(word.box, mark.box)
    page.lines = [line for line in page.lines if line.words]


def _without(box: Box, cut: Box) -> Box:
    """`box` less the part beyond `cut`'s far edge, on whichever end `cut` sits."""
    if cut.center_x - box.left < box.right - cut.center_x:
        return Box(min(cut.right, box.right - 1), box.top, box.right, box.bottom)
    return Box(box.left, box.top, max(cut.left, box.left + 1), box.bottom)


def _straight_strokes(ink: np.ndarray, text_height: float) -> np.ndarray:
    """Only the ink's horizontal and vertical strokes: a box's frame without the tick that runs out of it.

    A hand tick drawn across a box's edge joins the box and the stroke into one shape that is no
    longer square; without its slanted strokes the frame is a square again.
    """
    length = max(3, round(STRAIGHT_STROKE_IN_TEXT_HEIGHTS * text_height))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return cv2.bitwise_or(horizontal, vertical)


def square_marks(
    ink: np.ndarray, text_height: float, interior: np.ndarray | None = None, ticked: bool = False
) -> list[SelectionMark]:
    """Square frames of glyph size in `ink`; whether each is selected is read from `interior` (default `ink`).

    `ticked`: `ink` holds straight strokes only, where the stub of a tick drawn out of a box can
    remain on its frame, so the frame may sit a little inside the outline and need not be a clean
    rectangle.
    """
    interior = ink if interior is None else interior
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    hierarchy = hierarchy[0]
    smallest, largest = (
        MIN_SIZE_IN_TEXT_HEIGHTS * text_height,
        MAX_SIZE_IN_TEXT_HEIGHTS * text_height,
    )
    marks: list[SelectionMark] = []
    for index, (_, _, first_child, parent) in enumerate(hierarchy):
        if parent != -1:
            continue
        x, y, w, h = cv2.boundingRect(contours[index])
        if ticked:
            smallest = max(smallest, MIN_TICKED_SIZE_IN_TEXT_HEIGHTS * text_height)
        if not (smallest <= w <= largest and smallest <= h <= largest):
            continue
        if abs(w / h - 1.0) > MAX_ASPECT_DEVIATION:
            continue
        if first_child == -1 or _is_solid(ink, x, y, w, h):
            if _is_solid(ink, x, y, w, h):
                marks.append(SelectionMark(Box(x, y, x + w, y + h), True, 90.0))
            continue
        framed = _has_square_frame(ink, x, y, w, h, ticked)
        if cv2.contourArea(contours[index]) < MIN_RECTANGULARITY * (w - 1) * (h - 1) and not (ticked and framed):
            continue
        holes = _holes_area(contours, hierarchy, first_child)
        if holes < MIN_HOLE_FRACTION * w * h and not (holes >= MIN_CROSSED_HOLE_FRACTION * w * h and framed):
            continue
        inner = interior[y + h // 4 : y + h - h // 4, x + w // 4 : x + w - w // 4]
        ink_fraction = float(np.count_nonzero(inner)) / inner.size if inner.size else 0.0
        selected = ink_fraction >= SELECTED_INK_FRACTION
        # Confidence grows with how clearly the interior is empty or inked.
        margin = abs(ink_fraction - SELECTED_INK_FRACTION) / max(SELECTED_INK_FRACTION, 1 - SELECTED_INK_FRACTION)
        confidence = 60.0 + 39.0 * min(margin * 2, 1.0)
        marks.append(SelectionMark(Box(x, y, x + w, y + h), selected, confidence, framed=framed))
    # The fill of a selected box is itself a solid square inside the frame: keep the frame only.
    return [
        mark
        for mark in marks
        if not any(
            other is not mark
            and other.box.width > mark.box.width
            and other.box.contains_point(mark.box.center_x, mark.box.center_y)
            for other in marks
        )
    ]


def _is_solid(ink: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    return float(np.count_nonzero(ink[y : y + h, x : x + w])) / (w * h) >= SOLID_FILL_FRACTION


def _has_square_frame(ink: np.ndarray, x: int, y: int, w: int, h: int, ticked: bool = False) -> bool:
    """All four sides of the box are drawn: a frame, not a letter (O, D, B leave corners or a side open)."""
    box = ink[y : y + h, x : x + w] > 0
    depth = max(2, min(w, h) // (5 if ticked else 8))
    least = TICKED_FRAME_SIDE_INK_FRACTION if ticked else FRAME_SIDE_INK_FRACTION
    sides = (box[:depth, :], box[-depth:, :], box[:, :depth].T, box[:, -depth:].T)
    return all(float(side.mean(axis=1).max()) >= least for side in sides)


def _holes_area(contours, hierarchy, first_child: int) -> float:
    """Total area of a contour's holes (a ticked or crossed box has several)."""
    area, child = 0.0, first_child
    while child != -1:
        area += cv2.contourArea(contours[child])
        child = hierarchy[child][0]
    return area
