"""Consideration, loan amount, and the tax a state levies on the transfer (or the exemption claimed).

A stated price ("SALES PRICE: $650,000.00", "Consideration: 330,000.00", a PCOR's "total purchase
price", a Washington stamp's "Selling Price: $0.00") wins over the nominal recital of the granting
clause ("for and in consideration of the sum of Ten Dollars ($10.00) and other good and valuable
consideration"), which is the consideration only when nothing else is stated. Transfer taxes go by
many names: documentary transfer tax (California), documentary stamps / "Deed Doc Tax" (Florida),
real estate excise tax (Washington: the treasurer's stamp "E016849 $9,157.00"), documentary fee
(Colorado).
"""

from __future__ import annotations

import re

from textract_pipeline.extraction.amounts import words_to_amount
from textract_pipeline.extraction.rules.layout import Layout, evidence, same_row
from textract_pipeline.extraction.rules.values import figure, labelled_values, money_value, text_value
from textract_pipeline.extraction.schema_v1 import Evidence, MoneyValue, TextValue, TransferTax

_PRICE_LABEL = re.compile(
    r"\b(?:(?:Total\s+|Gross\s+)?(?:Sales?|Selling|Purchase)\s+Price|Consideration\s*:|Total\s+Consideration|"
    r"Full\s+(?:Cash\s+)?Value|Amount\s+of\s+Consideration|amount\s+paid\s+by\s+the\s+grantee[^$]{0,40}?\bwas)\s*[:.]?",
    re.I,
)
_RECITAL = re.compile(
    r"(?:consideration\s+of|(?<!princip\w\w\s)sum\s+of|consideration\s*:)\s+(?P<text>[^.;$]{0,160}?\$\s*[\d,.]+|"
    r"(?:\$\s*)?[A-Za-z][A-Za-z \-/0-9]{2,160}?Dollars?(?:\s*,?\s*\(\$\s*[\d,.]+\))?)",
    re.I,
)
_LOAN = re.compile(
    r"(?:princip\w\w\s+(?:sum|amount)\s+of|Mortgage\s+Amount\s*:|Loan\s+Amount\s*:?|owes\s+Lender\W*|"
    r"(?:original\s+)?principal\s+(?:balance|indebtedness)\s+of|note\s+(?:dated\s+[^,]{0,30},\s*)?(?:in\s+the\s+amount\s+)?of)"
    r"[\s.:-]*(?P<text>[^;]{0,120}?(?:\$\s*[\d,.]+|\d{1,3}(?:,\d{3})+(?:\.\d{2})?))",
    re.I,
)
_TAX_LABEL = re.compile(
    r"(?<!Mortgage\s)(?<!Intangible\s)\b(?:(?:Deed\s+)?Doc(?:umentary)?\.?\s*(?:Stamps?\s*)?(?:Tax|Stamps?)(?:\s+Collection)?|D\s+DOC\s+STAMP(?:\s+COLLECTION)?|"
    r"Deed\s+Doc|DOCUMENTARY\s+TRANSFER\s+TAX(?:\s+IS)?|(?:Real\s+Estate\s+)?Excise\s+Tax(?:\s+Paid)?|Tax\s+Amount|"
    r"Transfer\s+Tax|Doc(?:umentary)?\s+Fee|State\s+Tax|Conveyance\s+Tax|(?-i:\bD)(?=\s+\$))\b\s*[:.]?",
    re.I,
)
_TREASURER_RECEIPT = re.compile(r"^\W*[A-Z]?\d{5,7}\s+(?P<amount>\$\s*[\d,]+\.\d{2})\b")
_EXEMPTION = re.compile(
    r"\b(?P<code>(?:R\s*\S?\s*T|REV(?:ENUE)?\.?\s*(?:AND|&)\s*TAX(?:ATION)?\.?)\s*(?:CODE\s*)?(?:§|SECTION|SEC\.?)?\s*(?P<section>1\d{4}(?:\.\d)?)"
    r"|WAC\s*458-61A-\d{3}(?:\s*\(\s*\w+\s*\))*|A\.?\s?R\.?\s?S\.?\s*§?\s*11-1134\s*(?:\(\s*\w+\s*\))*|"
    r"Exemption\s+Code\s*:?\s*[A-Z]?\d{1,2}[A-Z]?|(?<=Fee:\s)EXEMPT\b|(?<=Tax:\s)EXEMPT\b)",
    re.I,
)
_NO_TAX_WORDS = re.compile(r"\b(?:none|no\s+tax|exempt)\b", re.I)


def consideration(layout: Layout, *, recital: bool = True) -> MoneyValue | None:
    """The stated price; with ``recital``, else the granting clause's consideration (not a lien's principal)."""
    for labelled in labelled_values(layout, _PRICE_LABEL, reach=0.6):
        value = money_value(labelled.value[:40], labelled.line, 0.95, source=labelled.source)
        if value is not None:
            return value
    for stream in layout.streams:  # a price stated in a sentence that wraps ("the amount paid ... / was $619,200.00")
        match = _PRICE_LABEL.search(stream.text)
        if match:
            value = money_value(stream.text[match.end() : match.end() + 40], stream.line_at(match.start()), 0.9)
            if value is not None:
                return value
    for stream in layout.streams if recital else ():
        match = _RECITAL.search(stream.text)
        if not match:
            continue
        window = " ".join(match["text"].split())
        amount = figure(window)
        words = words_to_amount(window)
        line = stream.line_at(match.start())
        if amount is not None and words is not None and abs(words - amount) > 0.5:
            return MoneyValue(
                value=words,
                evidence=evidence(line, 0.55, source=window, weak="figures and words disagree; the words are kept"),
            )
        amount = amount if amount is not None else words
        if amount is not None:
            return MoneyValue(value=amount, evidence=evidence(line, 0.85, source=window))
    return None


def loan_amount(layout: Layout) -> MoneyValue | None:
    for stream in layout.streams:
        match = _LOAN.search(stream.text)
        if match:
            return money_value(match["text"], stream.line_at(match.start()), 0.9, source=" ".join(match[0].split()))
    return None


def transfer_tax(layout: Layout) -> TransferTax:
    tax = TransferTax()
    for labelled in labelled_values(layout, _TAX_LABEL):
        amount = None if _NO_TAX_WORDS.match(labelled.value) else figure(labelled.value[:30], bare=True)
        if amount is not None:
            tax.amount = MoneyValue(value=amount, evidence=evidence(labelled.line, 0.9, source=labelled.source))
            break
        if _NO_TAX_WORDS.match(labelled.value):
            tax.amount = MoneyValue(value=0.0, evidence=evidence(labelled.line, 0.7, source=labelled.source))
            if re.match(r"exempt", labelled.value, re.I):
                tax.exemption = text_value("EXEMPT", labelled.line, 0.8, source=labelled.source)
            break
    if tax.amount is None:
        for line in layout.lines:
            row = " ".join(other.text for other in same_row(layout.view, line) if other.x >= line.x)
            receipt = _TREASURER_RECEIPT.match(row)
            if receipt and _near_treasurer(layout, line):
                tax.amount = MoneyValue(value=figure(receipt["amount"]), evidence=evidence(line, 0.85, source=row))
                break
    for stream in layout.streams if tax.exemption is None else ():
        exemption = _EXEMPTION.search(stream.text)
        if exemption:
            code = f"R&T {exemption['section']}" if exemption["section"] else " ".join(exemption["code"].split())
            line = stream.line_at(exemption.start())
            tax.exemption = text_value(code, line, 0.9)
            if tax.amount is None:  # an exempt transfer owes nothing, though no amount is printed
                tax.amount = MoneyValue(
                    value=0.0, evidence=evidence(line, 0.7, source=line.text, weak="no amount printed: exempt, so 0")
                )
            break
    tax.city = _city(layout)
    return tax


def _near_treasurer(layout: Layout, line) -> bool:
    return any(
        re.search(r"Treasurer|Excise", other.text, re.I)
        for other in layout.page_lines(line.page)
        if 0 < line.y - other.y < 0.04
    )


def _city(layout: Layout) -> TextValue | None:
    for kv in reversed(layout.view.key_values):
        if kv.selected and re.match(r"City\s+of\s+\w", kv.key, re.I):
            return TextValue(
                value=re.sub(r"(?i)^City\s+of\s+", "", kv.key).strip(),
                evidence=Evidence(page=kv.page, source_text=kv.key, confidence=round(kv.confidence, 3)),
            )
    for line in layout.lines:
        match = re.search(r"(?:\[\s*[Xx✓]\s*\]|☒|■)\s*City\s+of\s+(?P<city>[A-Z][A-Za-z ]+)", line.text)
        if match:
            return text_value(match["city"].strip(), line, 0.8)
    return None
