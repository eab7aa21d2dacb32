"""Reading a labelled value wherever the form puts it: after the label, right of it, or in the box below."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from textract_pipeline.extraction.amounts import find_amounts, words_to_amount
from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.rules.layout import Layout, evidence, same_row
from textract_pipeline.extraction.schema_v1 import MoneyValue, TextValue

# A dollar figure, or a bare figure with cents or thousands ("330,000.00" after "Consideration:")
_BARE_FIGURE = re.compile(r"(?<![\d/.-])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2})(?![\d/-])")


# a typed ordinal's raised "th" that OCR read as a quote mark: '2003 79" Ave. SE'
_RAISED_ORDINAL = re.compile(r"\b(\d+)[\"“”]\s*(?=[A-Z])")


def mend_raised_ordinals(address: str) -> str:
    """'2003 79" Ave. SE' -> '2003 79th Ave. SE': in an address a quote mark after a number is a raised suffix."""

    def ordinal(match: re.Match[str]) -> str:
        number = int(match[1])
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{match[1]}{suffix} "

    return _RAISED_ORDINAL.sub(ordinal, address)


@dataclass(frozen=True)
class Labelled:
    value: str
    line: PageLine  # where the value was read
    source: str  # label and value as printed


def figure(text: str, *, bare: bool = False) -> float | None:
    """The first dollar figure in ``text``; with ``bare``, a figure without "$" counts too."""
    amounts = find_amounts(text)
    if amounts:
        amount, source = amounts[0]
        following = text[text.find(source) + len(source) :] if source in text else ""
        if re.match(r"\s\d", following):  # "$3 7852 . eo": a figure OCR broke apart, not a small amount
            return None
        return amount
    if bare:
        match = _BARE_FIGURE.search(text)
        if match:
            return float(match["number"].replace(",", ""))
    return None


def money_value(
    text: str, line: PageLine, certainty: float = 0.9, *, source: str | None = None, words: bool = False
) -> MoneyValue | None:
    amount = figure(text, bare=True)
    if amount is None and words:
        amount = words_to_amount(text)
    if amount is None:
        return None
    return MoneyValue(value=amount, evidence=evidence(line, certainty, source=source or text))


def text_value(value: str, line: PageLine, certainty: float = 0.9, source: str | None = None) -> TextValue:
    return TextValue(value=value, evidence=evidence(line, certainty, source=source))


def labelled_values(
    layout: Layout, label: re.Pattern[str], *, below: bool = True, reach: float = 0.12
) -> Iterator[Labelled]:
    """Every value of a label: the rest of its line, else the next text right on its row, else the line below.

    ``reach`` is how far right of the label its value may start (a form's amount column is far).
    """
    for line in layout.lines:
        match = label.search(line.text)
        if not match:
            continue
        rest = line.text[match.end() :].strip(" :.-_")
        if rest:
            yield Labelled(rest, line, line.text)
            continue
        right = [
            o for o in same_row(layout.view, line) if o.x > line.x + line.width - 0.01 and o.x - line.right < reach
        ]
        if right:
            yield Labelled(right[0].text.strip(" :"), right[0], f"{line.text} {right[0].text}")
            continue
        if below:
            under = [
                o
                for o in layout.page_lines(line.page)
                if 0 < o.y - line.y < 0.035 and abs(o.x - line.x) < 0.1 and o is not line
            ]
            if under:
                first = min(under, key=lambda o: o.y)
                yield Labelled(first.text.strip(" :"), first, f"{line.text} / {first.text}")
