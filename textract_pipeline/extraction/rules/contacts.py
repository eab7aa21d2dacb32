"""The header's addressees and the title company's numbers.

"When recorded return to", "After Recording Return To", "Prepared by and return to", "RETURN
ADDRESS", "Mail tax statements to" head a block of a name and an address (usaddress tells the
address lines from the name lines). The recorder's own stamp ("Ret To: SIMPLIFILE LC", the
e-recording vendor) is not the return-to block. The title company is whoever requested the
recording ("Recording requested by", "Filed for record at the request of"), prepared the deed as
a title or escrow agent, or submitted it (a stamp line naming a title company).
"""

from __future__ import annotations

import re

import usaddress

from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.rules.layout import Layout, evidence, row_text, same_row
from textract_pipeline.extraction.rules.values import labelled_values, mend_raised_ordinals, text_value
from textract_pipeline.extraction.schema_v1 import Evidence, MailTo, TextValue

_RETURN_HEADING = re.compile(
    r"(?:(?:AND\s+)?(?:WHEN|AFTER)\s+RECORD(?:ED|ING)[^:]{0,25}?(?:MAIL|RETURN)(?:\s+(?:DOCUMENT|DEED|TO))?|"
    r"RECORD\s+AND\s+RETURN|PREPARED\s+BY\s*(?:&|AND)\s*RETURN|RETURN\s+ADDRESS|\bRETURN\s+TO|\bMAIL\s+TO)\s*(?:TO)?\s*:?",
    re.I,
)
_TAX_HEADING = re.compile(
    r"(?:MAIL|SEND)\s+(?:ALL\s+)?(?:PROPERTY\s+)?TAX\s+(?:STATEMENTS?|BILLS?|INFORMATION)\s*(?:TO)?\s*:?", re.I
)
_STAMP_RETURN = re.compile(r"\bRet(?:urn)?\s+To\s*:", re.I)  # the recorder's own "Ret To:" line in its stamp
_BLOCK_STOP = re.compile(
    r"RECORDING\s+REQUESTED|MAIL\s+TAX|ORDER\s+NO|ESCROW\s+NO|\bAPN\b|A\.P\.N|PARCEL|SPACE\s+ABOVE|\bDOC\s*#|"
    r"TITLE\s+ORDER|File\s+N(?:o|umber)|Tax\s+Folio|Prepared\s+by|Consideration|SALES\s+PRICE|\(\d{3}\)\s*\d{3}-|^\d{3}-\d{3}-\d{4}|"
    r"^\W*ADDRESS\s*$|CITY,?\s+STATE",
    re.I,
)
_ROLE_ONLY = re.compile(
    r"^\W*(?:the\s+)?(?:grantees?|grantors?|buyers?|(?:same\s+|as\s+directed\s+)?(?:as\s+)?above)\W*$", re.I
)
_NAME_TAIL = re.compile(r",?\s+(?:an?\s+)?(?:employee|agent|officer|attorney)s?\s+(?:of|for)\s*$", re.I)
_ZIP_END = re.compile(r"\b(?:[A-Z]{2}|[A-Z][a-z]+)[\s,.-]*\d{5}(?:-\d{4})?\W*$")
_TITLE_WORD = re.compile(r"\b(?:TITLE|ESCROW|ABSTRACT)\b", re.I)
_COMPANY_WORD = re.compile(
    r"\b(?:CO\.?|COMPANY|INC\.?|LLC|L\.L\.C\.|AGENCY|INSURANCE|SERVICES?|GUARANTY|CORP(?:ORATION)?|GROUP|OF\s+[A-Z]+)\b|"
    r"\bTITLE\s*$",
    re.I,
)
_NOT_COMPANY = re.compile(
    r"\bDEED\b|TITLE\s*\(S\)|Document\s+Title|title\s+to|ORDER\s+NO|TITLE\s+NO|\btitle\s+of|insurance\s+polic|"
    r"\b(?:is|as|under|by)\b",  # a sentence about a company, not its name ('"Trustee" is X TITLE LLC')
    re.I,
)
_REQUESTED = re.compile(
    r"(?:RECORDING\s+REQUESTED\s+BY|FILED\s+FOR\s+RECORD\s+AT\s+(?:THE\s+)?REQUEST\s+OF)\s*:?", re.I
)
_PREPARED = re.compile(r"PREPARED\s+BY", re.I)
_DBA = re.compile(r"\bd/?b/?a\b\.?\s*", re.I)
_ESCROW = re.compile(r"\bEs[ce]row\s*(?:No|Number|#)\.?\s*[:.,]*\s*", re.I)
_ORDER = re.compile(
    r"\b(?:(?:Title\s+)?Order\s*(?:No|Number|#)|Commitment\s*(?:No|#)|FATCO\s*#|Title\s+No)\.?\s*[:.,]*\s*",
    re.I,
)
# a GF ("guaranty file") number is the title company's file number
_FILE = re.compile(
    r"(?<!Auditor's\s)(?<!Auditor’s\s)(?<!Auditors\s)\b(?:(?:Our\s+)?File|GF|Case|Cause)\s*(?:No|Number|#)\.?\s*[:.,]*\s*",
    re.I,
)
# a name line ends in its entity's designator ("1637 LINK INVESTMENTS LLC"); a street line never does
_ENTITY_END = re.compile(
    r"\b(?:LLC|L\.L\.C|INC|INCORPORATED|CORP|CORPORATION|COMPANY|LP|L\.P|LLP|LTD|TRUST|BANK|N\.A)\W*$", re.I
)
_NUMBER_VALUE = re.compile(r"^(?P<value>(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{2,})", re.I)


def _is_address(text: str) -> bool:
    """A line of an address: it ends in a ZIP code, or starts like a street (usaddress confirms) or a PO box."""
    if _ENTITY_END.search(text):
        return False
    if re.search(r"\b\d{5}(?:-\d{4})?\W*$", text):
        return True
    if not re.match(r"^\W*(?:P\.?\s?O\.?\s+BOX|\d+\s+\w)", text, re.I):
        return False
    try:
        _, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return True
    return kind in ("Street Address", "PO Box", "Ambiguous")


def _addressee(layout: Layout, heading: PageLine, rest: str) -> MailTo | None:
    texts: list[tuple[str, PageLine]] = [(rest, heading)] if rest else []
    heading_pieces = {id(o) for o in same_row(layout.view, heading) if heading.x <= o.x < heading.x + 0.5}
    for line in layout.block_below(heading):
        if id(line) in heading_pieces and line.x > heading.x + 0.01:
            continue
        text = row_text(layout, line)
        if _BLOCK_STOP.search(text) or _RETURN_HEADING.search(text) or _TAX_HEADING.search(text):
            break
        texts.append((text, line))
        if _ZIP_END.search(text):
            break
    if not texts or _ROLE_ONLY.match(texts[0][0]):
        return None
    first_address = next((i for i, (text, _) in enumerate(texts) if _is_address(text)), None)
    names = texts[: first_address if first_address is not None else 1]
    address = texts[first_address:] if first_address is not None else []
    result = MailTo()
    if names:
        name_text, name_line = names[0]
        name = _NAME_TAIL.sub("", name_text).strip(" ,")
        if re.search(r"[A-Za-z]{2}", name):
            result.name = TextValue(value=name, evidence=evidence(name_line, 0.9, source=name_text))
    if address:
        joined = mend_raised_ordinals(", ".join(text.strip(" ,") for text, _ in address))
        lowest = min(line.confidence for _, line in address)
        base = evidence(address[0][1], 0.9, source="\n".join(text for text, _ in address))
        result.address = TextValue(
            value=re.sub(r",\s*(\d{5})", r" \1", joined),
            evidence=Evidence(
                page=base.page,
                source_text=base.source_text,
                confidence=min(base.confidence, round(lowest * 0.9, 3)),
                weak=base.weak,
            ),
        )
    return result if result.name or result.address else None


def _first_addressee(layout: Layout, heading: re.Pattern[str]) -> MailTo:
    for line in layout.lines:
        # a heading may come out of OCR word by word ("When" "recorded" "return" "to:"): read it with its row
        text = row_text(layout, line, gap=0.06)
        match = heading.search(text)
        if match is None or match.start() >= len(line.text) or line.text[:1].islower():
            continue
        if _STAMP_RETURN.search(line.text) and layout.in_stamp_band(line) and line.x > 0.4:
            continue
        rest = re.sub(r"^\(NAME\)", "", text[match.end() :].strip(" :"), flags=re.I).strip(" :")
        if _BLOCK_STOP.search(rest) or _RETURN_HEADING.search(rest):  # "MAIL TAX STATEMENTS AND WHEN RECORDED MAIL TO:"
            rest = ""
        found = _addressee(layout, line, rest)
        if found is not None:
            return found
    return MailTo()


def mail_to(layout: Layout) -> MailTo:
    return _first_addressee(layout, _RETURN_HEADING)


def tax_statements_to(layout: Layout) -> MailTo:
    found = _first_addressee(layout, _TAX_HEADING)
    return found if found.address else _form_addressee(layout, found)


_FORM_NAME = re.compile(r"^\W*(?:MAIL\s+(?:PROPERTY\s+)?TAX\s+\w+\s+TO\s*\(NAME\)|NAME)\s*:?\s*$", re.I)
_FORM_STREET = re.compile(r"^\W*(?:MAILING\s+)?ADDRESS\s*:?\s*$", re.I)
_FORM_CITY = re.compile(r"^\W*CITY\W+STATE\W+(?:AND\s+)?ZIP(?:\s+CODE)?\s*:?\s*$", re.I)


def _form_addressee(layout: Layout, found: MailTo) -> MailTo:
    """A form's boxes: "MAIL PROPERTY TAX INFORMATION TO (NAME)", "ADDRESS", "CITY, STATE, ZIP CODE"."""
    parts = {}
    for key, label in (("name", _FORM_NAME), ("street", _FORM_STREET), ("city", _FORM_CITY)):
        value = next(labelled_values(layout, label), None)
        if value is not None and not _FORM_STREET.match(value.value) and not _FORM_CITY.match(value.value):
            parts[key] = value
    result = found.model_copy()
    if result.name is None and "name" in parts and "street" in parts:
        result.name = text_value(parts["name"].value, parts["name"].line, 0.85, source=parts["name"].source)
    if "street" in parts and "city" in parts:
        street, city = parts["street"], parts["city"]
        result.address = text_value(
            f"{street.value}, {city.value}", street.line, 0.85, source=f"{street.source} / {city.source}"
        )
    return result


def _company(text: str) -> str | None:
    text = re.sub(r"^\W*(?:\(?\w{1,4}\)\s*)?(?=[A-Z])", "", text)
    # a number printed beside the name ("Title Order No. 6549984-JM Bluebonnet Title Company") is not part of it
    text = re.sub(
        r"\b(?:Title\s+)?(?:GF|Order|Escrow|File)\s*(?:No\.?|#)\s*[:.]?\s*[\w-]*\d[\w-]*", " ", text, flags=re.I
    )
    text = " ".join(text.split()).strip(" ,.")
    if ":" in text or sum(c.isdigit() for c in text) > 2:
        return None
    if _DBA.search(text):
        text = _DBA.split(text)[-1]
    if not _TITLE_WORD.search(text) or _NOT_COMPANY.search(text) or len(text.split()) > 9:
        return None
    return text if _COMPANY_WORD.search(text) else None


def title_company(layout: Layout, parties: set[str] = frozenset()) -> TextValue | None:
    """The title or escrow company; a party to the instrument (a lender requesting its release) is not one."""

    def outsider(name: str | None) -> bool:
        return bool(name) and normalize_name(name) not in parties

    for labelled in labelled_values(layout, _REQUESTED):
        name = _company(labelled.value) or (labelled.value if re.search(r"[A-Za-z]{3}", labelled.value) else None)
        if outsider(name) and not _RETURN_HEADING.search(name):
            return text_value(name, labelled.line, 0.9, source=labelled.source)
    for line in layout.lines:
        if _PREPARED.search(line.text):
            for below in layout.block_below(line):
                name = _company(below.text)
                if outsider(name):
                    return text_value(name, below, 0.85, source=below.text)
    for line in layout.lines:  # a stamp's submitter line or a title company's own stamp
        name = _company(line.text) if len(line.text) < 90 else None
        if outsider(name):
            return text_value(name, line, 0.75, source=line.text)
        if re.search(r"\bFATCO\s*#", line.text):
            return text_value("First American Title", line, 0.7, source=line.text)
    return None


def labelled_number(layout: Layout, label: re.Pattern[str]) -> TextValue | None:
    for labelled in labelled_values(layout, label, below=False):
        match = _NUMBER_VALUE.match(labelled.value.replace(" ", "") if len(labelled.value) < 20 else labelled.value)
        if match:
            return text_value(match["value"].upper().strip("-"), labelled.line, 0.9, source=labelled.source)
    return None


def escrow_number(layout: Layout) -> TextValue | None:
    return labelled_number(layout, _ESCROW)


def order_number(layout: Layout) -> TextValue | None:
    return labelled_number(layout, _ORDER)


def file_number(layout: Layout) -> TextValue | None:
    return labelled_number(layout, _FILE)
