"""V1: the fixed schema of a real-estate transfer record (the county assessor's "sale record").

Every extracted value carries its evidence (page, the text it was read from, a
confidence) so an analyst can check it against the scan. Bump SCHEMA_VERSION whenever a
field is added, removed or changes meaning, then regenerate schema.json with
``python -m textract_pipeline.extraction.export_schema``.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1.0"
LOW_CONFIDENCE = 0.6  # a value below this is doubtful: marked ``weak`` and listed by the v1_schema WARN check


class Evidence(BaseModel):
    """Where a value was read: the analyst's way back to the scan."""

    model_config = ConfigDict(extra="forbid")

    page: int | None = Field(None, ge=1, description="1-based page the value was read from")
    source_text: str = Field(..., description="The printed text the value was taken from, verbatim")
    confidence: float = Field(..., ge=0.0, le=1.0, description="0-1: OCR confidence times rule/model certainty")
    weak: str | None = Field(
        None,
        description="Why the value is doubtful, when it is (low OCR confidence, handwriting, a rule that guessed); "
        f"such values carry a confidence below {LOW_CONFIDENCE}",
    )


class _Evidenced(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: Evidence


class TextValue(_Evidenced):
    value: str


class DateValue(_Evidenced):
    value: dt.date = Field(..., description="ISO 8601 date (YYYY-MM-DD)")


class MoneyValue(_Evidenced):
    value: float = Field(..., ge=0, description="Amount in US dollars, as a number (no $ or commas)")


class IntValue(_Evidenced):
    value: int = Field(..., ge=0)


class DocumentType(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    """What a title analyst files the instrument as: the title it carries, read for its legal effect."""

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


class DocumentTypeValue(_Evidenced):
    value: DocumentType


class EntityKind(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    PERSON = "person"
    TRUST = "trust"
    COMPANY = "company"


class Party(_Evidenced):
    """One grantor or grantee as printed, with the name parsed for indexing."""

    full_name: str = Field(..., description="The name exactly as printed, without the vesting")
    kind: EntityKind
    first_name: str | None = Field(None, description="Persons only")
    middle_name: str | None = Field(None, description="Persons only; initial or full middle name")
    last_name: str | None = Field(None, description="Persons only")
    suffix: str | None = Field(None, description="Persons only: JR, SR, II, III ...")
    entity_name: str | None = Field(None, description="Trusts and companies: the entity's name")
    vesting: str | None = Field(
        None,
        description='How title is held, as printed: "husband and wife as joint tenants", "trustees of the X trust"',
    )
    percentage: float | None = Field(None, ge=0, le=100, description="Undivided interest in percent, when stated")
    role: str | None = Field(
        None,
        description='The role the document gives the party, as printed: "grantor", "trustor", "borrower", '
        '"beneficiary", "lender", "trustee", "buyer", "seller", "personal representative"',
    )


class Recording(BaseModel):
    """The recorder's stamp: what makes the document a public record."""

    model_config = ConfigDict(extra="forbid")

    document_number: TextValue | None = Field(
        None, description='"DOC#" / instrument / CFN / reception number as stamped, letters and digits only'
    )
    book: TextValue | None = Field(None, description="Official records book (OR book, volume, liber)")
    book_page: TextValue | None = Field(None, description="First page of the instrument in that book")
    recorded_date: DateValue | None = None
    recorded_time: TextValue | None = Field(None, description="HH:MM, 24-hour, as stamped")
    recording_county: TextValue | None = Field(None, description='County name without "County of"')
    recording_state: TextValue | None = Field(None, description="Two-letter state of the recording county")
    page_count: IntValue | None = None
    fees: MoneyValue | None = Field(None, description="Total recording fees")


class Property(BaseModel):
    model_config = ConfigDict(extra="forbid")

    apns: list[TextValue] = Field(default_factory=list, description="Assessor's parcel numbers as printed")
    situs_address: TextValue | None = Field(None, description="Street address of the property")
    legal_description: TextValue | None = Field(
        None, description="Lot/block/subdivision or metes and bounds; its evidence page is where it starts"
    )


class MailTo(BaseModel):
    """An addressee block: 'when recorded mail/return to', or 'mail tax statements to'."""

    model_config = ConfigDict(extra="forbid")

    name: TextValue | None = None
    address: TextValue | None = Field(None, description="Street, city, state and ZIP on one line")


class TransferTax(BaseModel):
    """Documentary transfer tax: an amount, or the exemption the document claims."""

    model_config = ConfigDict(extra="forbid")

    amount: MoneyValue | None = Field(
        None, description="Documentary transfer tax, real estate excise tax or documentary stamps paid"
    )
    exemption: TextValue | None = Field(
        None, description='The exemption code or reason as stated, e.g. "R&T 11930", "WAC 458-61A-211(2)(g)"'
    )
    city: TextValue | None = Field(None, description="City whose tax applies, when stated")


class CheckboxAnswer(_Evidenced):
    label: str
    selected: bool


class V1Record(BaseModel):
    """Root of the V1 schema: one recorded real-estate transfer."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    document_type: DocumentTypeValue
    recording: Recording = Field(default_factory=Recording)
    grantors: list[Party] = Field(
        default_factory=list, description="Parties conveying (trustors / borrowers of a deed of trust, sellers)"
    )
    grantees: list[Party] = Field(
        default_factory=list, description="Parties receiving (lender / beneficiary of a deed of trust, buyers)"
    )
    trustees: list[Party] = Field(
        default_factory=list, description="Deed of trust / reconveyance: the trustee (never a trust's own trustees)"
    )
    property: Property = Field(default_factory=Property)
    mail_to: MailTo = Field(default_factory=MailTo, description='"When recorded mail / return to" addressee')
    tax_statements_to: MailTo = Field(default_factory=MailTo, description='"Mail tax statements to" addressee')
    consideration: MoneyValue | None = Field(None, description="Sale price or consideration stated")
    loan_amount: MoneyValue | None = Field(None, description="Deeds of trust: the principal secured")
    transfer_tax: TransferTax = Field(default_factory=TransferTax)
    dated_date: DateValue | None = Field(None, description='The "Dated:" date the grantors signed')
    notary_date: DateValue | None = Field(None, description="Date of the notary acknowledgment")
    title_company: TextValue | None = Field(
        None, description='Title or escrow company: "recording requested by", "filed at the request of", preparer'
    )
    escrow_number: TextValue | None = None
    order_number: TextValue | None = Field(None, description="Title order number (Order No., GF No., FATCO#)")
    file_number: TextValue | None = Field(None, description="Preparer's or title agent's file number")
    checkboxes: list[CheckboxAnswer] = Field(default_factory=list)


def v1_json_schema() -> dict:
    """The JSON Schema shipped as schema.json and given to LLMs as the tool's input schema."""
    schema = V1Record.model_json_schema()
    schema["$id"] = f"https://textract-pipeline/schemas/v1/{SCHEMA_VERSION}"
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema
