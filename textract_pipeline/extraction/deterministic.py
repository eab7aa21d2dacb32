"""The embedded default extractor: rules over Textract lines, key-value pairs and geometry.

No model, no network, the same answer every time. The rules (``rules/``) are keyed to the roles
text plays on a recorded instrument (the recorder's stamp, the return-to block, the title, the
conveying clause, the notary's certificate, a form's labelled boxes) and to the grammar of
conveyancing, not to one county's template; they tolerate common OCR slips and ignore watermarks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textract_pipeline.extraction.base import Extractor
from textract_pipeline.extraction.document_view import DocumentView, as_view
from textract_pipeline.extraction.results import TokenUsage, V1Result
from textract_pipeline.extraction.rules import contacts, money, signing
from textract_pipeline.extraction.rules.instrument import document_type
from textract_pipeline.extraction.rules.layout import Layout
from textract_pipeline.extraction.rules.parties import GRANTEE, GRANTOR, TRUSTEE, find_parties
from textract_pipeline.extraction.rules.property import find_property
from textract_pipeline.extraction.rules.recording import recording
from textract_pipeline.extraction.schema_v1 import CheckboxAnswer, Evidence, V1Record
from textract_pipeline.extraction.schema_v2 import V2Document
from textract_pipeline.extraction.v2 import build_v2

if TYPE_CHECKING:
    from textractor.entities.document import Document


class DeterministicExtractor(Extractor):
    """Rule-based V1 + V2; the embedded default."""

    name = "deterministic"

    def extract_v1(self, document: Document | DocumentView) -> V1Result:
        layout = Layout(as_view(document))
        kind = document_type(layout)
        record = V1Record(
            document_type=kind,
            recording=recording(layout),
            property=find_property(layout),
            mail_to=contacts.mail_to(layout),
            tax_statements_to=contacts.tax_statements_to(layout),
            transfer_tax=money.transfer_tax(layout),
            consideration=money.consideration(layout),
            loan_amount=money.loan_amount(layout),
            title_company=contacts.title_company(layout),
            escrow_number=contacts.escrow_number(layout),
            order_number=contacts.order_number(layout),
            file_number=contacts.file_number(layout),
            checkboxes=_checkboxes(layout),
        )
        parties = find_parties(layout, kind.value)
        record.grantors, record.grantees, record.trustees = parties[GRANTOR], parties[GRANTEE], parties[TRUSTEE]
        recorded = record.recording.recorded_date.value if record.recording.recorded_date else None
        record.dated_date = signing.dated_date(layout, recorded)
        record.notary_date = signing.notary_date(layout, recorded)
        return V1Result(record=record, extractor=self.name, usage=TokenUsage())

    def extract_v2(self, document: Document | DocumentView) -> V2Document:
        return build_v2(document)


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
