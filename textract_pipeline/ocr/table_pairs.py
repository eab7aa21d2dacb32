"""Key-value pairs inside ruled tables: a row's label cell and the numbers after it; two-column rows.

Textract reports a statement row such as "Previous Balance | | | 11,000" or
"2022-12-31 | Deposit | 1,000 | | 10,960" as a pair as well as table cells: the last cell of words
is the key, the numbers right of it the value. Rows with more numbers than `MAX_NUMBER_CELLS` are
data rows, not fields; two-column tables are left to their own rule in `forms.py`.
"""

from __future__ import annotations

from textract_pipeline.ocr.model import Word
from textract_pipeline.ocr.tables import Cell, Table

MAX_NUMBER_CELLS = 3


def table_row_pairs(tables: list[Table], used: set[int]) -> list[tuple[list[Word], list[Word]]]:
    """(key words, value words) of every ruled table row of the form [anything] label number...; marks `used`."""
    pairs = []
    for table in tables:
        if not table.ruled or table.column_count < 3:
            continue
        for row in range(1, table.row_count + 1):
            pair = _label_then_numbers([words for words in _row_texts(table, row) if words])
            if pair is None or any(id(word) in used for word in pair[0] + pair[1]):
                continue
            used.update(id(word) for word in pair[0] + pair[1])
            pairs.append(pair)
    return pairs


def _row_texts(table: Table, row: int) -> list[list[Word]]:
    """The words of each cell of the row, left to right, a merged cell's grid cells taken as one."""
    texts: list[list[Word]] = []
    region_of_previous: Cell | None = None
    for cell in sorted((c for c in table.cells if c.row == row), key=lambda c: c.column):
        region = next((m for m in table.merged if _covers(m, cell)), None)
        if region is not None and region is region_of_previous:
            texts[-1] += cell.words
        else:
            texts.append(list(cell.words))
        region_of_previous = region
    return texts


def _covers(merged: Cell, cell: Cell) -> bool:
    return (
        merged.row <= cell.row < merged.row + merged.row_span
        and merged.column <= cell.column < merged.column + merged.column_span
    )


def _label_then_numbers(cells: list[list[Word]]) -> tuple[list[Word], list[Word]] | None:
    numbers: list[list[Word]] = []
    for words in reversed(cells):
        if _has(words, str.isdigit) and not _has(words, str.isalpha):
            numbers.insert(0, words)
            continue
        if numbers and len(numbers) <= MAX_NUMBER_CELLS and _has(words, str.isalpha) and not _has(words, str.isdigit):
            return words, [word for number in numbers for word in number]
        return None
    return None


def _has(words: list[Word], kind) -> bool:
    return any(kind(ch) for word in words for ch in word.text)


def two_column_table_pairs(tables: list[Table], used: set[int]) -> list[tuple[list[Word], list[Word]]]:
    """Rows of a ruled two-column table are label / value pairs (invoice headers, totals boxes).

    Unruled two-column layouts are too often two unrelated columns (signature blocks, headers).
    """
    pairs = []
    for table in tables:
        if table.column_count != 2 or not table.ruled:
            continue
        for row in range(1, table.row_count + 1):
            cells = sorted((c for c in table.cells if c.row == row), key=lambda c: c.column)
            if len(cells) != 2 or not cells[0].words or cells[1].marks:
                continue
            words = cells[0].words + cells[1].words
            if any(id(word) in used for word in words):
                continue
            used.update(id(word) for word in words)
            pairs.append((list(cells[0].words), list(cells[1].words)))
    return pairs
