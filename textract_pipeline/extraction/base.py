"""The one interface every extractor implements, so the pipeline can swap rules for an LLM."""

from __future__ import annotations

from abc import ABC, abstractmethod

from textractor.entities.document import Document

from textract_pipeline.extraction.results import V1Result
from textract_pipeline.extraction.schema_v2 import V2Document


class Extractor(ABC):
    name: str

    @abstractmethod
    def extract_v1(self, document: Document) -> V1Result:
        """Fill the fixed V1 schema; raise ExtractionError when that is impossible."""

    @abstractmethod
    def extract_v2(self, document: Document) -> V2Document:
        """Schema-free extraction of everything labeled in the document."""
