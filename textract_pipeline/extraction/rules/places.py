"""County and state of recording: from the recorder's stamp, else from where the body puts the land.

The stamp names the county beside officials' titles ("Phil Diamond, Comptroller Orange County,
FL", "KEN BURKE, CLERK OF COURT AND COMPTROLLER PINELLAS COUNTY, FL", "Official Records, County
of Los Angeles"), so the words before "County" are read back only as far as they are not a title.
The notary's venue is never used: signers are often acknowledged in another county or state.
A stamp's name that is only the tail of the county the body names ("I-Dade" where the body says
"situated in Miami-Dade County": OCR lost the stamp's first letters) gives way to the body's.
"""

from __future__ import annotations

import re

from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.rules.layout import Layout, evidence
from textract_pipeline.extraction.schema_v1 import TextValue

STATES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA", "COLORADO": "CO",
    "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC", "FLORIDA": "FL", "GEORGIA": "GA",
    "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY",
    "LOUISIANA": "LA", "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH",
    "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND",
    "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR", "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI",
    "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD", "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT",
    "VIRGINIA": "VA", "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
}  # fmt: skip
ABBREVIATIONS = set(STATES.values())
_STATE_NAME = "|".join(sorted(STATES, key=len, reverse=True))
_STATE_AFTER = re.compile(rf"^\W{{0,3}}(?:State\s+of\s+)?(?P<state>{_STATE_NAME}|(?-i:[A-Z]{{2}}))\b", re.I)
_COUNTY_WORD = re.compile(r"\bCOUNTY\b", re.I)
_COUNTY_OF = re.compile(r"\bCOUNTY\s+OF\s+(?P<county>[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,2})", re.I)
# words that precede a county's name on a stamp without being part of it
_NOT_COUNTY = {
    "COMPTROLLER", "CLERK", "RECORDER", "RECORDERS", "AUDITOR", "TREASURER", "REGISTER", "REGISTRAR", "RECORDED",
    "OFFICIAL", "RECORDS", "OF", "THE", "IN", "ELECTRONICALLY", "DEPUTY", "COURT", "CIRCUIT", "AND", "DEEDS", "BY",
    "FILED", "STATE", "CITY", "SITUATED", "SITUATE", "LYING", "BEING", "SAID", "FOR", "ASSESSOR", "TAX", "A", "AN",
}  # fmt: skip
_BODY_PLACE = re.compile(
    r"(?:situated|situate|lying|located|being)\s+in\s+(?:the\s+)?(?:City\s+of\s+[A-Za-z ]+?,\s*)?"
    r"(?:County\s+of\s+(?P<county_of>[A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+)?)|(?P<county>[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+)?)\s+County)"
    rf",?\s*(?:State\s+of\s+)?(?P<state>{_STATE_NAME})?",
    re.I,
)


def state_code(text: str) -> str | None:
    text = " ".join(text.upper().split())
    if text in ABBREVIATIONS:
        return text
    return STATES.get(text)


def _county_before(text: str, end: int) -> str | None:
    """The name read back from 'County' at ``end``: capitalised words that are not an official's title."""
    words = re.findall(r"[A-Za-z][A-Za-z.'-]*", re.split(r"[,;:(]", text[:end])[-1])
    name: list[str] = []
    for word in reversed(words):
        if word.upper().strip(".") in _NOT_COUNTY or not word[0].isupper() or len(name) == 3:
            break
        name.insert(0, word)
    return " ".join(name) or None


def _clean(name: str) -> str:
    return " ".join(w if len(w) <= 2 else w.title() for w in name.strip(" ,.)").split())


def _in_line(text: str) -> tuple[str | None, str | None]:
    """(county, state) named on one stamp line."""
    of = _COUNTY_OF.search(text)
    if of:
        words = [w for w in of["county"].split() if w.upper() not in STATES and w.upper() != "STATE"]
        after = text[of.end() :]
        state = _STATE_AFTER.match(after)
        return (" ".join(words) or None), (state_code(state["state"]) if state else None)
    county = state = None  # "El Paso County Clerk and Recorder, …, El Paso County, CO": the state after either
    for match in _COUNTY_WORD.finditer(text):
        name = _county_before(text, match.start())
        if name:
            county = county or name
            after = _STATE_AFTER.match(text[match.end() :])
            if after:
                return county, state_code(after["state"])
    return county, state


def find_county_state(layout: Layout, stamp: list[tuple[str, PageLine]]) -> tuple[TextValue | None, TextValue | None]:
    """From the stamp's rows (text, first line) first, else from the body's "situated in ... County"."""
    county_value = state_value = None
    for text, line in stamp:
        county, state = _in_line(text)
        if county and county_value is None:
            county_value = TextValue(value=_clean(county), evidence=evidence(line, 0.95, source=text))
        if state and state_value is None:
            state_value = TextValue(value=state, evidence=evidence(line, 0.95, source=text))
        if county_value and state_value:
            break
    if state_value is None:
        for text, line in stamp:
            named = re.search(rf"\b({_STATE_NAME})\b", text, re.I)
            code = state_code(named.group(1)) if named else None
            if code:
                state_value = TextValue(value=code, evidence=evidence(line, 0.85, source=text))
                break
    if state_value is None:
        for text, line in stamp:
            last_word = re.search(r"([A-Za-z]+)\s*$", text)
            code = _state_cut_off(last_word.group(1)) if last_word else None
            if code:
                state_value = TextValue(
                    value=code, evidence=evidence(line, 0.6, source=text, weak="the state's name is cut off")
                )
                break
    body_county = body_state = None
    for stream in layout.streams:
        match = _BODY_PLACE.search(stream.text)
        if not match:
            continue
        line = stream.line_at(match.start())
        county = match["county_of"] or match["county"]
        if county and county.upper() not in _NOT_COUNTY:
            body_county = TextValue(value=_clean(county), evidence=evidence(line, 0.8))
        if match["state"]:
            body_state = TextValue(value=state_code(match["state"]), evidence=evidence(line, 0.8))
        break
    if county_value is None or (body_county is not None and _is_cut_from(county_value.value, body_county.value)):
        county_value = body_county
    return county_value, state_value or body_state


def _state_cut_off(word: str) -> str | None:
    """The state whose name alone begins with ``word``: a stamp line's last word, cut off ("Washingt")."""
    word = word.strip().upper()
    if len(word) < 7:
        return None
    matches = [code for name, code in STATES.items() if name.startswith(word) and name != word]
    return matches[0] if len(matches) == 1 else None


def _is_cut_from(stamp_county: str, body_county: str) -> bool:
    """Whether the stamp's reading is the body's county name with its first letters lost."""
    stamp, body = stamp_county.upper(), body_county.upper()
    tail = re.sub(r"^[A-Z]{0,2}-", "", stamp)  # "I-DADE": a letter left of the lost part, then the rest
    return len(tail) >= 3 and len(stamp) < len(body) and body.endswith(tail)
