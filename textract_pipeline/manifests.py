"""What each asset hands to the next: small JSON manifests, never pickles.

Large payloads (the Textract response, reports) live as files in the document store;
manifests point at them.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from textract_pipeline.extraction import CostEstimate, V1Result, V2Document


class SourceDocument(BaseModel):
    document_id: str
    object_key: str
    version: str
    media_type: str
    content_hash: str
    size: int
    pages: int
    processing_id: str
    attempt_id: str
    received_at: datetime
    warnings: list[str] = Field(default_factory=list)


class TextractOutput(BaseModel):
    engine: str
    job_id: str
    cache_key: str
    output_key: str
    pages: int
    words: int
    mean_confidence: float


class V1Output(BaseModel):
    output_key: str
    result: V1Result
    cost: CostEstimate


class V2Output(BaseModel):
    output_key: str
    document: V2Document


class ReportOutput(BaseModel):
    output_key: str
    characters: int
