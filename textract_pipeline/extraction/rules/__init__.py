"""The deterministic extractor's rules, one module per part of a recorded instrument.

``read_record`` assembles them into a V1 record; V2 reuses it so every V1 value also appears there.
"""

from __future__ import annotations

from textract_pipeline.extraction.document_view import DocumentView
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.rules import contacts, money, signing
from textract_pipeline.extraction.rules.instrument import document_type
from textract_pipeline.extraction.rules.layout import Layout
from textract_pipeline.extraction.rules.parties import GRANTEE, GRANTOR, TRUSTEE, find_parties
from textract_pipeline.extraction.rules.property import find_property, mend_situs_city
from textract_pipeline.extraction.rules.recording import recording
from textract_pipeline.extraction.schema_v1 import CheckboxAnswer, DocumentType, Evidence, TextValue, V1Record

# instruments that secure or release a loan: their "sum of $X" is a principal, never a price
LIENS = {
    DocumentType.DEED_OF_TRUST,
    DocumentType.MORTGAGE,
    DocumentType.RECONVEYANCE,
    DocumentType.RELEASE,
    DocumentType.SATISFACTION,
}


def read_record(view: DocumentView) -> V1Record:
    """The V1 record the rules read from a document's view."""
    layout = Layout(view)
    kind = document_type(layout)
    record = V1Record(
        document_type=kind,
        recording=recording(layout),
        property=find_property(layout),
        mail_to=contacts.mail_to(layout),
        tax_statements_to=contacts.tax_statements_to(layout),
        transfer_tax=money.transfer_tax(layout),
        consideration=money.consideration(layout, recital=kind.value not in LIENS),
        loan_amount=money.loan_amount(layout),
        escrow_number=contacts.escrow_number(layout),
        order_number=contacts.order_number(layout),
        file_number=contacts.file_number(layout),
        checkboxes=_checkboxes(layout),
    )
    record.property.situs_address = mend_situs_city(
        record.property.situs_address, [record.mail_to.address, record.tax_statements_to.address]
    )
    parties = find_parties(layout, kind.value)
    record.grantors, record.grantees, record.trustees = parties[GRANTOR], parties[GRANTEE], parties[TRUSTEE]
    # the trustee of a deed of trust is often the title company itself; a grantor or grantee never is
    names = {normalize_name(p.full_name) for p in (*parties[GRANTOR], *parties[GRANTEE])}
    record.title_company = contacts.title_company(layout, names)
    if kind.value is DocumentType.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT:
        if record.mail_to.name is None:
            record.mail_to = record.tax_statements_to  # a PCOR's only addressee: where the tax bills go
        if record.recording.recording_state is None:  # BOE-502-A is California's form
            record.recording.recording_state = TextValue(
                value="CA",
                evidence=Evidence(page=kind.evidence.page, source_text=kind.evidence.source_text, confidence=0.8),
            )
    recorded = record.recording.recorded_date.value if record.recording.recorded_date else None
    record.dated_date = signing.dated_date(layout, recorded)
    record.notary_date = signing.notary_date(layout, recorded)
    return record


def _checkboxes(layout: Layout) -> list[CheckboxAnswer]:
    return [
        CheckboxAnswer(
            label=kv.key,
            selected=bool(kv.selected),
            evidence=Evidence(page=kv.page, source_text=kv.key, confidence=round(kv.confidence, 3)),
        )
        for kv in layout.view.key_values
        if kv.selected is not None
    ]
