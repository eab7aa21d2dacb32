"""Exact ground truth saved beside every generated document (``<stem>.truth.json``).

Plain values (no evidence): what a careful title analyst would key from the document.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, Field

from textract_pipeline.extraction.schema_v1 import DocumentType, EntityKind


class TruthParty(BaseModel):
    full_name: str
    kind: EntityKind
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    suffix: str | None = None
    entity_name: str | None = None
    vesting: str | None = None
    percentage: float | None = None


class RenderInfo(BaseModel):
    """How the document was drawn: lets an evaluation slice errors by layout or scan quality."""

    layout: str
    font: str
    handwritten_dates: bool
    skew_degrees: float
    speckle: bool


class GroundTruth(BaseModel):
    document_type: DocumentType
    document_number: str | None = None
    recorded_date: dt.date | None = None
    recording_county: str | None = None
    page_count: int
    fees: float | None = None
    grantors: list[TruthParty] = Field(default_factory=list)
    grantees: list[TruthParty] = Field(default_factory=list)
    apns: list[str] = Field(default_factory=list)
    situs_address: str | None = None
    legal_description: str | None = None
    mail_to_name: str | None = None
    mail_to_address: str | None = None
    consideration: float | None = None
    loan_amount: float | None = None
    transfer_tax_amount: float | None = None
    transfer_tax_exemption: str | None = None
    dated_date: dt.date | None = None
    notary_date: dt.date | None = None
    title_company: str | None = None
    escrow_number: str | None = None
    order_number: str | None = None
    render: RenderInfo

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def truth_path(document_path: Path) -> Path:
    return document_path.with_name(document_path.stem + ".truth.json")
