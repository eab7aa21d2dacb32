"""Structured extraction: Bedrock (or an OpenAI-compatible server) in AWS, deterministic rules offline."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import PrivateAttr

if TYPE_CHECKING:
    from textract_pipeline.extraction import Extractor


class ExtractorResource(dg.ConfigurableResource, ABC):
    """Builds its extractor once per process and hands it to the extraction assets."""

    _extractor: Any = PrivateAttr(default=None)

    @abstractmethod
    def _build(self) -> Extractor: ...

    def get(self) -> Extractor:
        if self._extractor is None:
            self._extractor = self._build()
        return self._extractor


class DeterministicExtractorResource(ExtractorResource):
    """Rules over Textract lines, forms and layout: free, offline and repeatable."""

    def _build(self) -> Extractor:
        from textract_pipeline.extraction import DeterministicExtractor

        return DeterministicExtractor()
