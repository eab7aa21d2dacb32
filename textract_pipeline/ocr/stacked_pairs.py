"""Key-value pairs printed as a small label over a larger value (ID cards, licences, form boxes).

"4a ISS" in 7-pt capitals over "03/18/2018" in 11 pt: the label line is short, the value line
starts under it (from a little left of the label to its right end) within one label height, and
its text is clearly taller. The size difference is what tells a caption from the next line of a
paragraph, which is set in the same size.
"""

from __future__ import annotations

from textract_pipeline.ocr.model import Line, Word

MAX_LABEL_WORDS = 4
MAX_VALUE_WORDS = 6
# The value's text is at least this much taller than the label's.
MIN_VALUE_OVER_LABEL_HEIGHT = 1.2
# The value starts at most this many label heights below the label's bottom ...
MAX_GAP_IN_LABEL_HEIGHTS = 1.0
# ... and its left edge lies between this many label heights left of the label and the label's right end.
MAX_LEFT_SHIFT_IN_LABEL_HEIGHTS = 3.0


def label_over_value_pairs(lines: list[Line], used: set[int]) -> list[tuple[list[Word], list[Word]]]:
    """(label words, value words) of every small label with a larger value under it; marks `used`."""
    free = [line for line in lines if line.words and not any(id(word) in used for word in line.words)]
    pairs = []
    for label in free:
        if len(label.words) > MAX_LABEL_WORDS or not any(ch.isalpha() for ch in label.text):
            continue
        if any(id(word) in used for word in label.words):
            continue
        value = _value_under(label, free, used)
        if value is not None:
            used.update(id(word) for word in label.words + value.words)
            pairs.append((list(label.words), list(value.words)))
    return pairs


def _text_height(line: Line) -> float:
    heights = sorted(word.box.height for word in line.words)
    return heights[len(heights) // 2]


def _value_under(label: Line, lines: list[Line], used: set[int]) -> Line | None:
    height = _text_height(label)
    box = label.box
    candidates = [
        line
        for line in lines
        if line is not label
        and len(line.words) <= MAX_VALUE_WORDS
        and not any(id(word) in used for word in line.words)
        and -0.2 * height <= line.box.top - box.bottom <= MAX_GAP_IN_LABEL_HEIGHTS * height
        and box.left - MAX_LEFT_SHIFT_IN_LABEL_HEIGHTS * height <= line.box.left <= box.right
        and _text_height(line) >= MIN_VALUE_OVER_LABEL_HEIGHT * height
    ]
    return min(candidates, key=lambda line: (line.box.top, abs(line.box.left - box.left)), default=None)
