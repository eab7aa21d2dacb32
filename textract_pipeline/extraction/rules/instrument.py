"""Which instrument or form a document is: from its title line, else from the wording of its body.

Titles are matched with spaces and punctuation removed (OCR splits words: "QUIT CLAIM",
"TRAN SFER"), most specific first: "SPECIAL WARRANTY DEED" before "WARRANTY DEED", "DEED OF
FULL RECONVEYANCE" before "DEED OF TRUST". A title is a short line near the top of a page; a
printed form that only says "DEED" is classified by its covenants.
"""

from __future__ import annotations

import re

from textract_pipeline.extraction.document_view import PageLine
from textract_pipeline.extraction.rules.layout import Layout, evidence, rows
from textract_pipeline.extraction.schema_v1 import DocumentType, DocumentTypeValue, Evidence

T = DocumentType
# (type, pattern over the squashed upper-case title): order matters, most specific first.
TITLE_PATTERNS: list[tuple[DocumentType, re.Pattern[str]]] = [
    (T.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT, re.compile(r"PRELIMINARYCHANGEOFOWNERSHIP")),
    (T.EXCISE_TAX_AFFIDAVIT, re.compile(r"EXCISETAXAFFIDAVIT")),
    (
        T.TRANSFER_TAX_STATEMENT,
        re.compile(r"TRANSFERTAX(?:STATEMENT|DECLARATION|RETURN)|TRANSFERDECLARATION|RETURNFORTRANSFER|^DR219"),
    ),
    (T.RECONVEYANCE, re.compile(r"RECONVEYANCE")),
    (T.SATISFACTION, re.compile(r"^(?:FULL|PARTIAL)?SATISFACTION(?:OFMORTGAGE|OFDEEDOFTRUST|OFLIEN)?")),
    (T.RELEASE, re.compile(r"^(?:FULL|PARTIAL)?RELEASE(?:OFMORTGAGE|OFDEEDOFTRUST|OFLIEN|OFDEED)?$")),
    (T.COURT_DECREE, re.compile(r"DECREE|ORDER(?:OF|FOR)(?:FINAL)?DISTRIBUTION|DETERMININGHEIRSHIP|FINALSETTLEMENT")),
    (T.INTERSPOUSAL_TRANSFER_DEED, re.compile(r"INTERSPOUSAL(?:TRANSFER)?(?:GRANT)?DEED")),
    (T.TRUST_TRANSFER_DEED, re.compile(r"TRUSTTRANSFERDEED")),
    (T.DEED_IN_LIEU_OF_FORECLOSURE, re.compile(r"DEEDINLIEU")),
    (
        T.PERSONAL_REPRESENTATIVES_DEED,
        re.compile(r"PERSONALREPRESENTATIVES?S?DEED|EXECUTORS?S?DEED|EXECUTRIXS?DEED|ADMINISTRATORS?S?DEED"),
    ),
    (T.TRUSTEES_DEED, re.compile(r"TRUSTEES?S?DEED")),
    (T.SPECIAL_WARRANTY_DEED, re.compile(r"SPECIALWARRANTYDEED")),
    (T.STATUTORY_WARRANTY_DEED, re.compile(r"STATUTORYWARRANTYDEED")),
    (T.BARGAIN_AND_SALE_DEED, re.compile(r"BARGAINANDSALEDEED")),
    (T.QUITCLAIM_DEED, re.compile(r"QUITCLAIM(?:DEED)?")),
    (T.WARRANTY_DEED, re.compile(r"WARRANTYDEED")),
    (T.GRANT_DEED, re.compile(r"GRANTDEED")),
    (T.DEED_OF_TRUST, re.compile(r"DEEDOFTRUST")),
    (T.MORTGAGE, re.compile(r"^(?:OPENEND|FIRST|SECOND|REALESTATE)?MORTGAGE(?:DEED)?$")),
]
# A title may carry words around the instrument's name: "THIS", "FLORIDA", "(Continued)", "CORPORATION".
_TITLE_NOISE = re.compile(
    r"\b(?:THIS|STATE|FLORIDA|ARIZONA|COLORADO|TEXAS|WASHINGTON|CALIFORNIA|CONTINUED|CORPORATION|INDIVIDUAL|"
    r"JOINT TENANCY|SHORT FORM|GENERAL|WITH|AND ASSIGNMENT OF RENTS|SECURITY AGREEMENT)\b",
    re.I,
)
# Body wording for documents whose title is missing, unreadable, or just "DEED".
BODY_PATTERNS: list[tuple[DocumentType, re.Pattern[str]]] = [
    (T.RECONVEYANCE, re.compile(r"\b(?:do(?:es)?\s+)?hereby\s+re-?convey", re.I)),
    (
        T.DEED_OF_TRUST,
        re.compile(r"herein\s*called\s+[\"“]?TRUSTOR|[\"“]Borrower[\"”]\s+is\b.{0,400}trustor", re.I | re.S),
    ),
    (T.MORTGAGE, re.compile(r"[\"“]?Mortgagor[\"”]?.{0,300}[\"“]?Mortgagee\b", re.I | re.S)),
    (T.COURT_DECREE, re.compile(r"IT\s+IS\s+(?:HEREBY\s+)?ORDERED,?\s+ADJUDGED\s+AND\s+DECREED", re.I)),
    (T.QUITCLAIM_DEED, re.compile(r"\bquit\s*-?\s*claims?\b|RELEASE\s+AND\s+(?:FOREVER\s+)?QUIT\s*CLAIM", re.I)),
    (
        T.WARRANTY_DEED,
        re.compile(
            r"\bwill\s+(?:forever\s+)?warrant\s+and\s+(?:forever\s+)?defend|\bconveys?\s+and\s+warrants?\b", re.I
        ),
    ),
    (T.GRANT_DEED, re.compile(r"hereby\s+GRANT\(?S?\)?\s+to\b", re.I)),
    (T.BARGAIN_AND_SALE_DEED, re.compile(r"\bbargain(?:ed)?,?\s+(?:and\s+)?s(?:old|ell)\b", re.I)),
]
_GENERIC_DEED = re.compile(r"^(?:THIS)?DEED$")
# What a title line is not: a sentence, a label with a value, a running header.
_NOT_A_TITLE = re.compile(r":\s*\S|\$|\bPAGE\s+\d|\b(?:is|was|the said|hereby|recorded)\b", re.I)


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", _TITLE_NOISE.sub(" ", text.upper()))


def title_type(text: str) -> DocumentType | None:
    """The instrument a title line names, or None."""
    squashed = _squash(text)
    if not squashed:
        return None
    for kind, pattern in TITLE_PATTERNS:
        if pattern.search(squashed):
            return kind
    return None


def _title_rows(layout: Layout) -> list[tuple[str, PageLine]]:
    """Short rows that can be titles, in reading order (a cover sheet's 'Document Title(s)' value included)."""
    found: list[tuple[str, PageLine]] = []
    for page in range(1, min(layout.view.page_count, 4) + 1):
        for row in rows(layout.page_lines(page)):
            # the row, else each of its lines: handwriting or a stamp beside a title spoils the row
            pieces = [(" ".join(line.text for line in row), row[0])] + (
                [(line.text, line) for line in row] if len(row) > 1 else []
            )
            for text, line in pieces:
                if len(text) <= 70 and len(text.split()) <= 10 and not _NOT_A_TITLE.search(text):
                    found.append((text, line))
                    break
    return found


def document_type(layout: Layout) -> DocumentTypeValue:
    generic: PageLine | None = None
    for text, line in _title_rows(layout):
        kind = title_type(text)
        if kind is not None:
            return DocumentTypeValue(value=kind, evidence=evidence(line, 0.95, source=text))
        if generic is None and _GENERIC_DEED.match(_squash(text)):
            generic = line
    for stream in layout.streams:
        for kind, pattern in BODY_PATTERNS:
            match = pattern.search(stream.text)
            if match:
                certainty = 0.8 if generic is not None else 0.7
                weak = None if generic is not None else "no title found: type read from the body's wording"
                line = stream.line_at(match.start())
                return DocumentTypeValue(value=kind, evidence=evidence(line, certainty, weak=weak))
    return DocumentTypeValue(
        value=T.OTHER,
        evidence=Evidence(
            page=1 if layout.lines else None,
            source_text="no instrument title or conveying clause found",
            confidence=0.5,
            weak="no title or conveying clause found",
        ),
    )
