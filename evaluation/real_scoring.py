"""Scoring a V1 record against an analyst's truth for a real document: each labelled value found, wrong or missing.

Every value the truth labels is exactly one of: found (the record has it, equal after the
comparison below), wrong (the record has something else), or missing (the record has nothing).
A list (parties, parcel ids) counts each of its values; a record's extra list entries beyond the
truth's are counted apart as ``extra``. Fields the truth leaves out are not scored.

Comparisons: names and addresses after normalization (case, punctuation, spacing); numbers
(recording, book, page, parcel, escrow) by their letters and digits, a recording number by its
digits ("2017R0358201" = "20170358201"); money to the cent; dates as dates; the county without
"County"; vesting found when a grantee's vesting contains the truth's; the legal description found
when it contains every identifying phrase of the truth; a title company found when one name
contains the other ("Chicago Title" in "CHICAGO TITLE COMPANY OF WASHINGTON"). No fuzzy matching:
a value with an OCR slip is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from evaluation.real_truth import RealTruth
from textract_pipeline.extraction.amounts import find_amounts, words_to_amount
from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.schema_v1 import V1Record


class Outcome(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    FOUND = "found"
    WRONG = "wrong"
    MISSING = "missing"


@dataclass(frozen=True)
class Scored:
    document: str
    field: str
    truth: object
    predicted: object
    outcome: Outcome
    handwritten: bool
    readable: bool = True  # the truth's value is in the OCR text: a miss is the rules', not the OCR's


def ocr_read(field: str, truth: object, text: str) -> bool:
    """Whether the OCR text holds the truth's value anywhere (a rough bound: the rules could have found it).

    Anywhere: a handwritten notary date counts as read when the same date is printed elsewhere.
    """
    if field in ("document_type", "legal_description_page", "page_count", "state"):
        return True
    normalized = normalize_name(text)
    if isinstance(truth, dt.date):
        return truth in {date for date, _ in find_dates(text)}
    if isinstance(truth, float):
        figures = {amount for amount, _ in find_amounts(text)}
        figures |= {float(f.replace(",", "")) for f in re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2}", text)}
        return truth in figures or (truth == 0.0 and "0.00" in text) or bool(words_to_amount(text) == truth)
    if field == "recorded_time":
        hour, minute = (int(part) for part in str(truth).split(":"))
        return (
            f"{hour}:{minute:02d}" in text or f"{hour - 12}:{minute:02d}" in text or f"{hour:02d}:{minute:02d}" in text
        )
    if field == "legal_description_keys":
        return all(normalize_name(key) in normalized for key in str(truth).split(", "))
    if field in ("recording_number", "book", "book_page", "apns", "escrow_number", "order_number", "file_number"):
        return (digits_key(truth) or "") in re.sub(r"\D", "", text) and bool(digits_key(truth))
    return normalize_name(str(truth)) in normalized


def text_key(value: object) -> str | None:
    return normalize_name(str(value)) or None if value is not None else None


def alnum_key(value: object) -> str | None:
    return "".join(c for c in str(value).upper() if c.isalnum()) or None if value is not None else None


def digits_key(value: object) -> str | None:
    return "".join(c for c in str(value) if c.isdigit()) or None if value is not None else None


def money_key(value: object) -> float | None:
    return None if value is None else round(float(value), 2)


def county_key(value: object) -> str | None:
    key = text_key(value)
    return re.sub(r"\s*\bCOUNTY\b\s*", " ", key).strip() if key else None


def value_of(node):
    return None if node is None else node.value


@dataclass(frozen=True)
class ScalarField:
    name: str
    predicted: Callable[[V1Record], object]
    key: Callable[[object], object] = lambda value: value
    same: Callable[[object, object], bool] | None = None


def _contains_either(truth: str, predicted: str) -> bool:
    return truth in predicted or predicted in truth


def _vesting(record: V1Record) -> list[str]:
    return [normalize_name(p.vesting) for p in record.grantees if p.vesting]


def _legal(record: V1Record) -> str | None:
    legal = record.property.legal_description
    return None if legal is None else normalize_name(legal.value)


SCALARS: tuple[ScalarField, ...] = (
    ScalarField("document_type", lambda r: r.document_type.value.value, lambda v: getattr(v, "value", v)),
    ScalarField("state", lambda r: value_of(r.recording.recording_state), text_key),
    ScalarField("county", lambda r: value_of(r.recording.recording_county), county_key),
    ScalarField("recording_number", lambda r: value_of(r.recording.document_number), digits_key),
    ScalarField("book", lambda r: value_of(r.recording.book), digits_key),
    ScalarField("book_page", lambda r: value_of(r.recording.book_page), digits_key),
    ScalarField("recorded_date", lambda r: value_of(r.recording.recorded_date)),
    ScalarField("recorded_time", lambda r: value_of(r.recording.recorded_time)),
    ScalarField("recording_fees", lambda r: value_of(r.recording.fees), money_key),
    ScalarField("page_count", lambda r: value_of(r.recording.page_count)),
    ScalarField("property_address", lambda r: value_of(r.property.situs_address), text_key),
    ScalarField(
        "legal_description_page",
        lambda r: r.property.legal_description.evidence.page if r.property.legal_description else None,
    ),
    ScalarField("return_to_name", lambda r: value_of(r.mail_to.name), text_key),
    ScalarField("return_to_address", lambda r: value_of(r.mail_to.address), text_key),
    ScalarField("tax_statements_to_name", lambda r: value_of(r.tax_statements_to.name), text_key),
    ScalarField("consideration", lambda r: value_of(r.consideration), money_key),
    ScalarField("loan_amount", lambda r: value_of(r.loan_amount), money_key),
    ScalarField("transfer_tax", lambda r: value_of(r.transfer_tax.amount), money_key),
    ScalarField("transfer_tax_exemption", lambda r: value_of(r.transfer_tax.exemption), alnum_key, _contains_either),
    ScalarField("dated_date", lambda r: value_of(r.dated_date)),
    ScalarField("notary_date", lambda r: value_of(r.notary_date)),
    ScalarField("title_company", lambda r: value_of(r.title_company), text_key, _contains_either),
    ScalarField("escrow_number", lambda r: value_of(r.escrow_number), alnum_key),
    ScalarField("order_number", lambda r: value_of(r.order_number), alnum_key),
    ScalarField("file_number", lambda r: value_of(r.file_number), alnum_key),
)
LISTS: dict[str, tuple[Callable[[V1Record], list[str]], Callable[[object], object]]] = {
    "grantors": (lambda r: [p.full_name for p in r.grantors], text_key),
    "grantees": (lambda r: [p.full_name for p in r.grantees], text_key),
    "trustees": (lambda r: [p.full_name for p in r.trustees], text_key),
    "apns": (lambda r: [a.value for a in r.property.apns], alnum_key),
}
FIELD_ORDER = (
    "document_type", "state", "county", "recording_number", "book", "book_page", "recorded_date", "recorded_time",
    "recording_fees", "page_count", "grantors", "grantees", "trustees", "grantee_vesting", "apns", "property_address",
    "legal_description_keys", "legal_description_page", "return_to_name", "return_to_address",
    "tax_statements_to_name", "consideration", "loan_amount", "transfer_tax", "transfer_tax_exemption", "dated_date",
    "notary_date", "title_company", "escrow_number", "order_number", "file_number",
)  # fmt: skip


def score_record(
    truth: RealTruth, record: V1Record, ocr_text: str | None = None
) -> tuple[list[Scored], dict[str, int]]:
    """Each labelled value's outcome, and the count of extra list entries per field.

    With the document's OCR text, each value also says whether that text holds it at all.
    """
    scored: list[Scored] = []
    extra: dict[str, int] = {}

    def add(field: str, expected: object, got: object, outcome: Outcome) -> None:
        readable = True if ocr_text is None else ocr_read(field, expected, ocr_text)
        scored.append(Scored(truth.file, field, expected, got, outcome, field in truth.handwritten_fields, readable))

    for spec in SCALARS:
        expected = getattr(truth, spec.name)
        if expected is None:
            continue
        got = spec.predicted(record)
        if got is None:
            add(spec.name, expected, None, Outcome.MISSING)
            continue
        left, right = spec.key(expected), spec.key(got)
        same = spec.same(left, right) if spec.same and left and right else left == right
        add(spec.name, expected, got, Outcome.FOUND if same else Outcome.WRONG)
    for name, (predicted, key) in LISTS.items():
        expected_values = getattr(truth, name)
        if not expected_values:
            continue
        got_values = predicted(record)
        unmatched = list(got_values)
        misses = []
        for value in expected_values:
            match = next((g for g in unmatched if key(g) == key(value)), None)
            if match is not None:
                unmatched.remove(match)
                add(name, value, match, Outcome.FOUND)
            else:
                misses.append(value)
        for value in misses:
            if unmatched:
                add(name, value, unmatched.pop(0), Outcome.WRONG)
            else:
                add(name, value, None, Outcome.MISSING)
        if unmatched:
            extra[name] = len(unmatched)
    if truth.grantee_vesting:
        vestings = _vesting(record)
        wanted = normalize_name(truth.grantee_vesting)
        outcome = (
            Outcome.FOUND if any(wanted in v for v in vestings) else (Outcome.WRONG if vestings else Outcome.MISSING)
        )
        add("grantee_vesting", truth.grantee_vesting, "; ".join(vestings) or None, outcome)
    if truth.legal_description_keys:
        legal = _legal(record)
        keys = [normalize_name(k) for k in truth.legal_description_keys]
        outcome = (
            Outcome.MISSING if legal is None else Outcome.FOUND if all(k in legal for k in keys) else Outcome.WRONG
        )
        add("legal_description_keys", ", ".join(truth.legal_description_keys), legal and legal[:80], outcome)
    order = {name: index for index, name in enumerate(FIELD_ORDER)}
    scored.sort(key=lambda s: order.get(s.field, len(order)))
    return scored, extra
