"""Form fields → KEY / VALUE pairs (Textract's KEY_VALUE_SET), from words, lines and checkboxes.

Visual patterns, tried in this order (a word belongs to at most one pair):
- a checkbox and the label printed right of it: the label is the KEY, the checkbox the VALUE;
- "Label: value" on one line, or a line ending in "Label:" with its value further right on
  the same row;
- a "Label:" line with the value on the lines below, left-aligned with it;
- a two-row table: each column's header and value;
- a ruled table cell holding only a one-line label at its top, the rest left blank: an empty
  field of a form laid out as a grid (Textract reports such cells as keys with empty values);
- a ruled table row's label cell and the one to three number cells right of it (`table_pairs.py`);
- a small label with a larger value printed under it (`stacked_pairs.py`);
- a short row of "Label 123" runs without colons ("Page 1/1", "Gross Pay $ 452.43 23,526.80",
  "Vac Hrs 40.00"): each run of words with letters and no digits followed by one to three
  numbers is a key and its value;
- a field box: a label just under a rule, the value just over the next rule;
- a label followed by a fill-in rule, the value written on it (or nothing);
- a field box holding only its label: a blank field, a key with an empty value;
- the rows of a ruled two-column table (label cell, value cell), as Textract also reports them
  (`table_pairs.py`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from textract_pipeline.ocr.geometry import Box, union_all
from textract_pipeline.ocr.model import Line, PageContent, SelectionMark, Word
from textract_pipeline.ocr.rules import Rules
from textract_pipeline.ocr.stacked_pairs import label_over_value_pairs
from textract_pipeline.ocr.table_pairs import table_row_pairs, two_column_table_pairs
from textract_pipeline.ocr.tables import Cell, Table

# How far right of a checkbox its label may start, in checkbox widths.
LABEL_REACH_IN_BOX_WIDTHS = 3.0
# How far right of a line-ending "Label:" its value may start, in line heights.
VALUE_BESIDE_IN_LINE_HEIGHTS = 20.0
# How far below a "Label:" line (or the value's previous line) its value may start, in line heights.
VALUE_BELOW_IN_LINE_HEIGHTS = 2.0
MAX_VALUE_WORDS = 40
# A ruled form field: the label at most this many line heights below a rule, the value as close above the next.
FIELD_RULE_REACH = 1.0
# ... and the value at most this many label heights below the label.
FIELD_VALUE_REACH = 5.0
MAX_LABEL_WORDS = 8
# An empty field box leaves at least this many text heights blank under its label.
BLANK_FIELD_MIN_HEIGHT = 0.9
# ... and in a table cell at least twice the space above the label.
BLANK_CELL_BELOW_OVER_ABOVE = 2.0
# A "Label 123" row: at most this many words, labels of at most LABEL_RUN_WORDS words, values of
# one to NUMBER_RUN_WORDS numbers (a row of four or more numbers is a table row, not a field).
LABEL_NUMBER_ROW_WORDS = 10
LABEL_RUN_WORDS = 4
NUMBER_RUN_WORDS = 3
# Stand-alone marks that receipts and statements print where a form would print a colon.
SEPARATORS = {"#", "-", "–", "—"}


@dataclass
class KeyValue:
    key_words: list[Word]
    value_words: list[Word] = field(default_factory=list)
    value_mark: SelectionMark | None = None

    @property
    def key_box(self) -> Box:
        return union_all(word.box for word in self.key_words)

    @property
    def value_box(self) -> Box:
        if self.value_mark is not None:
            return self.value_mark.box
        if self.value_words:
            return union_all(word.box for word in self.value_words)
        key = self.key_box
        return Box(key.right, key.top, key.right + 1, key.bottom)

    @property
    def confidence(self) -> float:
        return statistics.fmean(word.confidence for word in self.key_words)


def find_key_values(page: PageContent, marks: list[SelectionMark], tables: list[Table], rules: Rules) -> list[KeyValue]:
    used: set[int] = set()  # ids of words already in a pair
    pairs = _checkbox_pairs(page.lines, marks, tables, used)
    pairs += _colon_pairs(page.lines, used)
    pairs += _two_row_table_pairs(tables, used, page.text_height)
    pairs += _blank_table_cell_pairs(tables, used, page.text_height)
    pairs += [KeyValue(key, value) for key, value in table_row_pairs(tables, used)]
    pairs += [KeyValue(key, value) for key, value in label_over_value_pairs(page.lines, used)]
    pairs += _label_number_pairs(page.lines, tables, used)
    pairs += _ruled_field_pairs(page.lines, rules, used)
    pairs += _fill_in_blank_pairs(page.lines, rules, used, page.text_height)
    pairs += _blank_field_box_pairs(page.lines, rules, tables, used, page.text_height)
    pairs += [KeyValue(key, value) for key, value in two_column_table_pairs(tables, used)]
    return pairs


def _fill_in_blank_pairs(lines: list[Line], rules: Rules, used: set[int], text_height: float) -> list[KeyValue]:
    """A label followed by a fill-in rule ("Paid off on ________"); the value is what is written on it."""
    pairs = []
    for label in lines:
        if len(label.words) > MAX_LABEL_WORDS or any(id(word) in used for word in label.words):
            continue
        if label.box.height > 2 * text_height:  # stamps and headings are not labels
            continue
        box, height = label.box, label.box.height
        blank = next(
            (
                rule
                for rule in rules.horizontal
                if box.right - 0.5 * height <= rule.left <= box.right + 3 * height
                and box.center_y <= rule.center_y <= box.bottom + 0.6 * height
            ),
            None,
        )
        if blank is None:
            continue
        written = [
            word
            for line in lines
            if line is not label
            for word in line.words
            if id(word) not in used
            and blank.left <= word.box.center_x <= blank.right
            and blank.top - 2 * height <= word.box.bottom <= blank.bottom + 0.3 * height
        ]
        used.update(id(word) for word in label.words + written)
        pairs.append(KeyValue(list(label.words), written))
    return pairs


def _blank_field_box_pairs(
    lines: list[Line], rules: Rules, tables: list[Table], used: set[int], text_height: float
) -> list[KeyValue]:
    """A label at the top of an empty ruled field box is a field left blank: a key with an empty value.

    Labels inside ruled tables are column headings, not fields.
    """
    cells = [cell.box for table in tables if table.ruled for cell in table.cells]
    pairs = []
    for label in lines:
        if len(label.words) > MAX_LABEL_WORDS or any(id(word) in used for word in label.words):
            continue
        box, height = label.box, label.box.height
        if any(cell.contains_point(box.center_x, box.center_y) for cell in cells):
            continue
        if not rules.horizontal_between(box.center_x, box.top - FIELD_RULE_REACH * height, box.top):
            continue
        floor = rules.next_horizontal_below(box.center_x, box.bottom)
        if floor is None or floor.center_y - box.bottom < BLANK_FIELD_MIN_HEIGHT * text_height:
            continue
        occupied = any(
            line is not label
            and line.box.top >= box.bottom
            and line.box.bottom <= floor.center_y
            and min(line.box.right, box.right) > max(line.box.left, box.left)
            for line in lines
        )
        if occupied:
            continue
        used.update(id(word) for word in label.words)
        pairs.append(KeyValue(list(label.words)))
    return pairs


def _ruled_field_pairs(lines: list[Line], rules: Rules, used: set[int]) -> list[KeyValue]:
    """A form field printed as a band between two rules: a label row on top, the filled-in value below."""
    pairs = []
    for label in lines:
        if len(label.words) > MAX_LABEL_WORDS or any(id(word) in used for word in label.words):
            continue
        box, height = label.box, label.box.height
        if not rules.horizontal_between(box.center_x, box.top - FIELD_RULE_REACH * height, box.top):
            continue
        below = [
            line
            for line in lines
            if line is not label
            and 0 <= line.box.top - box.bottom <= FIELD_VALUE_REACH * height
            and box.left - 2 * height <= line.box.left <= box.right + 2 * height
            and not any(id(word) in used for word in line.words)
        ]
        if not below:
            continue
        first = min(below, key=lambda line: line.box.top)
        # The filled-in row may be split at wide gaps, e.g. "(   )   414-2285".
        value_lines = sorted(
            (line for line in below if line.box.vertical_overlap(first.box) >= 0.5), key=lambda line: line.box.left
        )
        value_box = union_all(line.box for line in value_lines)
        if rules.horizontal_between(value_box.center_x, box.bottom, value_box.top):
            continue
        if not rules.horizontal_between(
            value_box.center_x, value_box.bottom, value_box.bottom + FIELD_RULE_REACH * height
        ):
            continue
        value_words = [word for line in value_lines for word in line.words]
        used.update(id(word) for word in label.words + value_words)
        pairs.append(KeyValue(list(label.words), value_words))
    return pairs


def _two_row_table_pairs(tables: list[Table], used: set[int], text_height: float) -> list[KeyValue]:
    """A table of one header row and one value row is a row of fields (pay stub and invoice headers)."""
    pairs = []
    for table in tables:
        if table.row_count != 2:
            continue
        if table.ruled and all(_is_blank_field_cell(cell, table, text_height) for cell in table.cells if cell.words):
            continue  # a grid of empty fields, each label in its own box (see _blank_table_cell_pairs)
        for column in range(1, table.column_count + 1):
            header = next((c for c in table.cells if c.row == 1 and c.column == column), None)
            value = next((c for c in table.cells if c.row == 2 and c.column == column), None)
            if header is None or value is None or not header.words or not (value.words or value.marks):
                continue
            words = header.words + value.words
            if any(id(word) in used for word in words):
                continue
            used.update(id(word) for word in words)
            pairs.append(
                KeyValue(
                    list(header.words),
                    list(value.words),
                    value.marks[0] if value.marks and not value.words else None,
                )
            )
    return pairs


def _blank_table_cell_pairs(tables: list[Table], used: set[int], text_height: float) -> list[KeyValue]:
    """A ruled cell with a one-line label at its top and blank space below is an empty form field.

    Forms printed as a grid of boxes put each field's label in the box's top-left corner and
    leave the rest for the answer; Textract reports every such label as a key with an empty value.
    A column heading fills its cell (or is centred in it), so it does not qualify.
    """
    pairs = []
    for table in tables:
        if not table.ruled:
            continue
        for cell in table.cells:
            if not _is_blank_field_cell(cell, table, text_height) or any(id(word) in used for word in cell.words):
                continue
            words = sorted(cell.words, key=lambda word: word.box.left)
            used.update(id(word) for word in words)
            pairs.append(KeyValue(words))
    return pairs


def _is_blank_field_cell(cell: Cell, table: Table, text_height: float) -> bool:
    if not cell.words or cell.marks or len(cell.words) > MAX_LABEL_WORDS:
        return False
    label = union_all(word.box for word in cell.words)
    if label.height > 1.6 * text_height:  # more than one line: a heading or a filled-in field
        return False
    region = next(
        (merged.box for merged in table.merged if merged.box.contains_point(cell.box.center_x, cell.box.center_y)),
        cell.box,
    )
    blank_below = region.bottom - label.bottom
    above = max(label.top - region.top, 0.0)
    return blank_below >= BLANK_FIELD_MIN_HEIGHT * text_height and blank_below >= BLANK_CELL_BELOW_OVER_ABOVE * above


def _label_number_pairs(lines: list[Line], tables: list[Table], used: set[int]) -> list[KeyValue]:
    """Colon-less fields on a short row: "Label 123" runs, e.g. "Page 1/1", "BSB # 4321 432", "Vac Hrs 40.00".

    The row (lines side by side, as an aligned table's cells are) is read left to right as label
    runs (words with letters and no digits) each followed by one to `NUMBER_RUN_WORDS` numbers
    (words with digits and no letters); a word with neither ("$", "#") goes with the value. The row
    must start with a label and hold no word mixing letters and digits; rows inside ruled tables
    are left to the table rules. Prose lines are longer than `LABEL_NUMBER_ROW_WORDS` words.
    """
    cells = [cell.box for table in tables if table.ruled for cell in table.cells]
    free = [
        line
        for line in lines
        if not any(id(word) in used for word in line.words)
        and not any(cell.contains_point(line.box.center_x, line.box.center_y) for cell in cells)
    ]
    pairs = []
    for row in _visual_rows(free):
        words = [word for line in row for word in line.words]
        if len(words) > LABEL_NUMBER_ROW_WORDS:
            continue
        for label, value in _label_number_runs(words):
            used.update(id(word) for word in label + value)
            pairs.append(KeyValue(label, value))
    return pairs


def _label_number_runs(words: list[Word]) -> list[tuple[list[Word], list[Word]]]:
    """The row's (label words, value words) runs; none when the row is not made of such runs.

    A run whose value holds more than `NUMBER_RUN_WORDS` numbers is a table row ("Regular 10.00
    32.00 320.00 16,640.00") and is skipped, as is a label with no value after it.
    """
    parsed: list[tuple[list[Word], list[Word], int]] = []
    for word in words:
        kind = _word_kind(word.text)
        if not parsed and kind == "symbol":
            continue  # "# ITEMS SOLD 4": a leading mark is not part of the label
        if kind == "other" or (not parsed and kind != "label"):
            return []  # a word mixing letters and digits, or a row not starting with a label
        if kind == "label" and (not parsed or parsed[-1][1]):
            parsed.append(([word], [], 0))
        elif kind == "label":
            parsed[-1][0].append(word)
        else:
            label, value, numbers = parsed[-1]
            parsed[-1] = (label, [*value, word], numbers + (kind == "number"))
    return [
        (label, value)
        for label, value, numbers in parsed
        if 1 <= numbers <= NUMBER_RUN_WORDS
        and len(label) <= LABEL_RUN_WORDS
        and not any(word.text.endswith(",") for word in label)  # "ANYTOWN, USA 10101" is an address
    ]


def _word_kind(text: str) -> str:
    has_letter = any(ch.isalpha() for ch in text)
    has_digit = any(ch.isdigit() for ch in text)
    if has_letter and not has_digit and not text.endswith(":"):
        return "label"
    if has_digit and not has_letter:
        return "number"
    if not has_letter and not has_digit:
        return "symbol"
    return "other"


def _visual_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows (half their height overlapping), each row left to right."""
    rows: list[list[Line]] = []
    row_boxes: list[Box] = []
    for line in sorted(lines, key=lambda line: line.box.center_y):
        if rows and line.box.vertical_overlap(row_boxes[-1]) >= 0.5:
            rows[-1].append(line)
            row_boxes[-1] = row_boxes[-1].union(line.box)
        else:
            rows.append([line])
            row_boxes.append(line.box)
    return [sorted(row, key=lambda line: line.box.left) for row in rows]


def _checkbox_pairs(
    lines: list[Line], marks: list[SelectionMark], tables: list[Table], used: set[int]
) -> list[KeyValue]:
    """A checkbox and the label right of it; a checkbox in a ruled cell takes no label from other cells."""
    cells = [cell for table in tables if table.ruled for cell in table.cells]
    pairs = []
    for mark in sorted(marks, key=lambda m: (m.box.top, m.box.left)):
        cell = next(
            (c for c in cells if c.box.contains_point(mark.box.center_x, mark.box.center_y)),
            None,
        )
        reach = mark.box.right + LABEL_REACH_IN_BOX_WIDTHS * mark.box.width
        next_mark_left = min(
            (
                m.box.left
                for m in marks
                if m is not mark and m.box.left > mark.box.right and m.box.vertical_overlap(mark.box) > 0.5
            ),
            default=float("inf"),
        )
        label: list[Word] = []
        for line in lines:
            if line.box.vertical_overlap(mark.box) < 0.4:
                continue
            words = [
                w
                for w in line.words
                if mark.box.right - mark.box.width * 0.3 <= w.box.left < next_mark_left
                and (cell is None or cell.box.contains_point(w.box.center_x, w.box.center_y))
            ]
            if words and words[0].box.left <= reach and id(words[0]) not in used:
                label = _through_first_colon(words)
                break
        if label:
            used.update(id(word) for word in label)
            pairs.append(KeyValue(label, value_mark=mark))
    return pairs


def _through_first_colon(words: list[Word]) -> list[Word]:
    """A checkbox label ends at its colon: in "[ ] Other: please specify" the rest is another field."""
    for index, word in enumerate(words):
        if word.text.endswith(":"):
            return words[: index + 1]
    return words


def _colon_pairs(lines: list[Line], used: set[int]) -> list[KeyValue]:
    pairs = []
    for line in lines:
        words = [word for word in line.words if id(word) not in used]
        colon_positions = [
            i for i, word in enumerate(words) if word.text.endswith(":") and (i > 0 or len(word.text) > 1)
        ] or _separator_position(words)
        if not colon_positions:
            continue
        # Keys run from the previous value's end to the colon word; a key after a value is the
        # colon word alone ("Name: Ann Lee Date: 5/1" → "Name" = "Ann Lee", "Date" = "5/1").
        for n, position in enumerate(colon_positions):
            key_start = 0 if n == 0 else position
            value_end = colon_positions[n + 1] if n + 1 < len(colon_positions) else len(words)
            if n + 1 < len(colon_positions) and colon_positions[n + 1] - position == 1:
                value_end = position + 1
            key = words[key_start : position + 1]
            value = words[position + 1 : value_end]
            used.update(id(word) for word in key + value)
            pairs.append(KeyValue(key, value))
        last = pairs[-1]
        # Nothing but brackets after the last key ("Telephone: (   )"): the value is further on.
        if not any(ch.isalnum() for word in last.value_words for ch in word.text):
            last.value_words = _value_beside_or_below(line, lines, used)
            used.update(id(word) for word in last.value_words)
    return pairs


def _separator_position(words: list[Word]) -> list[int]:
    """Where a "#" or dash stands for the colon after a short label: "TERMINAL # C95778D3", "TRANS ID - 2516".

    The label is one to `LABEL_RUN_WORDS` words of letters; after the separator come at most
    `NUMBER_RUN_WORDS` words, or none (the value is then beside or below, as after "REF #").
    """
    for index, word in enumerate(words[: LABEL_RUN_WORDS + 1]):
        if word.text in SEPARATORS:
            label_ok = index >= 1 and all(_word_kind(label.text) == "label" for label in words[:index])
            value = words[index + 1 :]
            # "Payment - Utility" is a title with a dash: a value is empty, holds digits or is a code letter.
            value_ok = not value or (len(value) == 1 and len(value[0].text) <= 2)
            value_ok = value_ok or (
                len(value) <= NUMBER_RUN_WORDS and any(ch.isdigit() for word in value for ch in word.text)
            )
            return [index] if label_ok and value_ok else []
    return []


def _value_beside_or_below(key_line: Line, lines: list[Line], used: set[int]) -> list[Word]:
    """The value of a line-ending "Label:": the next text right on the same row, else the line below."""
    key_box = key_line.box
    beside = [
        line
        for line in lines
        if line is not key_line
        and key_box.right < line.box.left <= key_box.right + VALUE_BESIDE_IN_LINE_HEIGHTS * key_box.height
        and line.box.vertical_overlap(key_box) > 0.5
        and not _is_label(line, used)
    ]
    if beside:
        return [w for w in min(beside, key=lambda line: line.box.left).words if id(w) not in used]
    value: list[Word] = []
    above = key_box
    # A value below may run over several left-aligned lines (an address block).
    while len(value) < MAX_VALUE_WORDS:
        below = [
            line
            for line in lines
            if line.box.top >= above.center_y
            and line.box.top - above.bottom <= VALUE_BELOW_IN_LINE_HEIGHTS * above.height
            and abs(line.box.left - key_box.left) <= 2 * key_box.height
            and not _is_label(line, used)
        ]
        if not below:
            break
        line = min(below, key=lambda line: line.box.top)
        if value and len(line.words) > MAX_LABEL_WORDS:
            break  # a long line after the first is prose that follows the field, not more of its value
        value += [w for w in line.words if id(w) not in used]
        used.update(id(word) for word in line.words)
        above = line.box
    return value


def _is_label(line: Line, used: set[int]) -> bool:
    return any(word.text.endswith(":") for word in line.words) or all(id(word) in used for word in line.words)
