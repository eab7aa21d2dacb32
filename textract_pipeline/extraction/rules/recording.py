"""The recorder's stamp: recording number, book and page, date and time, county and state, fees, pages.

Stamps differ by county ("DOC# 2025000012345", "INSTR. # 2022000220622", "CFN 2017R0358201 OR BK
30585 Pgs 4762-4764", "I#: 2023134679 BK: 22450 PG: 430", "Reception No.", a bare "4860847" over
a date line) but sit in the same places: the top or bottom band of the first pages, and a
running header on later pages that repeats the number. Numbers are voted on across pages, so
a body reference to another instrument ("deed of trust recorded as instrument number 4593101",
"Auditor's File No. 4223746") never outvotes the stamp.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.rules.layout import Layout, evidence, rows
from textract_pipeline.extraction.rules.places import find_county_state
from textract_pipeline.extraction.rules.values import money_value
from textract_pipeline.extraction.schema_v1 import DateValue, Evidence, IntValue, Recording, TextValue

_NUMBER = r"(?P<number>(?:[A-Z]{1,3}-?)?(?:19|20)\d{2}[-\s]?[A-Z]?[-\s]?\d{4,11}|[A-Z]{0,3}\d{6,15}|\d{2}-\d{4,9})\b"
_LABELLED_NUMBER = re.compile(
    r"(?:\bD[O0]C(?:UMENT)?\s*(?:#|NO\.?|NUMBER|H)|\bINSTR(?:UMENT)?\.?\s*(?:#|NO\.?|NUMBER)|\bI\s?#|\bCFN\s*#?|"
    r"\bRECEPTION\s*(?:#|NO\.?|NUMBER)?|\bREC(?:ORDING)?\s*(?:#|NO\.?|NUMBER)|\bFEE\s*(?:#|NO\.?|NUMBER)|"
    r"\bDOCUMENT\s+NUMBER|\bFILE\s*#|\bSEQUENCE)[\s:.]*" + _NUMBER,
    re.I,
)
# "4860847 Page 2 of 3 06/23/2021 01:17 PM Thurston County WA": a running header
_HEADER_NUMBER = re.compile(r"^\W*" + _NUMBER + r"\s+Page\s*\d+\s*of\s*\d+", re.I)
_BARE_NUMBER = re.compile(
    r"^\W*(?P<number>(?:[A-Z]{1,3}-?)?(?:19|20)\d{2}-\d{4,11}|[A-Z]{0,3}\d{6,15})"
    r"(?:(?:\s+Pages?\s*:?\s*\d{1,3})?\W*$|\s+(?=\d{1,2}/\d{1,2}/\d{2,4}))"  # alone, or before the stamp's date
)
# references to other instruments, never this one's number
_REFERENCE = re.compile(r"Auditor'?s\s+File|recorded\s+(?:as|under|in)|Plat|deed\s+of\s+trust", re.I)
# a legal description's reference to a recorded map, never the instrument's own book and page
_MAP_BOOK = re.compile(r"\b(?:PARCEL\s+)?MAPS?\b|\bPLATS?\b|(?:RECORDED|FILED)\s+IN\s+BOOK", re.I)
# where a recorder's stamp sits when it is not in a page's top or bottom band (a Texas clerk's on the last page)
_STAMP_ANCHOR = re.compile(
    r"FILED\s+(?:AND|&)\s+RECORDED|OFFICIAL\s+(?:PUBLIC\s+)?RECORDS|County\s+(?:Clerk|Recorder|Auditor)|"
    r"Clerk\s+(?:of|and)\s+|RECORDER\b|Register\s+of\s+Deeds|Recorded\s+in\b",
    re.I,
)
_BOOK_PAGE = re.compile(
    r"(?<![A-Za-z])(?:O\.?R\.?\s*)?(?:BK|BOOK|LIBER|VOL(?:UME)?)\.?\s*:?\s*(?P<book>\d{1,6})\s*[,/]?\s*"
    r"(?:PGS?|PAGES?|P[gs]s|FOLIO)\.?\s*:?\s*(?P<page>\d{1,6})",
    re.I,
)
_TIME = re.compile(
    r"\b(?P<hour>[01]?\d|2[0-3])\s?[:.]\s?(?P<minute>[0-5]\d)(?::[0-5]\d)?\s*(?P<half>[AP])?\.?\s?M?\b", re.I
)
_RECORDED_LABEL = re.compile(r"Record(?:ed|ing)?\s*(?:Date|on)?|Filed|Received|Rec\.?\s*Date", re.I)
_FEES = re.compile(
    r"\b(?:Total\s*(?:Rec(?:ording)?\.?\s*)?F\w{0,2}s?|Rec(?:ording)?\.?\s*F\w{1,3}s?|Rec(?:ording)?\s*:|"
    r"(?<!Doc\s)(?<!Documentary\s)Fees?\s*[:!;]|RECORDING\s+\d{1,3}\s+PAGES?|(?-i:R)(?=\s+\$))\W{0,3}"
    r"(?P<amount>\$?\s*\d[\d,]*[.:]\d{2})",
    re.I,
)
_PAGES = re.compile(
    r"(?<![/\w])Pages?(?:\s*:\s*|\s+)(?P<count>\d{1,3})\b(?!\s*(?:of|thru|through|-|,))|(?P<pre>\d{1,3})\s+Page\(s\)|\bPage(?:\s*Number)?:?\s*-?\s*\d{1,3}\s*of\s*(?P<of>\d{1,3})(?![\d/])"
    r"|\((?P<pgs>\d{1,3})\s*P[gs]s\)|RECORDING\s+(?P<rec>\d{1,3})\s+PAGES",
    re.I,
)


def _digits(number: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", number.upper())


def _candidate_lines(layout: Layout) -> list[PageLine]:
    """Lines a recorder writes: the stamp bands of every page, and the block under a stamp's anchor line."""
    found = {id(line): line for line in layout.lines if layout.in_stamp_band(line)}
    for anchor in layout.lines:
        if not layout.in_stamp_band(anchor) and _STAMP_ANCHOR.search(anchor.text) and len(anchor.text) < 60:
            for line in layout.page_lines(anchor.page):
                if -0.02 < line.y - anchor.y < 0.12 and abs(line.x - anchor.x) < 0.12:
                    found.setdefault(id(line), line)
    return sorted(found.values(), key=lambda line: (line.page, line.y))


def _document_number(layout: Layout, lines: list[PageLine]) -> tuple[TextValue | None, PageLine | None]:
    votes: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, PageLine] = {}

    def vote(raw: str, line: PageLine, weight: float) -> None:
        key = re.sub(r"\D", "", raw)
        if not 6 <= len(key) <= 15:
            return
        votes[key] += weight
        spelled[key][_digits(raw)] += 1
        first.setdefault(key, line)

    for line in lines:
        if _REFERENCE.search(line.text):
            continue
        for match in _LABELLED_NUMBER.finditer(line.text):
            vote(match["number"], line, 2.0)
        header = _HEADER_NUMBER.search(line.text)
        if header:
            vote(header["number"], line, 1.5)
        bare = _BARE_NUMBER.match(line.text)
        if bare and layout.in_stamp_band(line) and _date_nearby(layout, line):
            vote(bare["number"], line, 1.5)
    if not votes:
        return None, None
    best, weight = votes.most_common(1)[0]
    line = first[best]
    value = spelled[best].most_common(1)[0][0]
    # letters kept as stamped ("2017R0358201") when a spelling with letters was read
    lettered = [raw for raw in spelled[best] if re.search(r"[A-Z]", raw)]
    if lettered:
        value = lettered[0]
    return TextValue(value=value, evidence=evidence(line, min(1.0, 0.6 + 0.15 * weight))), line


def _date_nearby(layout: Layout, line: PageLine) -> bool:
    """A bare number is a stamp's when a date sits just below it or on its row."""
    return any(
        find_dates(other.text)
        for other in layout.page_lines(line.page)
        if -0.005 <= other.y - line.y <= 0.03 and abs(other.x - line.x) < 0.25
    )


def _stamp_lines(layout: Layout, anchor: PageLine | None) -> list[PageLine]:
    """The stamp block: the anchor's neighbourhood (same column, a few lines down) plus every labelled stamp line."""
    if anchor is None:
        return []
    return [
        line
        for line in layout.page_lines(anchor.page)
        if anchor.y - 0.015 <= line.y <= anchor.y + 0.08 and (abs(line.x - anchor.x) < 0.3 or line.x > anchor.x)
    ]


def _stamp_rows(lines: list[PageLine]) -> list[tuple[str, PageLine]]:
    """Stamp lines' rows as text (a stamp's label and value are often separate OCR lines), with their first line."""
    found = []
    for page in sorted({line.page for line in lines}):
        found += [(" ".join(line.text for line in row), row[0]) for row in rows([o for o in lines if o.page == page])]
    return found


def _recorded_when(stamp_rows: list[tuple[str, PageLine]]) -> tuple[DateValue | None, TextValue | None]:
    """Date and time of recording: a stamp row with a date and a time (or a recording label), voted across pages."""
    dates: Counter = Counter()
    times: Counter = Counter()
    where: dict = {}
    for text, line in stamp_rows:
        found = find_dates(text)
        if not found:
            continue
        clock = _TIME.search(text[text.find(found[0][1]) + len(found[0][1]) :])
        if clock is None and not _RECORDED_LABEL.search(text):
            continue
        date = found[0][0]
        dates[date] += 2 if clock else 1
        where.setdefault(date, (text, line))
        if clock:
            hour, minute = int(clock["hour"]), int(clock["minute"])
            half = (clock["half"] or "").upper()
            if half == "P" and hour < 12:
                hour += 12
            elif half == "A" and hour == 12:
                hour = 0
            times[f"{hour:02d}:{minute:02d}"] += 1
            where.setdefault(("time", f"{hour:02d}:{minute:02d}"), (text, line))
    if not dates:
        return None, None
    date = dates.most_common(1)[0][0]
    text, line = where[date]
    recorded = DateValue(value=date, evidence=evidence(line, 0.95, source=text))
    time = None
    if times:
        clock = times.most_common(1)[0][0]
        text, line = where[("time", clock)]
        time = TextValue(value=clock, evidence=evidence(line, 0.9, source=text))
    return recorded, time


def recording(layout: Layout) -> Recording:
    result = Recording()
    lines = _candidate_lines(layout)
    result.document_number, anchor = _document_number(layout, lines)
    stamp_rows = _stamp_rows(lines)
    result.recorded_date, result.recorded_time = _recorded_when(stamp_rows)
    for text, line in stamp_rows:
        if _REFERENCE.search(text) and not re.search(r"\bO\.?R\.?\s*B", text, re.I) or _MAP_BOOK.search(text):
            continue
        book = _BOOK_PAGE.search(text)
        if book:
            result.book = TextValue(value=book["book"], evidence=evidence(line, 0.9, source=text))
            result.book_page = TextValue(value=book["page"], evidence=evidence(line, 0.9, source=text))
            break
    fees = []  # a total wins over the recording fee alone ("Fees: $33.00 Taxes: $0.00 / Total Fees: $43.00")
    for index, (text, line) in enumerate(stamp_rows):
        following = stamp_rows[index + 1][0] if index + 1 < len(stamp_rows) else ""
        for match in _FEES.finditer(f"{text} {following}"):
            if match.start() < len(text):
                fees.append((not match[0].upper().startswith("TOTAL"), index, match, text, line))
    if fees:
        _, _, match, text, line = min(fees, key=lambda item: item[:2])
        result.fees = money_value(match["amount"].replace(":", "."), line, 0.9, source=text)  # OCR: "$101:00"
    # county names are read per OCR line: a row can join a left-hand block to the stamp ("Law Thurston")
    stamp_lines = [(line.text, line) for line in lines]
    near_anchor = [(line.text, line) for line in _stamp_lines(layout, anchor)]
    county, state = find_county_state(layout, [*stamp_lines, *near_anchor])
    result.recording_county, result.recording_state = county, state
    result.page_count = _page_count(layout)
    return result


def _page_count(layout: Layout) -> IntValue | None:
    counts: list[tuple[int, PageLine]] = []
    for line in layout.lines:
        if re.search(r"Plat|\bMaps?\b", line.text, re.I):
            continue
        for match in _PAGES.finditer(line.text):
            if match["of"] is None and not layout.in_stamp_band(line):
                continue  # "Pages: 3" is a stamp's; "Page 2 of 3" may be any running header
            if re.search(r"(?:BOOK|BK|VOL(?:UME)?|LIBER)\.?\s*:?\s*\d+\s*[,/]?\s*$", line.text[: match.start()], re.I):
                continue  # "OR Book 31280 Page 884": a page of the book, not of the document
            value = int(next(group for group in match.groups() if group))
            if 0 < value <= 999:
                counts.append((value, line))
    if counts:
        count, line = max(counts, key=lambda item: item[0])
        return IntValue(value=count, evidence=evidence(line))
    if layout.view.page_count:
        return IntValue(
            value=layout.view.page_count, evidence=Evidence(page=None, source_text="pages in the scan", confidence=0.8)
        )
    return None
