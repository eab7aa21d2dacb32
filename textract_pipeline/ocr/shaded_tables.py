"""Tables drawn as shaded boxes with white gutters between them, and no rules (calendars, timetables).

Every cell is a tinted rectangle; the table is the set of such rectangles that stand in rows and
columns. A cell's tint is one connected blob that fills most of its bounding box; the text and
marks printed on it are darker than the tint and only make holes in it.
"""

from __future__ import annotations

import cv2
import numpy as np

from textract_pipeline.ocr.geometry import Box

# Paper is lighter than this, ink darker than INK_LEVEL; a tint lies between.
PAPER_LEVEL = 245
INK_LEVEL = 100
# A cell is at least this many text heights tall and wide, and at most this many tall.
MIN_CELL_IN_TEXT_HEIGHTS = 1.2
MAX_CELL_HEIGHT_IN_TEXT_HEIGHTS = 6.0
# A cell's tint fills at least this fraction of its bounding box (its text and marks make holes).
MIN_FILL = 0.6
MIN_CELLS = 4
MAX_CANDIDATES = 1500


def shaded_cells(gray: np.ndarray, text_height: float) -> list[list[Box]]:
    """Groups of shaded rectangles linked in rows and columns: each group is one table's cells (the
    caller checks they form a grid)."""
    # Every other pixel (not averaged: averaging would turn the edges of black text into grey) is
    # plenty for cells several text heights wide, and a quarter of the work.
    sample = np.ascontiguousarray(gray[::2, ::2])
    tinted = cv2.inRange(sample, INK_LEVEL, PAPER_LEVEL)
    # The anti-aliased edges of letters on white paper are in the tint's range too: a small opening
    # takes them out (and leaves a page of plain text with almost nothing to label).
    size = max(3, round(0.125 * text_height))
    tinted = cv2.morphologyEx(tinted, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(tinted, connectivity=4)
    smallest = MIN_CELL_IN_TEXT_HEIGHTS * text_height / 2
    tallest = MAX_CELL_HEIGHT_IN_TEXT_HEIGHTS * text_height / 2
    cells = [
        Box(2.0 * x, 2.0 * y, 2.0 * (x + w), 2.0 * (y + h))
        for x, y, w, h, area in stats[1:count]
        if smallest <= h <= tallest and w >= smallest and w <= sample.shape[1] / 2 and area >= MIN_FILL * w * h
    ]
    if len(cells) > MAX_CANDIDATES:  # a photograph or noise, not a table
        return []
    return [group for group in _aligned_groups(cells, text_height) if len(group) >= MIN_CELLS]


def _aligned_groups(cells: list[Box], text_height: float) -> list[list[Box]]:
    """Cells linked through a neighbour in the same row or column, within a gutter of one text height."""
    tolerance = 0.5 * text_height
    gutter = 1.5 * text_height
    parent = list(range(len(cells)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, a in enumerate(cells):
        for j in range(i + 1, len(cells)):
            b = cells[j]
            same_row = abs(a.top - b.top) <= tolerance and abs(a.bottom - b.bottom) <= tolerance
            same_column = abs(a.left - b.left) <= tolerance and abs(a.right - b.right) <= tolerance
            beside = same_row and min(abs(b.left - a.right), abs(a.left - b.right)) <= gutter
            above = same_column and min(abs(b.top - a.bottom), abs(a.top - b.bottom)) <= gutter
            if beside or above:
                parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for index, cell in enumerate(cells):
        groups.setdefault(root(index), []).append(cell)
    return list(groups.values())
