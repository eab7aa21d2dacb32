"""Exact ground truth saved beside every generated document (``<stem>.truth.json``).

Plain values (no evidence): what a careful title analyst would key from the document.
Fields that real recorded documents also carry are named as in ``evaluation.real_truth``;
``as_real_truth`` converts, so generated and real documents can be scored alike.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, Field

from evaluation.real_truth import InstrumentType, RealTruth
from textract_pipeline.extraction.schema_v1 import EntityKind


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
    handwritten_fill_ins: bool = False  # names, amounts, county written by hand on a form's lines
    watermark: str | None = None  # text drawn across the pages at an angle, e.g. "UNOFFICIAL COPY"


class GroundTruth(BaseModel):
    document_type: InstrumentType
    document_number: str | None = Field(None, description="Recording number as stamped (DOC#, CFN, reception no.)")
    book: str | None = Field(None, description="Official records book or volume")
    book_page: str | None = Field(None, description="First page in that book")
    recorded_date: dt.date | None = None
    recorded_time: str | None = Field(None, description="HH:MM, 24-hour")
    state: str | None = Field(None, description="Two-letter state of the recording county")
    recording_county: str | None = Field(None, description='County name without "County"')
    page_count: int
    fees: float | None = None
    grantors: list[TruthParty] = Field(default_factory=list)
    grantees: list[TruthParty] = Field(default_factory=list, description="Deed of trust / mortgage: the lender")
    trustees: list[TruthParty] = Field(default_factory=list, description="Deed of trust, reconveyance, trustee's deed")
    grantee_vesting: str | None = None
    apns: list[str] = Field(default_factory=list)
    situs_address: str | None = None
    legal_description: str | None = None
    legal_description_page: int | None = None
    legal_description_keys: list[str] = Field(default_factory=list)
    mail_to_name: str | None = Field(None, description='"When recorded mail / return to" addressee')
    mail_to_address: str | None = None
    tax_statements_to_name: str | None = None
    consideration: float | None = None
    loan_amount: float | None = None
    transfer_tax_amount: float | None = None
    transfer_tax_exemption: str | None = None
    dated_date: dt.date | None = None
    notary_date: dt.date | None = None
    title_company: str | None = None
    escrow_number: str | None = None
    order_number: str | None = None
    file_number: str | None = Field(None, description="Preparer's file no., court case no.")
    render: RenderInfo

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))

    def as_real_truth(self, file: str) -> RealTruth:
        """The same values under the real-document truth model (names only, no parsed parts)."""
        return RealTruth(
            file=file,
            page_count=self.page_count,
            document_type=self.document_type,
            state=self.state or "CA",
            county=self.recording_county or "",
            recording_number=self.document_number,
            book=self.book,
            book_page=self.book_page,
            recorded_date=self.recorded_date,
            recorded_time=self.recorded_time,
            recording_fees=self.fees,
            grantors=[p.full_name for p in self.grantors],
            grantees=[p.full_name for p in self.grantees],
            trustees=[p.full_name for p in self.trustees],
            grantee_vesting=self.grantee_vesting,
            apns=self.apns,
            property_address=self.situs_address,
            legal_description_page=self.legal_description_page,
            legal_description_keys=self.legal_description_keys,
            return_to_name=self.mail_to_name,
            return_to_address=self.mail_to_address,
            tax_statements_to_name=self.tax_statements_to_name,
            consideration=self.consideration,
            loan_amount=self.loan_amount,
            transfer_tax=self.transfer_tax_amount,
            transfer_tax_exemption=self.transfer_tax_exemption,
            dated_date=self.dated_date,
            notary_date=self.notary_date,
            title_company=self.title_company,
            escrow_number=self.escrow_number,
            order_number=self.order_number,
            file_number=self.file_number,
        )


def truth_path(document_path: Path) -> Path:
    return document_path.with_name(document_path.stem + ".truth.json")
