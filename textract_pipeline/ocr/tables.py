"""Tables → TABLE / CELL blocks, from ruling lines or from column alignment.

Ruled tables: the white holes of a connected grid of rules (see rules.py) are cells; the grid
is cut into tables at rows that do not share column edges with the row above. Row and column
indices come from the distinct cell edges; every grid position becomes a cell and a hole
spanning several positions a MERGED_CELL.

Aligned tables (no rules, e.g. pay stubs and invoices): runs of consecutive text rows that
each hold two or more separate lines; columns are the x-ranges of their word groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2

from textract_pipeline.ocr.geometry import Box, union_all
from textract_pipeline.ocr.model import Line, PageContent, SelectionMark, Word
from textract_pipeline.ocr.rules import Rules
from textract_pipeline.ocr.shaded_tables import shaded_cells
from textract_pipeline.ocr.words import split_at_gaps

# Cell edges closer than this (text heights) are the same row / column boundary.
EDGE_TOLERANCE_IN_TEXT_HEIGHTS = 0.5
# Rows of an aligned table are at most this far apart (text heights between row tops).
MAX_ROW_PITCH_IN_TEXT_HEIGHTS = 2.6
# Words of one aligned-table row further apart than this (word heights) are in different cells.
CELL_GAP_IN_HEIGHTS = 0.8
# Full-width boxes stacked at least this many deep are the rows of a table with horizontal rules only.
MIN_RULED_ROWS = 3


@dataclass
class Cell:
    row: int
    column: int
    row_span: int
    column_span: int
    box: Box
    words: list[Word] = field(default_factory=list)
    marks: list[SelectionMark] = field(default_factory=list)
    block_id: str = ""


@dataclass
class Table:
    """A full grid of 1 x 1 cells (as Textract and textractor expect) plus the merged regions."""

    cells: list[Cell]
    ruled: bool
    merged: list[Cell] = field(default_factory=list)
    block_id: str = ""

    @property
    def box(self) -> Box:
        return union_all(cell.box for cell in self.cells)

    @property
    def row_count(self) -> int:
        return max(cell.row + cell.row_span - 1 for cell in self.cells)

    @property
    def column_count(self) -> int:
        return max(cell.column + cell.column_span - 1 for cell in self.cells)


def find_tables(page: PageContent, rules: Rules, marks: list[SelectionMark]) -> list[Table]:
    ruled = find_ruled_tables(page, rules, marks)
    ruled += find_shaded_tables(page, marks, [table.box for table in ruled])
    taken = [table.box for table in ruled]
    free_lines = [
        line
        for line in page.lines
        if not any(box.contains_point(line.box.center_x, line.box.center_y) for box in taken)
    ]
    return ruled + find_aligned_tables(free_lines, page.text_height)


def find_ruled_tables(page: PageContent, rules: Rules, marks: list[SelectionMark]) -> list[Table]:
    text_height = page.text_height
    contours, hierarchy = cv2.findContours(rules.grid, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    hierarchy = hierarchy[0]
    tables = []
    for _, _, first_child, parent in hierarchy:
        if parent != -1 or first_child == -1:
            continue
        holes = []
        child = first_child
        while child != -1:
            x, y, w, h = cv2.boundingRect(contours[child])
            if w >= 0.8 * text_height and h >= 0.8 * text_height:
                holes.append(Box(x, y, x + w, y + h))
            child = hierarchy[child][0]
        for band in _table_bands(holes, text_height):
            table = _grid_table(band, text_height)
            if table is not None:
                _fill(table, page.words, marks)
                tables.append(table)
        for run in _rule_separated_rows(holes, text_height):
            rows = [
                [line for line in page.lines if hole.contains_point(line.box.center_x, line.box.center_y)]
                for hole in run
            ]
            table = _aligned_table([row for row in rows if row])
            if table is not None:
                tables.append(table)
    return tables


def find_shaded_tables(page: PageContent, marks: list[SelectionMark], taken: list[Box]) -> list[Table]:
    """Tables of tinted cells with white gutters (see shaded_tables.py), outside the ruled tables."""
    tables = []
    for group in shaded_cells(page.image, page.text_height):
        if any(box.overlap_area(cell) > 0 for box in taken for cell in group):
            continue
        table = _grid_table(group, page.text_height)
        if table is not None:
            _fill(table, page.words, marks)
            tables.append(table)
    return tables


def _rule_separated_rows(holes: list[Box], text_height: float) -> list[list[Box]]:
    """Runs of at least `MIN_RULED_ROWS` full-width rows one above the other, with no column rules.

    A list framed in a box with a rule between entries (a file listing, a statement without
    column lines) is a table whose columns show only in the alignment of its text.
    """
    tolerance = EDGE_TOLERANCE_IN_TEXT_HEIGHTS * text_height
    runs: list[list[Box]] = []
    for hole in sorted(holes, key=lambda hole: hole.top):
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and abs(hole.left - previous.left) <= tolerance
            and abs(hole.right - previous.right) <= tolerance
            and abs(hole.top - previous.bottom) <= tolerance
        ):
            runs[-1].append(hole)
        else:
            runs.append([hole])
    return [run for run in runs if len(run) >= MIN_RULED_ROWS]


def _table_bands(holes: list[Box], text_height: float) -> list[list[Box]]:
    """Split one connected grid of rules into tables.

    A table is a run of rows that share column edges, together with the single-box rows that span
    its full width (a title above it, a section row such as a year inside it, a note below it):
    Textract reports those as cells of the table. A page framed in rules is one connected grid
    whose rows do not share column edges; its single-box rows (form fields, headings) separate the
    real tables inside it.
    """
    tolerance = EDGE_TOLERANCE_IN_TEXT_HEIGHTS * text_height
    rows: list[list[Box]] = []
    for hole in sorted(holes, key=lambda hole: (hole.top, hole.left)):
        if rows and abs(hole.top - rows[-1][0].top) <= tolerance:
            rows[-1].append(hole)
        else:
            rows.append([hole])
    bands: list[list[list[Box]]] = []
    for row in rows:
        if bands and (_shares_columns(bands[-1][-1], row, tolerance) or _spans_alike(bands[-1][-1], row, tolerance)):
            bands[-1].append(row)
        else:
            bands.append([row])
    tables: list[list[list[Box]]] = []
    for band in bands:
        tables += [band] if _one_column_set(band, tolerance) else _column_runs(band, tolerance)
    return [[hole for row in table for hole in row] for table in tables if len(table) >= 2]


def _shares_columns(upper: list[Box], lower: list[Box], tolerance: float) -> bool:
    return len(upper) >= 2 and len(lower) >= 2 and _shared_edges(upper, lower, tolerance) >= 2


def _spans_alike(upper: list[Box], lower: list[Box], tolerance: float) -> bool:
    """One of two adjacent rows is a single box, and both span the same width."""
    if min(len(upper), len(lower)) != 1:
        return False
    return (
        abs(min(b.left for b in upper) - min(b.left for b in lower)) <= tolerance
        and abs(max(b.right for b in upper) - max(b.right for b in lower)) <= tolerance
    )


def _one_column_set(band: list[list[Box]], tolerance: float) -> bool:
    """The band's multi-box rows (at least two) all share column edges with the rows before them."""
    multi = [row for row in band if len(row) >= 2]
    if len(multi) < 2:
        return False
    seen = list(multi[0])
    for row in multi[1:]:
        if _shared_edges(row, seen, tolerance) < 2:
            return False
        seen += row
    return True


def _column_runs(band: list[list[Box]], tolerance: float) -> list[list[list[Box]]]:
    """Runs of adjacent multi-box rows that share column edges (single-box rows separate them)."""
    runs: list[list[list[Box]]] = []
    for row in band:
        if runs and _shares_columns(runs[-1][-1], row, tolerance):
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _shared_edges(upper: list[Box], lower: list[Box], tolerance: float) -> int:
    return sum(1 for a in upper if any(abs(a.left - b.left) <= tolerance for b in lower))


def _grid_table(holes: list[Box], text_height: float) -> Table | None:
    """Index grid holes into rows and columns; None unless they form at least 2 x 2 cells.

    Every grid position becomes a 1 x 1 cell; a hole covering several positions is reported
    as a merged cell over them, as Textract does with MERGED_CELL.
    """
    if len(holes) < 4:
        return None
    tolerance = EDGE_TOLERANCE_IN_TEXT_HEIGHTS * text_height
    row_edges = _distinct([hole.top for hole in holes], tolerance)
    column_edges = _distinct([hole.left for hole in holes], tolerance)
    if len(row_edges) < 2 or len(column_edges) < 2:
        return None
    row_edges.append(max(hole.bottom for hole in holes))
    column_edges.append(max(hole.right for hole in holes))
    rows, columns = len(row_edges) - 1, len(column_edges) - 1
    covered = 0
    merged = []
    for hole in holes:
        row = _edge_index(row_edges, hole.top)
        column = _edge_index(column_edges, hole.left)
        row_span = max(1, _edge_index(row_edges, hole.bottom) - row)
        column_span = max(1, _edge_index(column_edges, hole.right) - column)
        covered += row_span * column_span
        if row_span > 1 or column_span > 1:
            merged.append(Cell(row + 1, column + 1, row_span, column_span, hole))
    if covered < 0.5 * rows * columns:
        return None
    cells = [
        Cell(
            r + 1,
            c + 1,
            1,
            1,
            Box(column_edges[c], row_edges[r], column_edges[c + 1], row_edges[r + 1]),
        )
        for r in range(rows)
        for c in range(columns)
    ]
    return Table(cells, ruled=True, merged=merged)


def _distinct(values: list[float], tolerance: float) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _edge_index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _fill(table: Table, words: list[Word], marks: list[SelectionMark]) -> None:
    for word in words:
        for cell in table.cells:
            if cell.box.contains_point(word.box.center_x, word.box.center_y):
                cell.words.append(word)
                break
    for mark in marks:
        for cell in table.cells:
            if cell.box.contains_point(mark.box.center_x, mark.box.center_y):
                cell.marks.append(mark)
                break


def find_aligned_tables(lines: list[Line], text_height: float) -> list[Table]:
    tables = []
    for run in _multi_column_runs(_rows(lines), text_height):
        table = _aligned_table(run)
        if table is not None:
            tables.append(table)
    return tables


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows, top to bottom, each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: line.box.center_y):
        if rows and line.box.vertical_overlap(union_all(other.box for other in rows[-1])) >= 0.5:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.box.left) for row in rows]


def _multi_column_runs(rows: list[list[Line]], text_height: float) -> list[list[list[Line]]]:
    runs: list[list[list[Line]]] = []
    current: list[list[Line]] = []
    previous_top = None
    for row in rows:
        top = min(line.box.top for line in row)
        close = previous_top is not None and top - previous_top <= MAX_ROW_PITCH_IN_TEXT_HEIGHTS * text_height
        if len(row) >= 2 and (close or not current):
            current.append(row)
        else:
            if len(current) >= 2:
                runs.append(current)
            current = [row] if len(row) >= 2 else []
        previous_top = top
    if len(current) >= 2:
        runs.append(current)
    return runs


def _aligned_table(rows: list[list[Line]]) -> Table | None:
    """Columns are the x-ranges covered by the rows' word groups.

    Inside a table, words further apart than `CELL_GAP_IN_HEIGHTS` belong to different cells even
    when they are close enough to read as one line ("FILE  DEPT.  CLOCK" over "126543  123456  12345").
    """
    pieces = [
        union_all(word.box for word in piece)
        for row in rows
        for line in row
        for piece in split_at_gaps(line.words, CELL_GAP_IN_HEIGHTS)
    ]
    spans = sorted((piece.left, piece.right) for piece in pieces)
    columns: list[list[float]] = []
    for left, right in spans:
        if columns and left <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    if len(columns) < 2:
        return None
    cells = []
    for row_index, row in enumerate(rows, start=1):
        row_box = union_all(line.box for line in row)
        for column_index, (left, right) in enumerate(columns, start=1):
            words = [w for line in row for w in line.words if left <= w.box.center_x <= right]
            box = Box(left, row_box.top, right, row_box.bottom)
            cells.append(Cell(row_index, column_index, 1, 1, box, words))
    filled = sum(1 for cell in cells if cell.words)
    if filled < 0.6 * len(cells):
        return None
    return Table(cells, ruled=False)


def checkbox_column_marks(tables: list[Table]) -> list[SelectionMark]:
    """Empty cells of a ruled table column whose other cells hold only a checkbox are unticked boxes.

    Forms print yes/no columns as plain grid cells that get ticked or filled; Textract reports
    each such cell as a SELECTION_ELEMENT, the empty ones NOT_SELECTED.
    """
    added = []
    for table in tables:
        if not table.ruled:
            continue
        for column in range(1, table.column_count + 1):
            cells = [cell for cell in table.cells if cell.column == column]
            if not any(len(cell.marks) == 1 and not cell.words for cell in cells):
                continue
            for cell in cells:
                if not cell.marks and not cell.words:
                    mark = SelectionMark(cell.box, selected=False, confidence=70.0)
                    cell.marks.append(mark)
                    added.append(mark)
    return added
