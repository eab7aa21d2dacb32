"""The tracking record model shared by the SQLite and DynamoDB tracking stores.

A document is one object key in `incoming/`. A processing turns one content version of it
into outputs (its id is stable for the same bytes, so re-running replaces rather than
duplicates). An attempt is one materialization of `source_document` for it; status writes
name their attempt, so a stale run can be recognised and refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


def utc_now() -> datetime:
    return datetime.now(UTC)


class DocumentStatus(StrEnum):
    RECEIVED = "RECEIVED"
    TEXTRACT_STARTED = "TEXTRACT_STARTED"
    TEXTRACT_COMPLETED = "TEXTRACT_COMPLETED"
    EXTRACTED = "EXTRACTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"

    @property
    def rank(self) -> int:
        return _LIFECYCLE.index(self)

    @property
    def is_terminal(self) -> bool:
        return self in (DocumentStatus.COMPLETED, DocumentStatus.FAILED)


_LIFECYCLE = list(DocumentStatus)


def transition_allowed(current: DocumentStatus, new: DocumentStatus) -> bool:
    """Within one processing, status only moves forward; COMPLETED is final.

    FAILED may be left again because a retry of the same processing (Dagster retry or
    re-execution from failure) can still finish it.
    """
    if current == DocumentStatus.COMPLETED:
        return False
    if current == DocumentStatus.FAILED or new == DocumentStatus.FAILED:
        return True
    return new.rank >= current.rank


class DocumentRecord(BaseModel):
    """One row of the tracking table: the id <-> object key mapping and the current status."""

    document_id: str
    object_key: str
    version: str
    size: int | None = None
    status: DocumentStatus = DocumentStatus.RECEIVED
    reason: str | None = None
    warnings: list[str] = Field(default_factory=list)
    processing_id: str | None = None
    attempt_id: str | None = None
    content_hash: str | None = None
    pages: int | None = None
    document_type: str | None = None
    textract_job_id: str | None = None
    outputs: dict[str, str] = Field(default_factory=dict)
    received_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    history: list[dict[str, Any]] = Field(default_factory=list)


class ResultRecord(BaseModel):
    """The queryable result of one completed processing (`textract-processing-results`)."""

    processing_id: str
    timestamp: datetime
    document_id: str
    object_key: str
    upload_date: str
    status: DocumentStatus
    document_type: str | None = None
    buyer_names: list[str] = Field(default_factory=list)
    seller_names: list[str] = Field(default_factory=list)
    property_address: str | None = None
    apn: str | None = None
    sale_price: float | None = None
    pages: int = 0
    cost_usd: float | None = None
    schema_version: str | None = None
    prompt_version: str | None = None
    outputs: dict[str, str] = Field(default_factory=dict)
    v1_inline: dict[str, Any] | None = None
