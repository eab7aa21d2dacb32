"""Dates as deeds print them (typed, stamped, spelled out) to ISO ``datetime.date``."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "March 3, 2025", "MAR. 3 2025", "March 3rd, 2025"
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,.;:]?\s*(?P<year>\d{{4}})\b", re.I
)
# "3rd day of March, 2025", "3 March 2025"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?P<month>{_MONTH_ALT})\.?\s*[,.]?\s*(?P<year>\d{{4}})\b",
    re.I,
)
# "03/03/2025", "3-3-25"
_NUMERIC = re.compile(r"\b(?P<month>\d{1,2})\s?[/-]\s?(?P<day>\d{1,2})\s?[/-]\s?(?P<year>\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def _build(year: str, month: str | int, day: str) -> dt.date | None:
    month_number = (
        month if isinstance(month, int) else (int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip(".")))
    )
    year_number = int(year)
    if year_number < 100:  # two-digit years on stamps: 00-69 -> 2000s
        year_number += 2000 if year_number < 70 else 1900
    try:
        return dt.date(year_number, int(month_number), int(day))
    except (TypeError, ValueError):
        return None


def find_dates(text: str) -> list[tuple[dt.date, str]]:
    """All dates in ``text`` with the text each was read from, in reading order."""
    found: list[tuple[int, dt.date, str]] = []
    taken: list[range] = []
    for pattern in (_ISO, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _NUMERIC):
        for match in pattern.finditer(text):
            if any(match.start() in span or match.end() - 1 in span for span in taken):
                continue
            value = _build(match["year"], match["month"], match["day"])
            if value is not None:
                found.append((match.start(), value, match.group(0)))
                taken.append(range(match.start(), match.end()))
    return [(value, source) for _, value, source in sorted(found, key=lambda item: item[0])]


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``, or None."""
    dates = find_dates(text)
    return dates[0][0] if dates else None
