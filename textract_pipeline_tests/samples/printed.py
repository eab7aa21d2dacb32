"""Which ground-truth values a generated document does not really print (read from its text layer).

A truth value counts as printed when the document's text, upper-cased with whitespace
collapsed, contains it in one of the forms deeds print it in: dates long, numeric or as
"23RD DAY OF MAY, 2023"; amounts with or without the dollar sign.
"""

from __future__ import annotations

import datetime as dt
import re

from sample_deeds.ground_truth import GroundTruth
from sample_deeds.layouts.blocks import ordinal
from sample_deeds.page_model import Page
from sample_deeds.text_layer import textract_response


def page_texts(pages: list[Page]) -> list[str]:
    """Each page's LINE texts in reading order, joined, upper-cased, whitespace collapsed."""
    lines: dict[int, list[str]] = {}
    for block in textract_response(pages)["Blocks"]:
        if block["BlockType"] == "LINE":
            lines.setdefault(block["Page"], []).append(block["Text"])
    return [_normal(" ".join(lines.get(number, []))) for number in range(1, len(pages) + 1)]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.upper()).strip()


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _date_printed(text: str, value: dt.date) -> bool:
    forms = (
        f"{value:%B} {value.day}, {value.year}",
        f"{value:%m/%d/%Y}",
        f"{value.month}/{value.day}/{value.year}",
        f"{value.month}/{value.day}/{value:%y}",
    )
    if any(_normal(form) in text for form in forms):
        return True
    return all(token in text for token in (ordinal(value.day).upper(), value.strftime("%B").upper(), str(value.year)))


def _amount_printed(text: str, value: float) -> bool:
    return f"{value:,.2f}" in text


def missing_values(truth: GroundTruth, pages: list[Page]) -> list[str]:
    """Names of the truth fields whose values the pages do not print."""
    texts = page_texts(pages)
    text = " ".join(texts)
    missing = []

    def need(name: str, ok: bool) -> None:
        if not ok:
            missing.append(name)

    if truth.document_number:  # stamped with or without a dash after the year ("Document No. 2025-0078629")
        need("document_number", _alnum(truth.document_number) in _alnum(text))
    for name in ("book", "book_page", "recording_county", "situs_address", "title_company",
                 "escrow_number", "order_number", "file_number", "grantee_vesting", "tax_statements_to_name",
                 "transfer_tax_exemption", "mail_to_name"):  # fmt: skip
        value = getattr(truth, name)
        if value:
            need(name, _normal(value) in text)
    for name in ("recorded_date", "dated_date", "notary_date"):
        value = getattr(truth, name)
        if value:
            need(name, _date_printed(text, value))
    if truth.recorded_time:
        hour, minute = map(int, truth.recorded_time.split(":"))
        need("recorded_time", f"{hour:02d}:{minute:02d}" in text or f"{(hour - 1) % 12 + 1:02d}:{minute:02d}" in text)
    for name in ("fees", "consideration", "loan_amount", "transfer_tax_amount"):
        value = getattr(truth, name)
        if value:
            need(name, _amount_printed(text, value))
    for name in ("grantors", "grantees", "trustees"):
        need(name, all(_normal(party.full_name) in text for party in getattr(truth, name)))
    need("apns", all(_normal(apn) in text for apn in truth.apns))
    if truth.mail_to_address:
        need("mail_to_address", all(_normal(part) in text for part in truth.mail_to_address.split(", ", 1)))
    if truth.legal_description:
        need("legal_description_keys", all(_normal(key) in text for key in truth.legal_description_keys))
        opening = _normal(truth.legal_description)[:60]
        page = next((number for number, page_text in enumerate(texts, 1) if opening in page_text), None)
        need("legal_description_page", page is not None and page == truth.legal_description_page)
    need("page_count", truth.page_count == len(pages))
    return missing
