"""Structured extraction: Bedrock (or an OpenAI-compatible server) in AWS, deterministic rules offline."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import Field, PrivateAttr

from textract_pipeline.resources.aws_clients import AdaptiveBoto3Resource

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


class BedrockExtractorResource(ExtractorResource, AdaptiveBoto3Resource):
    """Amazon Bedrock Converse with tool use; one bedrock-runtime client per resource instance."""

    model_id: str = Field(default="amazon.nova-lite-v1:0", description="Bedrock model id or inference profile.")
    max_attempts: int = Field(default=10, description="Retries after the first try (botocore adaptive mode).")
    read_timeout: int = Field(default=300, description="Seconds to wait for a Converse answer.")

    def _build(self) -> Extractor:
        from textract_pipeline.extraction import BedrockExtractor

        return BedrockExtractor(
            self.model_id, client=self.boto3_client("bedrock-runtime", read_timeout=self.read_timeout)
        )


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
