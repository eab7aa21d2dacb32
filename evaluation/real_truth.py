"""Truth for real recorded documents: what a title analyst keys from each one, read off the pages by a person.

One JSON file holds a folder's documents. A field is present only when the document states it:
an absent field is not scored, so a document is measured on what it really carries.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class InstrumentType(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    """What the analyst files the instrument as (the title it carries, read for its legal effect)."""

    GRANT_DEED = "grant_deed"
    WARRANTY_DEED = "warranty_deed"
    SPECIAL_WARRANTY_DEED = "special_warranty_deed"
    STATUTORY_WARRANTY_DEED = "statutory_warranty_deed"
    QUITCLAIM_DEED = "quitclaim_deed"
    BARGAIN_AND_SALE_DEED = "bargain_and_sale_deed"
    TRUSTEES_DEED = "trustees_deed"
    PERSONAL_REPRESENTATIVES_DEED = "personal_representatives_deed"
    DEED_IN_LIEU_OF_FORECLOSURE = "deed_in_lieu_of_foreclosure"
    TRUST_TRANSFER_DEED = "trust_transfer_deed"
    INTERSPOUSAL_TRANSFER_DEED = "interspousal_transfer_deed"
    DEED_OF_TRUST = "deed_of_trust"
    MORTGAGE = "mortgage"
    RECONVEYANCE = "reconveyance"
    RELEASE = "release"
    SATISFACTION = "satisfaction"
    COURT_DECREE = "court_decree"
    PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT = "preliminary_change_of_ownership_report"
    EXCISE_TAX_AFFIDAVIT = "excise_tax_affidavit"
    TRANSFER_TAX_STATEMENT = "transfer_tax_statement"
    OTHER = "other"


class DocumentSource(BaseModel):
    """Where the file came from: a public repository, its commit and path (and page range, if cut)."""

    repository: str
    commit: str
    path: str
    pages: str | None = None


class RealTruth(BaseModel):
    """One real document. Names are as printed, without vesting; amounts in dollars; dates ISO."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(..., description="File name inside the documents folder")
    source: DocumentSource | None = None
    page_count: int
    document_type: InstrumentType
    state: str = Field(..., description="Two-letter state of the recording county")
    county: str = Field(..., description='County name without "County"')
    recording_number: str | None = Field(None, description="Instrument / DOC# / CFN / reception number as stamped")
    book: str | None = Field(None, description="Official records book (OR book, volume, liber)")
    book_page: str | None = Field(None, description="First page in that book")
    recorded_date: dt.date | None = None
    recorded_time: str | None = Field(None, description="HH:MM, 24-hour, as stamped")
    recording_fees: float | None = None
    grantors: list[str] = Field(default_factory=list, description="Deed: conveying parties; deed of trust: trustors")
    grantees: list[str] = Field(default_factory=list, description="Deed: receiving parties; deed of trust: lenders")
    trustees: list[str] = Field(default_factory=list, description="Deed of trust / reconveyance: the trustee")
    grantee_vesting: str | None = Field(None, description='How title is taken, e.g. "husband and wife"')
    apns: list[str] = Field(default_factory=list, description="Parcel ids as printed (APN, strap, tax parcel no.)")
    property_address: str | None = Field(None, description="Street, city, state ZIP of the property")
    legal_description_page: int | None = Field(None, description="1-based page where the legal description starts")
    legal_description_keys: list[str] = Field(
        default_factory=list,
        description='Short phrases that identify it: "LOT 5", "BLOCK 2", "DESCHUTES HEIGHTS"',
    )
    return_to_name: str | None = Field(None, description='"When recorded return/mail to" addressee')
    return_to_address: str | None = Field(None, description="That addressee's street, city, state ZIP")
    tax_statements_to_name: str | None = None
    consideration: float | None = Field(None, description="Stated consideration or price, in figures")
    loan_amount: float | None = None
    transfer_tax: float | None = Field(None, description="Transfer / excise tax or documentary stamps paid")
    transfer_tax_exemption: str | None = Field(None, description="Exemption code or reason, as stated")
    dated_date: dt.date | None = Field(None, description="Date the instrument is dated or signed")
    notary_date: dt.date | None = Field(None, description="Date of the acknowledgment")
    title_company: str | None = None
    escrow_number: str | None = None
    order_number: str | None = None
    file_number: str | None = None
    handwritten_fields: list[str] = Field(
        default_factory=list,
        description="Fields above whose value is written by hand on the page (scored, and also reported apart)",
    )
    notes: str | None = Field(None, description="What the analyst wants a reader of the scores to know")


class RealTruthFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[RealTruth]

    @classmethod
    def load(cls, path: Path) -> RealTruthFile:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))

    def save(self, path: Path) -> None:
        path.write_text(self.model_dump_json(indent=2, exclude_none=True, exclude_defaults=True) + "\n")
