"""When the instrument was signed ("Dated:", "made this 30th day of December, 2016") and acknowledged.

The acknowledgment block starts at the notary's certificate ("acknowledged before me", "personally
appeared", "I certify that I know", "SUBSCRIBED and SWORN") and holds its date in one of a few
forms: "On <date> before me", "this 24th day of September, 2020", "Dated: 6-22-2021", "before me
on 8/28/25". A commission's expiry is never the date. Dates written by hand in blanks are often
not read at all; those that are read come with the line's low OCR confidence and are marked weak.
"""

from __future__ import annotations

import datetime as dt
import re

from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.rules.layout import Layout, evidence, same_row
from textract_pipeline.extraction.schema_v1 import DateValue

_DATED = re.compile(
    r"^[\W_]{0,3}(?:Dated|Executed(?:\s+on)?|Signed(?:\s+on)?)\s*(?P<colon>[:;.])?\s*(?P<rest>.{0,60})", re.I
)
_DATE_BOX = re.compile(r"^[\W_]{0,3}Date\s*(?P<colon>[:;.])?\s*(?P<rest>.{0,60})", re.I)  # a form's plain "Date:"
_MADE = re.compile(
    r"\b(?:made|executed|effective|entered\s+into|dated)\s+(?:and\s+executed\s+)?(?:as\s+of\s+)?(?:this|on|the)?\s*"
    r"(?P<rest>.{0,40})",
    re.I,
)
_NOTARY_START = re.compile(
    r"acknowledged\s+before\s+me|personally\s+appeared|I\s+certify\s+that\s+I\s+know|SUBSCRIBED\s+and\s+SWORN|"
    r"before\s+me,?\s+the\s+undersigned|This\s+record\s+was\s+acknowledged|BE\s+IT\s+REMEMBERED|Notary\s+Public",
    re.I,
)
_NOT_THE_DATE = re.compile(r"expir|commission|appointment|\bexp\b|term\s+ends", re.I)
_NOTARY_DATE = re.compile(
    r"\b(?:On|before\s+me\s+(?:on|this)|this|Dated\s*:?|acknowledged\s+(?:before\s+me\s+)?on)\s+(?P<rest>.{0,60})", re.I
)
_BLOCK_LINES = 14
_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b")


def _plausible(date: dt.date, recorded: dt.date | None) -> bool:
    if recorded is not None:
        return recorded - dt.timedelta(days=3 * 365) <= date <= recorded
    return dt.date(1700, 1, 1) <= date <= dt.date.today()


def _date_in(text: str, recorded: dt.date | None) -> tuple[dt.date, str] | None:
    for date, source in find_dates(text):
        if _plausible(date, recorded):
            return date, source
    return None


def dated_date(layout: Layout, recorded: dt.date | None) -> DateValue | None:
    return (
        _labelled_date(layout, recorded, _DATED)
        or _labelled_date(layout, recorded, _DATE_BOX)
        or _made(layout, recorded)
    )


def _labelled_date(layout: Layout, recorded: dt.date | None, label: re.Pattern[str]) -> DateValue | None:
    for index, line in enumerate(layout.lines):
        match = label.search(line.text)
        if not match or _NOT_THE_DATE.search(line.text):
            continue
        previous = layout.lines[index - 1] if index else None
        if not match["colon"] and previous is not None and re.search(r"TRUST\W*$", previous.text, re.I):
            continue  # "... FAMILY TRUST / DATED MAY 1, 2015" names the trust, not the signing
        if _in_notary_block(layout, line) or (layout.in_stamp_band(line) and line.x > 0.45):
            continue  # an acknowledgment's date, or a stamp's ("State Documentary Fee / Date: 01/20/2022")
        found = _date_in(match["rest"], recorded)
        if found is None:  # a handwritten date on the same row may come out as separate lines
            row = " ".join(other.text for other in same_row(layout.view, line) if other.x >= line.x)
            found = _date_in(row[len(match[0]) - len(match["rest"]) :], recorded)
        if found is None and not match["rest"].strip():  # a form's "Date:" box: the date under it, or over it
            near = [o for o in layout.page_lines(line.page) if 0 < abs(o.y - line.y) < 0.03 and abs(o.x - line.x) < 0.1]
            for other in sorted(near, key=lambda o: (o.y < line.y, abs(o.y - line.y))):
                found = _date_in(other.text, recorded)
                if found:
                    break
        if found:
            return DateValue(value=found[0], evidence=evidence(line, 0.9))
    return None


def _made(layout: Layout, recorded: dt.date | None) -> DateValue | None:
    """The date in the opening recital: "made and executed this 30th day of December, 2016"."""
    for stream in layout.streams[:2]:
        for match in _MADE.finditer(stream.text):
            before = stream.text[max(0, match.start() - 30) : match.start()]
            if re.search(r"Trust\W*$", before, re.I):
                continue
            found = _date_in(match["rest"], recorded)
            if found:
                line = stream.line_at(match.start())
                return DateValue(value=found[0], evidence=evidence(line, 0.85, source=" ".join(match[0].split())))
    return None


def _in_notary_block(layout: Layout, line: PageLine) -> bool:
    page_lines = layout.page_lines(line.page)
    starts = [other.y for other in page_lines if _NOTARY_START.search(other.text) and other.y <= line.y]
    return bool(starts) and line.y - max(starts) < 0.2


def notary_date(layout: Layout, recorded: dt.date | None) -> DateValue | None:
    for stream in layout.streams:
        lines = stream.lines
        for start, line in enumerate(lines):
            if not _NOTARY_START.search(line.text):
                continue
            block = lines[start : start + _BLOCK_LINES]
            found = _block_date(layout, block, recorded)
            if found is not None:
                return found
    return None


def _block_date(layout: Layout, block: list[PageLine], recorded: dt.date | None) -> DateValue | None:
    text = " ".join(line.text for line in block)
    for match in _NOTARY_DATE.finditer(text):
        if _NOT_THE_DATE.search(text[max(0, match.start() - 30) : match.start() + 5]):
            continue
        found = _date_in(match["rest"], recorded)
        if found:
            line = _line_of(block, text, match.start())
            return DateValue(value=found[0], evidence=evidence(line, 0.9, source=" ".join(match[0].split())))
    for line in block:  # a typed clarification or a date alone on its line ("For Clarity: Dated 8/28/25")
        if _NOT_THE_DATE.search(line.text):
            continue
        row = " ".join(other.text for other in same_row(layout.view, line))
        if _NOT_THE_DATE.search(row) or layout.in_stamp_band(line) and _TIME_OF_DAY.search(row):
            continue  # nor the recorder's stamp below the certificate ("04/23/2013 11:17 AM")
        found = _date_in(row, recorded)
        if found:
            return DateValue(value=found[0], evidence=evidence(line, 0.75, source=row))
    return None


def _line_of(block: list[PageLine], text: str, offset: int) -> PageLine:
    position = 0
    for line in block:
        position += len(line.text) + 1
        if position > offset:
            return line
    return block[-1]
