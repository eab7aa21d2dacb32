"""Money as deeds print it: "$1,234.50", "$ 0.00", or in words and figures."""

from __future__ import annotations

import re

_FIGURES = re.compile(r"\$\s*(?P<number>\d{1,3}(?:[,.]\d{3})*(?:\.\d{2})?|\d+(?:\.\d{1,2})?)(?!\d)")

_GAP_IN_FIGURE = re.compile(r"(\$\s*[\d,.]*\d)\s(\d[\d,]*\.\d{2})")

_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 1_000, "million": 1_000_000}


def _to_number(figure: str) -> float:
    """'1,234.50' -> 1234.5; tolerate OCR reading a thousands comma as a period ('1.234.50')."""
    parts = re.split(r"[,.]", figure)
    if len(parts) > 1 and len(parts[-1]) == 2:
        return float("".join(parts[:-1]) + "." + parts[-1])
    return float("".join(parts))


def find_amounts(text: str) -> list[tuple[float, str]]:
    """Every dollar figure in ``text`` with its source text."""
    # OCR splits long figures ("$1,03 2,000.00"): close gaps inside a figure before reading it
    text = _GAP_IN_FIGURE.sub(r"\1\2", _GAP_IN_FIGURE.sub(r"\1\2", text))
    return [(_to_number(m["number"]), m.group(0)) for m in _FIGURES.finditer(text)]


def parse_amount(text: str) -> float | None:
    """The first dollar figure in ``text``; failing that, an amount written in words."""
    amounts = find_amounts(text)
    if amounts:
        return amounts[0][0]
    return words_to_amount(text)


def words_to_amount(text: str) -> float | None:
    """'Four Hundred Thousand and 00/100 Dollars' -> 400000.0; None when no number words."""
    words = re.findall(r"[a-z]+|\d{2}/100", text.lower().replace("-", " "))
    total = current = 0
    cents = 0.0
    seen = False
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word.endswith("/100"):
            cents = int(word[:2]) / 100
            continue
        elif word in ("and", "dollars", "dollar"):
            continue
        else:
            if seen:
                break
            continue
        seen = True
    if not seen:
        return None
    return float(total + current) + cents
