"""Rules over Textract lines, key-value pairs and geometry, tuned on recorded-deed conventions.

The embedded default extractor: no model, no network, the same answer every time. Rules
look for the phrases recorders, title companies and notaries print ("DOC#", "APN:",
"hereby GRANT(S) to", "Documentary transfer tax is $", "when recorded mail to") and
tolerate common OCR slips (O/0, stray punctuation, split lines).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textract_pipeline.extraction.amounts import find_amounts, parse_amount, words_to_amount
from textract_pipeline.extraction.base import Extractor
from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import DocumentView, PageLine, as_view
from textract_pipeline.extraction.names import split_parties
from textract_pipeline.extraction.results import TokenUsage, V1Result
from textract_pipeline.extraction.schema_v1 import (
    CheckboxAnswer,
    DateValue,
    DocumentType,
    DocumentTypeValue,
    Evidence,
    IntValue,
    MailTo,
    MoneyValue,
    Party,
    Property,
    Recording,
    TextValue,
    TransferTax,
    V1Record,
)
from textract_pipeline.extraction.schema_v2 import V2Document
from textract_pipeline.extraction.v2 import build_v2

if TYPE_CHECKING:
    from textractor.entities.document import Document

# Most specific first: "INTERSPOUSAL TRANSFER GRANT DEED" must not be read as a grant deed.
# Matched against the title with spaces and punctuation removed: OCR splits words ("TRAN SFER").
_TITLE_PATTERNS: list[tuple[DocumentType, re.Pattern[str]]] = [
    (DocumentType.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT, re.compile(r"PRELIMINARYCHANGEOFOWNERSHIP")),
    (DocumentType.INTERSPOUSAL_TRANSFER_DEED, re.compile(r"INTERSPOUSAL(?:TRANSFER)?(?:GRANT)?DEED")),
    (DocumentType.TRUST_TRANSFER_DEED, re.compile(r"TRUSTTRANSFERDEED")),
    (DocumentType.QUITCLAIM_DEED, re.compile(r"QUITCLAIMDEED")),
    (DocumentType.DEED_OF_TRUST, re.compile(r"^(?:SHORTFORM)?DEEDOFTRUST")),
    (DocumentType.GRANT_DEED, re.compile(r"^(?:CORPORATION|INDIVIDUAL)?GRANTDEED")),
]
# Body wording when the title is missing or unreadable.
_BODY_PATTERNS: list[tuple[DocumentType, re.Pattern[str]]] = [
    (DocumentType.DEED_OF_TRUST, re.compile(r"herein\s+called\s+TRUSTOR", re.I)),
    (DocumentType.QUITCLAIM_DEED, re.compile(r"RELEASE\s+AND\s+(?:FOREVER\s+)?QUIT\s*CLAIM", re.I)),
    (DocumentType.TRUST_TRANSFER_DEED, re.compile(r"transfer\s+into\s+a\s+revocable\s+(?:living\s+)?trust", re.I)),
    (DocumentType.INTERSPOUSAL_TRANSFER_DEED, re.compile(r"inter\s*spousal\s+transfer", re.I)),
    (DocumentType.GRANT_DEED, re.compile(r"hereby\s+GRANT", re.I)),
]
_DOC_NUMBER = re.compile(
    r"(?:\bD[O0]C(?:UMENT)?\s*(?:#|NO\.?|NUMBER|H)\s*:?|\bINSTRUMENT\s*(?:#|NO\.?|NUMBER)\s*:?|"
    r"\bRECEPTION\s*(?:#|NO\.?|NUMBER)\s*:?)\s*(?P<number>(?:19|20)\d{2}[-\s]?(?:[0-9O]\s?){4,8}[0-9O])\b",
    re.I,
)
_APN = re.compile(
    r"(?:\bA\.?\s?P\.?\s?N\.?(?:\s*/\s*Parcel\s+ID\(?s?\)?)?|Assessor'?s\s+Parcel\s+(?:No\.?|Number)|Parcel\s+ID\(?s?\)?)"
    r"\s*[:#.]?\s*(?P<numbers>[0-9][0-9A-Z]{1,4}(?:[- ][0-9A-Z]{1,5}){1,4}(?:\s*(?:,|and|&)\s*[0-9][0-9A-Z]{1,4}(?:[- ][0-9A-Z]{1,5}){1,4})*)",
    re.I,
)
_APN_ONE = re.compile(r"[0-9][0-9A-Z]{1,4}(?:-[0-9A-Z]{1,5}){1,4}")
# the value holds a digit: "Order No.: Escrow No.: 123" must not read "Escrow" as the order number
_ORDER = re.compile(
    r"\b(?:Title\s+)?Order\s*(?:No|Number|#)\.?\s*[:.,]*\s*(?P<value>(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{2,}|$)", re.I
)
_ESCROW = re.compile(r"\bEscrow\s*(?:No|Number|#)\.?\s*[:.,]*\s*(?P<value>(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{2,}|$)", re.I)
_COUNTY_OF = re.compile(r"\bCOUNTY\s+OF\s+(?P<county>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,2})", re.I)
_PAGES = re.compile(r"\bPages?\s*:\s*(?P<count>\d{1,3})\b|\bPage\s+\d{1,3}\s+of\s+(?P<of>\d{1,3})\b", re.I)
_FEES = re.compile(r"\bTotal\s*(?:F\S{1,3}s?)?\s*:?\s*(?P<amount>\$\s*[\d,.]+)", re.I)
_TAX = re.compile(r"DOCUMENTARY\s+TRANSFER\s+TAX\s+(?:IS|:)?\s*(?P<amount>\$\s*[\d,.]+)", re.I)
_EXEMPTION = re.compile(
    r"\b(?:R\s*\S?\s*T|REV(?:ENUE)?\.?\s*(?:AND|&)\s*TAX(?:ATION)?\.?)\s*(?:CODE\s*)?(?:§|SECTION|SEC\.?)?\s*(?P<section>119\d\d)\b",
    re.I,
)
_GRANT_VERB = (
    r"(?:do(?:es)?\s*(?:\(\s*es\s*\))?\s+)?hereby\s+(?:GRANT\S*|QUIT\s*CLAIM\S*|TRANSFER\S*|CONVEY\S*|"
    r"REMISE\S*,?\s+RELEASE\S*\s+AND\s+(?:FOREVER\s+)?QUIT\s*CLAIM\S*)\s+(?:to|unto)\b"
)
_PROPERTY_FOLLOWS = (
    r"(?:the\s+(?:[^\w\s]+\s+)?(?:following\s+described\s+)?real\s+property|all\s+that\s+(?:certain\s+)?real\s+property|"
    r"that\s+property)"
)
_GRANTORS = re.compile(r"(?:acknowledged|consideration)\s*[,.;:]?\s*(?P<names>.+?)\s*,?\s+" + _GRANT_VERB, re.I | re.S)
# ends at "hereby" alone, so the grantors survive an OCR-dropped line after it
_GRANTORS_LENIENT = re.compile(
    r"(?:acknowledged|consideration)\s*[,.;:]?\s*(?P<names>.+?)\s*,?\s+(?:do(?:es)?\s*(?:\(\s*es\s*\))?\s+)?hereby\b(?!\s+acknowledged)",
    re.I | re.S,
)
_GRANTEES = re.compile(_GRANT_VERB + r"\s*(?P<names>.+?)\s*,?\s+" + _PROPERTY_FOLLOWS, re.I | re.S)
_TRUSTORS = re.compile(r"\bbetween\s+(?P<names>.+?),?\s+herein\s*called\s+TRUSTOR", re.I | re.S)
_BENEFICIARIES = re.compile(r"TRUSTEE\s*,?\s*and\s+(?P<names>.+?),?\s+herein\s*called\s+BENEFICIARY", re.I | re.S)
_CONSIDERATION = re.compile(
    r"(?:consideration\s+of|(?<!princip\w\w\s)sum\s+of|sales?\s+price\s*:?|purchase\s+price\s*:?)\s+(?P<text>[^.;]*?\$\s*[\d,.]+|[A-Za-z \-/0-9]+?Dollars(?:\s*\(\$[\d,.]+\))?)",
    re.I,
)
_LOAN = re.compile(r"princip\w\w\s+(?:sum|amount)\s+of\s+(?P<amount>\$\s*[\d,.]+)", re.I)
_DATED = re.compile(r"^[\W_]{0,3}Dated\s*(?P<colon>[:;.])?\s*(?P<rest>.{0,60})", re.I)
_NOTARY_ON = re.compile(r"\bOn\s+(?P<rest>.{0,80}?)\s*,?\s*before\s+me\b", re.I | re.S)
_SITUS = re.compile(
    r"(?:Commonly\s+known\s+as|Property\s+Address|Situs\s+Address|Site\s+Address|also\s+known\s+as)\s*:?\s*(?P<address>.+)",
    re.I,
)
_MAIL_HEADING = re.compile(
    r"(?:WHEN\s+RECORDED|MAIL\s+TAX\s+STATEMENTS)[^:]*MAIL(?:\s+DOCUMENT)?\s+TO\s*:?|RETURN\s+TO\s*:", re.I
)
_REQUESTED_BY = re.compile(r"RECORDING\s+REQUESTED\s+BY\s*:?\s*(?P<rest>.*)", re.I)
_STOP_WORDS = re.compile(
    r"RECORDING|REQUESTED|MAIL\s+TAX|ORDER\s+NO|ESCROW|APN|A\.P\.N|PARCEL|SPACE\s+ABOVE|DOC\s*#|Recorded|TITLE\s+ORDER",
    re.I,
)
_HEADING_WORDS = re.compile(
    r"RECORDING\s+REQUESTED|WHEN\s+RECORDED|MAIL\s+TAX|MAIL\s+TO|ORDER\s+NO|ESCROW\s+NO|APN", re.I
)
_LEGAL_START = re.compile(r"EXHIBIT\s*[\"'“”]?\s*A\s*[\"'“”]?|LEGAL\s+DESCRIPTION", re.I)
_LEGAL_BODY = re.compile(
    r"^[\W_]{0,3}(?:LOT|PARCEL|THAT\s+PORTION|THE\s+(?:NORTH|SOUTH|EAST|WEST)|UNIT|ALL\s+THAT|BEGINNING)\b", re.I
)


def _evidence(line: PageLine, certainty: float = 1.0, source: str | None = None) -> Evidence:
    return Evidence(page=line.page, source_text=source or line.text, confidence=round(line.confidence * certainty, 3))


class DeterministicExtractor(Extractor):
    """Rule-based V1 + V2; the embedded default."""

    name = "deterministic"

    def extract_v1(self, document: Document | DocumentView) -> V1Result:
        view = as_view(document)
        record = V1Record(
            document_type=self._document_type(view),
            recording=self._recording(view),
            property=self._property(view),
            mail_to=self._mail_to(view),
            transfer_tax=self._transfer_tax(view),
            checkboxes=self._checkboxes(view),
        )
        grantors, grantees = self._parties(view, record.document_type.value)
        record.grantors, record.grantees = grantors, grantees
        record.consideration = self._consideration(view)
        record.loan_amount = self._first_match(view, _LOAN, lambda m, line: self._money(m["amount"], line))
        record.dated_date = self._dated(view)
        record.notary_date = self._notary_date(view)
        record.title_company = self._title_company(view)
        record.order_number = self._labeled_number(view, _ORDER)
        record.escrow_number = self._labeled_number(view, _ESCROW)
        return V1Result(record=record, extractor=self.name, usage=TokenUsage())

    def extract_v2(self, document: Document | DocumentView) -> V2Document:
        return build_v2(document)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _first_match(view: DocumentView, pattern: re.Pattern[str], build):
        for line in view.lines:
            match = pattern.search(line.text)
            if match:
                value = build(match, line)
                if value is not None:
                    return value
        return None

    @staticmethod
    def _labeled_number(view: DocumentView, pattern: re.Pattern[str]) -> TextValue | None:
        """'Order No.: 123-AB'; when OCR splits label and value, the value is the next text on the row."""
        for line in view.lines:
            match = pattern.search(line.text)
            if not match:
                continue
            if match["value"]:
                return TextValue(value=match["value"].upper().strip("-"), evidence=_evidence(line))
            right = [o for o in _same_row(view, line) if o.x > line.x and o.x - line.right < 0.1]
            if right:
                value = re.match(r"[\s:.,]*(?P<value>(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{2,})", right[0].text, re.I)
                if value:
                    return TextValue(
                        value=value["value"].upper().strip("-"),
                        evidence=_evidence(right[0], 0.9, source=f"{line.text} {right[0].text}"),
                    )
        return None

    @staticmethod
    def _money(text: str, line: PageLine) -> MoneyValue | None:
        amount = parse_amount(text)
        return None if amount is None else MoneyValue(value=amount, evidence=_evidence(line))

    @staticmethod
    def _page_streams(view: DocumentView) -> Iterable[tuple[int, str, list[PageLine]]]:
        """Each page's text as one string, row by row (for clauses that wrap across lines)."""
        for page in range(1, view.page_count + 1):
            lines = _in_rows(view.page_lines(page))
            yield page, " ".join(line.text for line in lines), lines

    @staticmethod
    def _line_at(lines: list[PageLine], stream_offset: int) -> PageLine:
        position = 0
        for line in lines:
            position += len(line.text) + 1
            if position > stream_offset:
                return line
        return lines[-1]

    # -- fields ----------------------------------------------------------------------------

    def _document_type(self, view: DocumentView) -> DocumentTypeValue:
        for page in range(1, view.page_count + 1):
            for row in _rows(view.page_lines(page)):  # OCR may split a title into pieces on one row
                text = " ".join(line.text for line in row)
                if len(text) > 60:
                    continue
                squashed = re.sub(r"[^A-Z]", "", text.upper())
                for kind, pattern in _TITLE_PATTERNS:
                    if pattern.search(squashed):
                        return DocumentTypeValue(value=kind, evidence=_evidence(row[0], 0.95, source=text))
        for _page, stream, lines in self._page_streams(view):
            for kind, pattern in _BODY_PATTERNS:
                match = pattern.search(stream)
                if match:
                    return DocumentTypeValue(value=kind, evidence=_evidence(self._line_at(lines, match.start()), 0.7))
        return DocumentTypeValue(
            value=DocumentType.OTHER,
            evidence=Evidence(
                page=1 if view.lines else None, source_text="no deed title or granting clause found", confidence=0.5
            ),
        )

    def _recording(self, view: DocumentView) -> Recording:
        recording = Recording()
        numbers: Counter[str] = Counter()
        first_line: dict[str, PageLine] = {}
        for line in view.lines:
            for match in _DOC_NUMBER.finditer(line.text):
                digits = re.sub(r"\D", "", match["number"].upper().replace("O", "0"))
                if not 9 <= len(digits) <= 13:
                    continue
                numbers[digits] += 1
                first_line.setdefault(digits, line)
        if numbers:
            # the number repeats in every page header: a majority vote outvotes one OCR slip
            best, votes = numbers.most_common(1)[0]
            certainty = min(1.0, 0.8 + 0.1 * votes)
            recording.document_number = TextValue(value=best, evidence=_evidence(first_line[best], certainty))
        stamp = self._stamp_lines(view)
        for line in stamp:
            dates = find_dates(line.text)
            if dates and recording.recorded_date is None:
                recording.recorded_date = DateValue(value=dates[0][0], evidence=_evidence(line, 0.95))
            county = _COUNTY_OF.search(line.text)
            if county and recording.recording_county is None:
                recording.recording_county = TextValue(
                    value=_clean_county(county["county"]), evidence=_evidence(line, 0.95)
                )
            fees = _FEES.search(line.text)
            if fees and recording.fees is None:
                recording.fees = self._money(fees["amount"], line)
        page_counts = [(int(m["count"] or m["of"]), line) for line in view.lines for m in _PAGES.finditer(line.text)]
        if page_counts:
            count, line = max(page_counts, key=lambda item: item[0])
            recording.page_count = IntValue(value=count, evidence=_evidence(line))
        elif view.page_count:
            recording.page_count = IntValue(
                value=view.page_count, evidence=Evidence(page=None, source_text="pages in the scan", confidence=0.8)
            )
        recording.recording_county = self._confirm_county(view, recording.recording_county)
        return recording

    @staticmethod
    def _stamp_lines(view: DocumentView) -> list[PageLine]:
        """Lines of the recorder's stamp: from 'Recorded in Official Records' / DOC# down a few lines, same column."""
        anchors = [
            line
            for line in view.lines
            if line.page <= 2 and re.search(r"Official\s+Records|Recorded\s+in|Recorder|Registrar", line.text, re.I)
        ]
        anchors += [line for line in view.lines if line.page <= 2 and _DOC_NUMBER.search(line.text)]
        if not anchors:
            return []
        anchor = min(anchors, key=lambda line: (line.page, line.y))
        # the stamp is a block of short lines: same column within a few tenths of an inch, either alignment
        column = [
            line
            for line in view.page_lines(anchor.page)
            if anchor.y - 0.01 <= line.y <= anchor.y + 0.2
            and (abs(line.x - anchor.x) < 0.12 or abs(line.right - anchor.right) < 0.08)
        ]
        return sorted(column, key=lambda line: line.y)

    @staticmethod
    def _confirm_county(view: DocumentView, stamped: TextValue | None) -> TextValue | None:
        """Check the stamp's county against the body and notary ('County of X, State of', 'COUNTY OF X ) SS.').

        A stamp read cut short ('County of Los') is completed by a longer mention that starts the same way;
        with no stamp, the most frequent mention wins.
        """
        mentions: list[tuple[str, PageLine]] = []
        for line in view.lines:
            for match in re.finditer(
                r"County\s+of\s+(?P<county>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s*(?:,?\s*State\s+of|\)\s*S)",
                line.text,
                re.I,
            ):
                mentions.append((_clean_county(match["county"]), line))
        if stamped is not None:
            longer = [(name, line) for name, line in mentions if name.upper().startswith(stamped.value.upper() + " ")]
            if longer:
                name, line = longer[0]
                return TextValue(value=name, evidence=_evidence(line, 0.85))
            return stamped
        if not mentions:
            return None
        best = Counter(name for name, _ in mentions).most_common(1)[0][0]
        line = next(line for name, line in mentions if name == best)
        return TextValue(value=best, evidence=_evidence(line, 0.8))

    def _property(self, view: DocumentView) -> Property:
        prop = Property()
        seen: set[str] = set()
        for line in view.lines:
            for match in _APN.finditer(line.text):
                for apn in _APN_ONE.findall(match["numbers"].replace(" ", "-")):
                    key = re.sub(r"\W", "", apn).upper()
                    # the APN repeats (deed page, Exhibit A); a truncated OCR read of it is not a second parcel
                    if sum(c.isdigit() for c in apn) < 6 or any(key in other or other in key for other in seen):
                        continue
                    seen.add(key)
                    prop.apns.append(TextValue(value=apn.upper(), evidence=_evidence(line, 0.95)))
        for index, line in enumerate(view.lines):
            match = _SITUS.search(line.text)
            if match:
                address = match["address"].strip(" .")
                following = view.lines[index + 1] if index + 1 < len(view.lines) else None
                if (
                    following
                    and following.page == line.page
                    and not re.search(r"\b\d{5}\b", address)
                    and re.search(r"\b[A-Z]{2}\s+\d{5}\b", following.text)
                ):
                    address = f"{address}, {following.text.strip(' .')}"
                prop.situs_address = TextValue(value=address, evidence=_evidence(line, 0.9))
                break
        prop.legal_description = self._legal_description(view)
        return prop

    @staticmethod
    def _legal_description(view: DocumentView) -> TextValue | None:
        """Exhibit A body when there is one, else the lot/parcel paragraph of the deed."""
        candidates: list[list[PageLine]] = []
        for page in range(1, view.page_count + 1):
            lines = view.page_lines(page)
            start = next(
                (i for i, line in enumerate(lines) if _LEGAL_START.search(line.text) and len(line.text) < 40), None
            )
            if start is None:
                continue
            body = [line for line in lines[start + 1 :] if not _LEGAL_START.fullmatch(line.text.strip(" :"))]
            collected: list[PageLine] = []
            for line in body:
                if collected and (
                    re.match(r"\s*(?:APN|A\.P\.N|Assessor)", line.text, re.I) or _DOC_NUMBER.search(line.text)
                ):
                    break
                if collected or _LEGAL_BODY.search(line.text):
                    collected.append(line)
            if collected:
                candidates.append(collected)
        if not candidates:
            for page in range(1, view.page_count + 1):
                lines = view.page_lines(page)
                start = next((i for i, line in enumerate(lines) if _LEGAL_BODY.search(line.text)), None)
                if start is None:
                    continue
                collected = []
                for line in lines[start:]:
                    if re.search(r"Commonly\s+known|^APN|^A\.P\.N|^Dated|For\s+the\s+purpose", line.text, re.I):
                        break
                    collected.append(line)
                candidates.append(collected)
                break
        if not candidates:
            return None
        lines = candidates[0]
        text = re.sub(r"^[\W_]+", "", " ".join(line.text for line in lines))
        confidence = min(line.confidence for line in lines)
        return TextValue(
            value=text, evidence=Evidence(page=lines[0].page, source_text=text, confidence=round(confidence * 0.9, 3))
        )

    @staticmethod
    def _mail_to(view: DocumentView) -> MailTo:
        for heading in view.lines:
            if not _MAIL_HEADING.search(heading.text):
                continue
            block = [
                line
                for line in view.page_lines(heading.page)
                if heading.y < line.y < heading.y + 0.12 and abs(line.x - heading.x) < 0.06 and line.x < 0.55
            ]
            block.sort(key=lambda line: line.y)
            collected: list[PageLine] = []
            for line in block:
                if _STOP_WORDS.search(line.text):
                    break
                collected.append(line)
                if re.search(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\s*$", line.text):
                    break
            if not collected:
                continue
            if re.match(r"\W*\d", collected[0].text):  # OCR lost the name: the block starts at the street
                name_line, address_lines = None, collected
            else:
                name_line, *address_lines = collected
            mail_to = MailTo()
            if name_line is not None:
                mail_to.name = TextValue(value=name_line.text.strip(" ,"), evidence=_evidence(name_line, 0.9))
            if address_lines:
                address = ", ".join(line.text.strip(" ,") for line in address_lines)
                mail_to.address = TextValue(
                    value=address,
                    evidence=Evidence(
                        page=heading.page,
                        source_text="\n".join(line.text for line in address_lines),
                        confidence=round(min(line.confidence for line in address_lines) * 0.9, 3),
                    ),
                )
            return mail_to
        return MailTo()

    def _transfer_tax(self, view: DocumentView) -> TransferTax:
        tax = TransferTax()
        for _page, stream, lines in self._page_streams(view):
            match = _TAX.search(stream)
            if match and tax.amount is None:
                tax.amount = self._money(match["amount"], self._line_at(lines, match.start()))
            exemption = _EXEMPTION.search(stream)
            if exemption and tax.exemption is None:
                line = self._line_at(lines, exemption.start())
                tax.exemption = TextValue(value=f"R&T {exemption['section']}", evidence=_evidence(line, 0.95))
        for line in view.lines:
            match = re.search(r"(?:\[\s*[Xx✓]\s*\]|☒|■)\s*City\s+of\s+(?P<city>[A-Z][A-Za-z ]+)", line.text)
            if match:
                tax.city = TextValue(value=match["city"].strip(), evidence=_evidence(line, 0.8))
        for kv in view.key_values:
            if kv.selected and re.match(r"City\s+of\s+\w", kv.key, re.I):
                tax.city = TextValue(
                    value=re.sub(r"(?i)^City\s+of\s+", "", kv.key).strip(),
                    evidence=Evidence(page=kv.page, source_text=kv.key, confidence=round(kv.confidence, 3)),
                )
        return tax

    def _parties(self, view: DocumentView, kind: DocumentType) -> tuple[list[Party], list[Party]]:
        """Grantor and grantee clauses are matched separately, so an OCR-dropped line costs one side only."""
        if kind is not DocumentType.DEED_OF_TRUST:
            patterns = ((_GRANTORS, 0.9), (_GRANTORS_LENIENT, 0.7)), ((_GRANTEES, 0.9),)
        else:
            patterns = ((_TRUSTORS, 0.9),), ((_BENEFICIARIES, 0.9),)
        sides: list[list[Party]] = []
        for alternatives in patterns:
            sides.append(self._first_clause(view, alternatives))
        return sides[0], sides[1]

    def _first_clause(self, view: DocumentView, alternatives) -> list[Party]:
        """Parties from the first alternative (most specific first) that matches any page."""
        for pattern, certainty in alternatives:
            for _page, stream, lines in self._page_streams(view):
                match = pattern.search(stream)
                if match:
                    names = _trim_clause_start(match["names"])
                    return _parties_from(names, self._line_at(lines, match.start("names")), certainty)
        return []

    def _consideration(self, view: DocumentView) -> MoneyValue | None:
        """Figures, or words and figures ("Four Hundred Thousand and 00/100 Dollars ($400,000.00)").

        When both are printed and OCR garbles one, they disagree: the words win, at lower confidence.
        """
        for _page, stream, lines in self._page_streams(view):
            match = _CONSIDERATION.search(stream)
            if not match:
                continue
            window = stream[match.start() : match.start() + 250]
            window = re.split(r"receipt|hereby|,\s*the\s+sufficiency", window, maxsplit=1, flags=re.I)[0]
            figures = find_amounts(window)
            words = words_to_amount(window)
            amount, certainty = (figures[0][0], 0.9) if figures else (words, 0.8)
            if figures and words and abs(words - figures[0][0]) > 0.5:
                amount, certainty = words, 0.6
            if amount:
                line = self._line_at(lines, match.start())
                return MoneyValue(value=amount, evidence=_evidence(line, certainty, source=" ".join(window.split())))
        return None

    def _dated(self, view: DocumentView) -> DateValue | None:
        for index, line in enumerate(view.lines):
            match = _DATED.search(line.text)
            if not match:
                continue
            previous = view.lines[index - 1] if index else None
            if not match["colon"] and previous is not None and re.search(r"TRUST\W*$", previous.text, re.I):
                continue  # "... FAMILY TRUST / DATED MAY 1, 2015" names the trust, not the signing
            dates = find_dates(match["rest"])
            if not dates:  # a handwritten date sits on the same row but may come out as separate lines
                row = " ".join(other.text for other in _same_row(view, line) if other.x >= line.x)
                dates = find_dates(row[row.lower().find("dated") + 5 :])
            if dates:
                return DateValue(value=dates[0][0], evidence=_evidence(line, 0.9))
        return None

    def _notary_date(self, view: DocumentView) -> DateValue | None:
        for _page, stream, lines in self._page_streams(view):
            match = _NOTARY_ON.search(stream)
            if match:
                dates = find_dates(match["rest"])
                if dates:
                    return DateValue(value=dates[0][0], evidence=_evidence(self._line_at(lines, match.start()), 0.9))
        # a handwritten date is often read as its own line, out of order with "On" and "before me"
        for line in view.lines:
            if re.search(r"before\s+me\b", line.text, re.I) or re.fullmatch(r"On\b.*", line.text.strip()):
                row = _same_row(view, line)
                dates = find_dates(" ".join(other.text for other in row))
                if dates:
                    return DateValue(
                        value=dates[0][0], evidence=_evidence(line, 0.8, source=" ".join(o.text for o in row))
                    )
        return None

    @staticmethod
    def _title_company(view: DocumentView) -> TextValue | None:
        for line in view.lines:
            match = _REQUESTED_BY.search(line.text)
            if not match:
                continue
            rest = match["rest"].strip(" :")
            if sum(c.isalpha() for c in rest) >= 3:
                return TextValue(value=rest, evidence=_evidence(line, 0.9))
            below = [
                other
                for other in view.page_lines(line.page)
                if line.y < other.y < line.y + 0.04 and abs(other.x - line.x) < 0.06
            ]
            if below:
                company = min(below, key=lambda other: other.y)
                if not _HEADING_WORDS.search(company.text) and sum(c.isalpha() for c in company.text) >= 3:
                    return TextValue(value=company.text.strip(" ,"), evidence=_evidence(company, 0.9))
        return None

    @staticmethod
    def _checkboxes(view: DocumentView) -> list[CheckboxAnswer]:
        return [
            CheckboxAnswer(
                label=kv.key,
                selected=bool(kv.selected),
                evidence=Evidence(page=kv.page, source_text=kv.key, confidence=round(kv.confidence, 3)),
            )
            for kv in view.key_values
            if kv.selected is not None
        ]


def _in_rows(lines: list[PageLine]) -> list[PageLine]:
    """Top to bottom, left to right within a row: OCR may emit the right half of a row first."""
    return [line for row in _rows(lines) for line in row]


def _rows(lines: list[PageLine]) -> list[list[PageLine]]:
    """Lines grouped into visual rows (vertical centers within half a line height), each left to right."""
    rows: list[list[PageLine]] = []
    for line in sorted(lines, key=lambda item: item.y + item.height / 2):
        middle = line.y + line.height / 2
        if rows:
            first = rows[-1][0]
            if abs(middle - (first.y + first.height / 2)) < 0.5 * min(first.height, line.height):
                rows[-1].append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda item: item.x) for row in rows]


def _same_row(view: DocumentView, line: PageLine) -> list[PageLine]:
    """Lines on the same visual row as ``line`` (overlapping vertically), left to right."""
    middle = line.y + line.height / 2
    row = [
        other
        for other in view.page_lines(line.page)
        if other.y - 0.006 <= middle <= other.y + other.height + 0.006 or abs(other.y - line.y) < 0.01
    ]
    return sorted(row, key=lambda other: other.x)


def _clean_county(name: str) -> str:
    words = [w for w in name.split() if w.upper() not in {"STATE", "CALIFORNIA", "SS", "RECORDER"}]
    return " ".join(words).strip(" ,.)").title()


def _trim_clause_start(text: str) -> str:
    """Drop boilerplate that precedes the grantor names ('receipt of which is hereby acknowledged,')."""
    text = re.sub(
        r"^.*?\b(?:receipt|sufficiency)\b.*?\bhereby(?:\s+acknowledged)?\s*[,.]?\s*", "", text, flags=re.I | re.S
    )
    return text.strip(" ,")


def _parties_from(text: str, line: PageLine, certainty: float) -> list[Party]:
    return [
        Party(
            full_name=p.full_name,
            kind=p.kind,
            first_name=p.first_name,
            middle_name=p.middle_name,
            last_name=p.last_name,
            suffix=p.suffix,
            entity_name=p.entity_name,
            vesting=p.vesting,
            percentage=p.percentage,
            evidence=_evidence(line, certainty, source=" ".join(text.split())),
        )
        for p in split_parties(text)
    ]
