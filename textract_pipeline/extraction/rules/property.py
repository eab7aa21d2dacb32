"""The land: parcel numbers, street address and legal description.

Parcel ids come in each state's format ("123-0-456-789" in California, Florida strap numbers
"30-23-28-2465-00-160" and "04-45-27-08-00033.0080", Washington "639200-2550" and "44140001800",
Colorado "R0123456") under as many labels (APN, Parcel ID, Tax Parcel Number(s), Tax Folio
Number, Schedule No.). The legal description is the paragraph the conveying clause introduces
("... described as follows:", "to-wit:", "viz:"), or the Exhibit A the clause points to.
"""

from __future__ import annotations

import re

import usaddress

from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.rules.layout import Layout, evidence
from textract_pipeline.extraction.rules.values import labelled_values, mend_raised_ordinals, text_value
from textract_pipeline.extraction.schema_v1 import Evidence, Property, TextValue

_APN_LABEL = re.compile(
    r"(?:\bA\.?\s?P\.?\s?N\.?(?:\s*/\s*Parcel\s+ID\(?s?\)?)?|Assessor'?s?\s+(?:Property\s+Tax\s+)?Parcel(?:/Account)?\s*"
    r"(?:No\.?|Numbers?|#)?(?:\(s\))?|Tax\s+Parcel\s*(?:No\.?|Numbers?|ID|#)?(?:\(s\))?|Parcel\s*(?:Identification\s+)?"
    r"(?:No\.?|Numbers?|ID|#)(?:\(?'?s\)?)?(?:\s*No\.?)?|Tax\s+(?:Folio|Account|ID)\s*(?:No\.?|Numbers?|#)?|"
    r"Folio\s*(?:No\.?|Number|#)|Property\s+(?:ID|Identification)\s*(?:No\.?|Number|#)?|Schedule\s*(?:No\.?|Number|#)|"
    r"(?:Property\s+Appraiser'?s\s+)?Parcel\s+[I|l]\.?D\.?\s*(?:\(Folio\)\s*)?(?:Numbers?(?:\(s\))?|No\.?)?|"
    r"Geographic\s+ID|Account\s+(?:No\.?|Number)|\bPIN\b|\bParcel#'?S)\s*[:#.]?\s*",
    re.I,
)
# one parcel id: digits with dashes, dots or single spaces, or one long run; a letter prefix or suffix allowed
_APN_VALUE = re.compile(
    r"(?<![\w$])(?P<apn>(?=[A-Z]?\d)[0-9A-Z]{2,6}(?:[-.][0-9A-Z]{1,6}){1,6}|[A-Z]?\d{2,4}(?: \d{2,5}){2,5}|[A-Z]?\d{6,15}[A-Z]?)(?![\w$])"
)
_SITUS_LABEL = re.compile(
    r"(?:STREET\s+ADDRESS\s+OR\s+PHYSICAL\s+LOCATION\s+OF\s+REAL\s+PROPERTY|Commonly\s+known\s+as|Property\s+Address|(?<!whose\s)(?<!legal\s)Street\s+Address(?:\s+of\s+Property)?|Situs(?:\s+Address)?|"
    r"Site\s+Address|also\s+known\s+(?:by\s+street\s+and\s+number\s+)?as|a/k/a|Address\s+of\s+(?:the\s+)?Property|which\s+currently\s+has\s+the\s+address\s+of)"
    r"\s*[:.]?\s*",
    re.I,
)
_LEGAL_START = re.compile(
    r"(?:^|(?<=[\s:]))(?:LOTS?\s+[\dA-Z]|PARCEL\s+(?!ID\b|I\.D|NO\b)[\dA-Z]{1,3}\s*(?::|OF\b|,)|UNIT\s+[\dA-Z]|THAT\s+PORTION|THAT\s+PART|"
    r"THE\s+(?:NORTH|SOUTH|EAST|WEST|N\.?|S\.?|E\.?|W\.?)(?:EAST|WEST|E\.?|W\.?)?\s*(?:\d+\s*(?:FEET|FT)|HALF|QUARTER|"
    r"\d+/\d+|ONE)|(?:N|S)(?:E|W)\s*1/4|"
    r"ALL\s+(?:OF\s+)?(?:THAT\s+)?(?:CERTAIN\s+)?(?:TRACT|PARCEL|LOTS?|PIECE|REAL|PROPERTY|LAND|PORTION|PART|UNIT)\b|"
    r"(?:A|THAT)\s+(?:CERTAIN\s+)?(?:TRACT|PARCEL|PIECE)\s+OF|BEGINNING\s+AT|COMMENCING\s+AT|SECTION\s+\d+\s*,?\s*TOWNSHIP|"
    r"TRACT\s+[\dA-Z]|BLOCK\s+\d|[A-Z][A-Z .'-]{3,40}\s+PB\s+\d|BEING\s+(?:A\s+|ALL\s+OF\s+)?(?:[\d.]+\s+ACRES?|LOTS?\s|"
    r"(?:A\s+)?(?:TRACT|PARCEL|PORTION)\s+OF)|[\d.]+\s+ACRES?\s+OF\s+LAND)",
    re.I,
)
# the conveying clause announcing the description
_INTRODUCER = re.compile(
    r"(?:to[\s-]*wit|viz|described\s+as\s+follows?|particularly\s+described\s+as\s+follows?|described\s+as|"
    r"described\s+re\w{1,2}\s+(?:estate|property)[^:]{0,120}|bounded\s+as\s+follows|real\s+property[^:]{0,160}|"
    r"^\W*Property\s*(?:\([^)]*\))?)\s*[:;]",
    re.I,
)
_EXHIBIT_POINTER = re.compile(r"(?:described|set\s+forth)\s+(?:on|in)\s+(?:the\s+attached\s+)?Exhibit\s*[\"“]?A", re.I)
_EXHIBIT_HEADING = re.compile(r"EXHIBIT\s*[\"'“”]?\s*A\b|LEGAL\s+DESCRIPTION", re.I)
_LEGAL_END = re.compile(
    r"\b(?:Abbreviated\s+Legal|Tax\s+Parcel|Parcel\s+(?:ID|Identification|No)|A\.?P\.?N\.?\b|Assessor|Commonly\s+known|"
    r"Property\s+Address|STREET\s+ADDRESS|Subject\s+to|SUBJECT\s+TO|Together\s+with|TOGETHER\s+WITH|TO\s+HAVE\s+AND|"
    r"To\s+have\s+and|Dated|DATED|IN\s+WITNESS|In\s+Witness|The\s+Grantee\s+by|Grantor\s+declares|Free\s+of|"
    r"EXCEPT\s+taxes|Tax\s+Folio|Mail\s+tax|Situs|Exceptions|(?i:Property\s+commonly\s+known|also\s+known\s+by)|"
    r"FOR\s+THE\s+PURPOSE)",
)
_MIN_DIGITS = 6


def _apns(layout: Layout) -> list[TextValue]:
    found: list[TextValue] = []
    seen: set[str] = set()
    for labelled in labelled_values(layout, _APN_LABEL):
        text = labelled.value
        if text.rstrip().endswith(","):  # the list wraps onto the next line
            following = [o for o in layout.page_lines(labelled.line.page) if 0 < o.y - labelled.line.y < 0.03]
            if following:
                text += " " + min(following, key=lambda o: o.y).text
        for match in _APN_VALUE.finditer(text.replace("[", "1").replace("|", "1")):
            apn = match["apn"].strip(".")
            key = re.sub(r"\W", "", apn).upper()
            if sum(c.isdigit() for c in apn) < _MIN_DIGITS or any(key in other or other in key for other in seen):
                continue
            seen.add(key)
            found.append(text_value(apn.upper(), labelled.line, 0.95, source=labelled.source))
    return found


def _trim_address(text: str) -> str | None:
    """The address at the start of ``text``, cut after its ZIP code (usaddress tags the parts)."""
    text = text.strip(" .,:")
    zip_code = re.search(r"(?<=[A-Za-z.,]\s)\s*\d{5}(?:-\d{4})?\b|(?<=[A-Za-z],)\d{5}\b", text)
    if zip_code:
        text = text[: zip_code.end()]
    try:
        parts, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return text if zip_code else None
    if kind not in ("Street Address", "PO Box", "Ambiguous") or not ({"AddressNumber", "USPSBoxID"} & parts.keys()):
        return None
    return text


def _situs(layout: Layout) -> TextValue | None:
    for labelled in labelled_values(layout, _SITUS_LABEL):
        text = labelled.value
        if not re.search(r"\b\d{5}\b", text):  # city, state and ZIP on the next line
            following = [
                o
                for o in layout.page_lines(labelled.line.page)
                if 0 < o.y - labelled.line.y < 0.03 and abs(o.x - labelled.line.x) < 0.15
            ]
            right = [
                o
                for o in layout.page_lines(labelled.line.page)
                if abs(o.y - labelled.line.y) < 0.006 and o.x > labelled.line.right and re.search(r"\d{5}", o.text)
            ]
            extra = right or following
            if extra and re.search(r"\b[A-Z]{2}\W*\d{5}\b", min(extra, key=lambda o: o.y).text):
                text = f"{text}, {min(extra, key=lambda o: o.y).text}"
        address = _trim_address(mend_raised_ordinals(text))
        if address:
            return text_value(address, labelled.line, 0.9, source=labelled.source)
    return None


_CITY_STATE_ZIP = re.compile(r",\s*(?P<city>[^,]*?)\s*,?\s*(?P<state>[A-Z]{2})\W*(?P<zip>\d{5})(?:-\d{4})?\W*$")


def mend_situs_city(situs: TextValue | None, others: list[TextValue | None]) -> TextValue | None:
    """A property address whose city OCR lost ("7550 41ST AVE NE, e WA 98115") takes the city of another
    address on the document with the same street and ZIP (the grantee's mailing address is often the land's)."""
    own = _CITY_STATE_ZIP.search(situs.value) if situs else None
    if situs is None or own is None or re.fullmatch(r"[A-Z][A-Za-z .'-]{2,}", own["city"]):
        return situs
    street = normalize_name(situs.value[: own.start()])
    for other in others:
        theirs = _CITY_STATE_ZIP.search(other.value) if other else None
        if (
            theirs
            and re.fullmatch(r"[A-Z][A-Za-z .'-]{2,}", theirs["city"])
            and normalize_name(other.value[: theirs.start()]) == street
            and (theirs["state"], theirs["zip"]) == (own["state"], own["zip"])
        ):
            weak = "the city is read from the same street's address elsewhere on the document"
            return TextValue(
                value=other.value,
                evidence=situs.evidence.model_copy(
                    update={"weak": weak, "confidence": min(situs.evidence.confidence, 0.59)}
                ),
            )
    return situs


def _paragraph(lines: list[PageLine], start: int, first_text: str) -> list[tuple[str, PageLine]]:
    """The description from ``lines[start]`` (its text from ``first_text``) to the first line that ends it."""
    collected = [(first_text, lines[start])]
    for line in lines[start + 1 :]:
        previous = collected[-1][1]
        gap = line.y - previous.y
        # a description of several parcels runs on across the blank line before "PARCEL B:"
        next_parcel = re.match(r"\W*(?:PARCEL|TRACT)\s+[\dA-Z]{1,3}\s*:", line.text, re.I) and gap < 0.09
        if _LEGAL_END.search(line.text[:40]) or (gap > max(0.03, 2.6 * previous.height) and not next_parcel):
            break
        if len(collected) > 1 and abs(line.x - collected[1][1].x) > 0.025 and collected[-1][0].rstrip().endswith("."):
            break  # the indented description ended with a sentence; the body resumes at its own margin
        collected.append((line.text, line))
    return collected


def _legal_candidates(layout: Layout) -> list[tuple[int, list[tuple[str, PageLine]]]]:
    """(priority, paragraph): after a clause's introducer 0, an exhibit the clause points to 1, else 2."""
    candidates = []
    points_to_exhibit = any(_EXHIBIT_POINTER.search(stream.text) for stream in layout.streams)
    for stream in layout.streams:
        lines = stream.lines
        for introducer in _INTRODUCER.finditer(stream.text):
            after = introducer.end()
            tail = stream.text[after : after + 400]
            start = _LEGAL_START.search(tail)
            if start is None or start.start() > 160:
                continue
            offset = after + start.start()
            line = stream.line_at(offset)
            index = lines.index(line)
            first = stream.text[offset : stream.starts[index] + len(line.text)]
            candidates.append((0, _paragraph(lines, index, first)))
        headings = [i for i, line in enumerate(lines) if _EXHIBIT_HEADING.search(line.text) and len(line.text) < 45]
        for heading in headings:
            for index in range(heading + 1, min(heading + 8, len(lines))):
                if _LEGAL_START.match(lines[index].text.strip(" :")):
                    candidates.append((1 if points_to_exhibit else 2, _paragraph(lines, index, lines[index].text)))
                    break
    return sorted(candidates, key=lambda item: item[0])


def _legal_description(layout: Layout) -> TextValue | None:
    candidates = _legal_candidates(layout)
    if not candidates:
        for stream in layout.streams:  # no introducer: the first paragraph that starts like a description
            for index, line in enumerate(stream.lines):
                if _LEGAL_START.match(line.text) and not line.text.upper().startswith(("PARCEL A:", "UNIT ")):
                    paragraph = _paragraph(stream.lines, index, line.text)
                    return _legal_value(paragraph, 0.7, "no introducing clause: the first lot/parcel paragraph")
        return None
    priority, paragraph = candidates[0]
    return _legal_value(paragraph, 0.9 if priority < 2 else 0.8, None)


def _legal_value(paragraph: list[tuple[str, PageLine]], certainty: float, weak: str | None) -> TextValue:
    text = " ".join(" ".join(part for part, _ in paragraph).split())
    end = _LEGAL_END.search(text, 20)  # a clause that follows the description on its last line
    text = (text[: end.start()] if end else text).strip(" ;,.")
    confidence = min(line.confidence for _, line in paragraph)
    page = paragraph[0][1].page
    base = evidence(paragraph[0][1], certainty, source=text, weak=weak)
    return TextValue(
        value=text,
        evidence=Evidence(
            page=page,
            source_text=text,
            confidence=min(base.confidence, round(confidence * certainty, 3)),
            weak=base.weak,
        ),
    )


def find_property(layout: Layout) -> Property:
    return Property(apns=_apns(layout), situs_address=_situs(layout), legal_description=_legal_description(layout))
