"""Structured extraction: deterministic rules offline, or an OpenAI-compatible server; Bedrock is in `bedrock.py`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import Field, PrivateAttr

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


class OpenAICompatibleExtractorResource(ExtractorResource):
    """Any OpenAI-compatible chat completions server (vLLM, llama.cpp, Ollama): a local model offline."""

    base_url: str = Field(description="Server root including /v1, e.g. http://127.0.0.1:8000/v1.")
    model_id: str = Field(description="Model name the server knows.")
    api_key: str | None = Field(default=None, description="Bearer token, if the server wants one.")
    timeout: float = Field(default=120.0, description="Seconds to wait for an answer.")
    max_retries: int = Field(
        default=2, description="The openai SDK's retries of connection errors, timeouts, 408/409/429 and 5xx."
    )

    def _build(self) -> Extractor:
        from textract_pipeline.extraction import OpenAICompatibleExtractor

        return OpenAICompatibleExtractor(
            self.base_url, self.model_id, api_key=self.api_key, timeout=self.timeout, max_retries=self.max_retries
        )
