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
    word_boxes = [word.box for word in page.words if len(word.text) >= 3]
    return [
        mark
        for mark in candidates
        if not any(box.contains_point(mark.box.center_x, mark.box.center_y) for box in word_boxes)
    ]


def without_checkbox_words(page: PageContent, marks: list[SelectionMark]) -> None:
    """Drop the one- or two-character "words" tesseract made out of checkbox frames."""
    for line in page.lines:
        line.words = [
            word
            for word in line.words
            if len(word.text) > 2
            or not any(word.box.overlap_area(m.box) > 0.5 * word.box.width * word.box.height for m in marks)
        ]
    page.lines = [line for line in page.lines if line.words]


def square_marks(ink: np.ndarray, text_height: float) -> list[SelectionMark]:
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
        if not (smallest <= w <= largest and smallest <= h <= largest):
            continue
        if abs(w / h - 1.0) > MAX_ASPECT_DEVIATION:
            continue
        if first_child == -1 or _is_solid(ink, x, y, w, h):
            if _is_solid(ink, x, y, w, h):
                marks.append(SelectionMark(Box(x, y, x + w, y + h), True, 90.0))
            continue
        if cv2.contourArea(contours[index]) < MIN_RECTANGULARITY * (w - 1) * (h - 1):
            continue
        holes = _holes_area(contours, hierarchy, first_child)
        if holes < MIN_HOLE_FRACTION * w * h and not (
            holes >= MIN_CROSSED_HOLE_FRACTION * w * h and _has_square_frame(ink, x, y, w, h)
        ):
            continue
        inner = ink[y + h // 4 : y + h - h // 4, x + w // 4 : x + w - w // 4]
        ink_fraction = float(np.count_nonzero(inner)) / inner.size if inner.size else 0.0
        selected = ink_fraction >= SELECTED_INK_FRACTION
        # Confidence grows with how clearly the interior is empty or inked.
        margin = abs(ink_fraction - SELECTED_INK_FRACTION) / max(SELECTED_INK_FRACTION, 1 - SELECTED_INK_FRACTION)
        marks.append(SelectionMark(Box(x, y, x + w, y + h), selected, 60.0 + 39.0 * min(margin * 2, 1.0)))
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


def _has_square_frame(ink: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """All four sides of the box are drawn: a frame, not a letter (O, D, B leave corners or a side open)."""
    box = ink[y : y + h, x : x + w] > 0
    depth = max(2, min(w, h) // 8)
    sides = (box[:depth, :], box[-depth:, :], box[:, :depth].T, box[:, -depth:].T)
    return all(float(side.mean(axis=1).max()) >= FRAME_SIDE_INK_FRACTION for side in sides)


def _holes_area(contours, hierarchy, first_child: int) -> float:
    """Total area of a contour's holes (a ticked or crossed box has several)."""
    area, child = 0.0, first_child
    while child != -1:
        area += cv2.contourArea(contours[child])
        child = hierarchy[child][0]
    return area
