"""The extractor in AWS: Amazon Bedrock Converse, on the boto3 settings every AWS resource shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from textract_pipeline.resources.aws_clients import AdaptiveBoto3Resource
from textract_pipeline.resources.extractor import ExtractorResource

if TYPE_CHECKING:
    from textract_pipeline.extraction import Extractor


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
