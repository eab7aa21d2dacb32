"""The one interface every extractor implements, so the pipeline can swap rules for an LLM.

``document`` is a textractor Document, or a ``DocumentView`` built page by page from a
response file (``read_document_view``): the way to extract from a long document with memory
flat in its page count. Both give the same result.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from textract_pipeline.extraction.results import V1Result
from textract_pipeline.extraction.schema_v2 import V2Document

if TYPE_CHECKING:
    from textractor.entities.document import Document

    from textract_pipeline.extraction.document_view import DocumentView


class Extractor(ABC):
    name: str

    @abstractmethod
    def extract_v1(self, document: Document | DocumentView) -> V1Result:
        """Fill the fixed V1 schema; raise ExtractionError when that is impossible."""

    @abstractmethod
    def extract_v2(self, document: Document | DocumentView) -> V2Document:
        """Schema-free extraction of everything labeled in the document."""
