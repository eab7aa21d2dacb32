"""What each asset hands to the next: small JSON manifests, never pickles.

Large payloads (the Textract response, reports) live as files in the document store;
manifests point at them. Every manifest names the upload it was made from (`DocumentRef`):
the object version and the attempt, so a step can tell whether its input still belongs to the
document's current attempt before it writes anything.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from textract_pipeline.extraction import CostEstimate, V1Result, V2Document
from textract_pipeline.records import ResultRecord


class DocumentRef(BaseModel):
    """One attempt at one content version of one uploaded object."""

    document_id: str
    object_key: str
    version: str
    attempt_id: str
    content_hash: str
    processing_id: str
    pages: int
    received_at: datetime


class SourceDocument(BaseModel):
    document: DocumentRef
    media_type: str
    size: int
    warnings: list[str] = Field(default_factory=list)


class TextractOutput(BaseModel):
    document: DocumentRef
    engine: str
    job_id: str
    cache_key: str
    output_key: str
    pages: int
    words: int
    mean_confidence: float


class V1Output(BaseModel):
    document: DocumentRef
    output_key: str
    textract_output_key: str
    result: V1Result
    cost: CostEstimate


class V2Output(BaseModel):
    document: DocumentRef
    output_key: str
    v2: V2Document


class ReportOutput(BaseModel):
    document: DocumentRef
    output_key: str
    characters: int


class ResultOutput(BaseModel):
    document: DocumentRef
    result: ResultRecord
