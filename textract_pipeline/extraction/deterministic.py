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
from textract_pipeline.extraction.rules import read_record
from textract_pipeline.extraction.schema_v2 import V2Document
from textract_pipeline.extraction.v2 import build_v2

if TYPE_CHECKING:
    from textractor.entities.document import Document


class DeterministicExtractor(Extractor):
    """Rule-based V1 + V2; the embedded default."""

    name = "deterministic"

    def extract_v1(self, document: Document | DocumentView) -> V1Result:
        return V1Result(record=read_record(as_view(document)), extractor=self.name, usage=TokenUsage())

    def extract_v2(self, document: Document | DocumentView) -> V2Document:
        return build_v2(document)
