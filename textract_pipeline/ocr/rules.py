"""Printed rules (ruling lines): the skeleton of tables and form fields.

Horizontal and vertical rules are isolated from the ink with morphological opening: a rule
survives an opening with a line-shaped kernel several text heights long, letters do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from textract_pipeline.ocr.geometry import Box

# Rules are at least this many text heights long (underlined fill-in blanks included).
MIN_RULE_IN_TEXT_HEIGHTS = 2.5
# A faint rule is at most this thick (text heights) and at least this much darker than the paper beside it.
FAINT_LINE_MAX_THICKNESS = 0.3
FAINT_LINE_CONTRAST = 20


@dataclass
class Rules:
    horizontal: list[Box]
    vertical: list[Box]
    grid: np.ndarray  # both kinds of rule, thickened slightly so crossings connect

    def next_horizontal_below(self, x: float, y: float) -> Box | None:
        """The nearest horizontal rule under the point (x, y)."""
        below = [rule for rule in self.horizontal if rule.left <= x <= rule.right and rule.center_y > y]
        return min(below, key=lambda rule: rule.center_y, default=None)

    def horizontal_between(self, x: float, top: float, bottom: float) -> bool:
        """Whether a horizontal rule crosses the vertical segment at `x` from `top` to `bottom`."""
        return any(rule.left <= x <= rule.right and top <= rule.center_y <= bottom for rule in self.horizontal)


def find_rules(ink: np.ndarray, text_height: float, gray: np.ndarray | None = None) -> Rules:
    """The page's rules, from its ink mask and, when `gray` is given, the faint lines the mask misses."""
    if gray is not None:
        ink = cv2.bitwise_or(ink, faint_lines(gray, text_height))
    length = max(int(MIN_RULE_IN_TEXT_HEIGHTS * text_height), 10)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    grid = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    # The page edge closes tables that a crop or scan cut off, as it does for Textract.
    cv2.rectangle(grid, (0, 0), (grid.shape[1] - 1, grid.shape[0] - 1), 255, 2)
    return Rules(_segments(horizontal), _segments(vertical), grid)


def faint_lines(gray: np.ndarray, text_height: float) -> np.ndarray:
    """Thin strokes darker than the paper on both sides, however light (screenshots rule tables in pale grey).

    A black-hat transform (closing minus the image) with a short kernel across the stroke keeps only
    strokes thinner than the kernel: a pale rule between white rows does, a shaded band (as dark at
    its centre as at its edge) does not.
    """
    size = max(3, round(FAINT_LINE_MAX_THICKNESS * text_height)) | 1
    across_rows = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((size, 1), np.uint8))
    across_columns = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((1, size), np.uint8))
    _, faint = cv2.threshold(cv2.max(across_rows, across_columns), FAINT_LINE_CONTRAST, 255, cv2.THRESH_BINARY)
    return faint


def _segments(mask: np.ndarray) -> list[Box]:
    """Bounding boxes of the mask's blobs (contours, not a label image: that would be 4 bytes a pixel)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [Box(x, y, x + w, y + h) for x, y, w, h in map(cv2.boundingRect, contours)]
