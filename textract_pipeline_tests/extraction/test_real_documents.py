"""The rules on real recorded instruments (OCR'd by the local engine), one per document type, against an analyst's truth.

Each test names the fields the rules must get right on that document; the values come from the
truth file (evaluation/truth/real_deeds.json). Fields the OCR engine cannot read there (handwritten
notary dates, an OCR-garbled grantee) are left out and named in the comments.
"""

import datetime as dt

import pytest

from evaluation.real_scoring import Outcome, score_record
from textract_pipeline.checks import check_confidence
from textract_pipeline.extraction import DeterministicExtractor, DocumentType
from textract_pipeline_tests.extraction import real_documents as real

COMMON = {"document_type", "recording_number", "recorded_date", "recorded_time", "county", "state", "page_count"}
FOUND = {
    # Florida, Orange: stamp at top right, "Prepared By and Return To" block, SALES PRICE above the title
    real.ORANGE_SWD: COMMON
    | {"recording_fees", "transfer_tax", "grantors", "grantees", "grantee_vesting", "apns", "consideration"}
    | {"legal_description_keys", "legal_description_page", "return_to_name", "return_to_address", "dated_date"}
    | {"title_company"},
    # Florida, Lee: one-line clerk's stamp; "Mortgage Amount" on a deed. OCR drops "Acevedo," from a grantee.
    real.LEE_WD: COMMON
    | {"recording_fees", "transfer_tax", "grantors", "grantee_vesting", "apns", "consideration", "loan_amount"}
    | {"legal_description_keys", "dated_date", "title_company", "file_number"},
    # Florida, Pinellas: OR book and page in the stamp, recording fee wrapped onto the next row
    real.PINELLAS_QCD: COMMON
    | {"book", "book_page", "recording_fees", "transfer_tax", "grantors", "grantees", "grantee_vesting", "apns"}
    | {"consideration", "legal_description_keys", "return_to_name", "return_to_address", "dated_date"},
    # Florida, Miami-Dade: a scan under a watermark-only text layer; the stamp's "MIAMI-DADE" split by OCR;
    # grantors named where the consideration is "paid to", each with an address; a company grantee's officer
    # (its stamp's date and time come out of OCR as "23/2017 13117241": not readable)
    real.MIAMI_DADE_QCD: COMMON - {"recorded_date", "recorded_time"}
    | {"book", "book_page", "grantors", "grantees", "legal_description_keys", "legal_description_page"}
    | {"return_to_name", "return_to_address", "consideration", "dated_date"},
    # Washington, King: "Unofficial Copy" watermark; excise stamp with selling price, tax and exemption;
    # OCR cut a grantor's name in the clause ("ng Wang"), the acknowledgment names both signers; the
    # property address lost its city ("e WA 98115"), the return-to block has the same street with it
    real.KING_QCD: COMMON
    | {"recording_fees", "transfer_tax", "transfer_tax_exemption", "consideration", "apns", "grantors"}
    | {"property_address"}
    | {"legal_description_keys", "return_to_name", "return_to_address"},
    # Washington, Thurston: treasurer's receipt "E016849 $9,157.00"; Exhibit A lists exceptions, not the land
    real.THURSTON_STATUTORY: COMMON
    | {"transfer_tax", "grantors", "grantees", "grantee_vesting", "apns", "consideration", "escrow_number"}
    | {"legal_description_keys", "legal_description_page", "return_to_name", "return_to_address", "dated_date"}
    | {"title_company"},
    # Washington, Thurston: deed in lieu of foreclosure, six parcel numbers, the legal description on Exhibit A
    real.THURSTON_IN_LIEU: COMMON
    | {"transfer_tax", "grantors", "grantees", "apns", "legal_description_keys", "legal_description_page"}
    | {"title_company", "order_number"},
}


@pytest.mark.parametrize("name", list(FOUND), ids=lambda name: name.split("__")[-1][:28])
def test_rules_find_the_analysts_values(name):
    record = DeterministicExtractor().extract_v1(real.view(name)).record
    scored, _ = score_record(real.truth(name), record)
    outcomes = {}
    for value in scored:
        outcomes.setdefault(value.field, set()).add(value.outcome)
    missed = {field for field in FOUND[name] if outcomes.get(field) != {Outcome.FOUND}}
    assert not missed, {v.field: (v.truth, v.predicted) for v in scored if v.field in missed}


def test_special_warranty_deed_values():
    record = DeterministicExtractor().extract_v1(real.view(real.ORANGE_SWD)).record
    assert record.document_type.value is DocumentType.SPECIAL_WARRANTY_DEED
    assert record.recording.document_number.value == "20240437830"
    assert record.consideration.value == 650000.0  # the stated price, not the $10.00 recital
    assert [p.full_name for p in record.grantees] == ["Wenli Ma", "Wenlig Zheng", "Anqi Zheng"]
    assert record.mail_to.name.value == "Jean Rodriguez"  # not the recorder's "Ret To: SIMPLIFILE LC"
    assert record.dated_date.value == dt.date(2024, 7, 19)


def test_deed_in_lieu_values():
    record = DeterministicExtractor().extract_v1(real.view(real.THURSTON_IN_LIEU)).record
    assert record.document_type.value is DocumentType.DEED_IN_LIEU_OF_FORECLOSURE
    assert len(record.property.apns) == 6
    legal = record.property.legal_description
    assert legal.evidence.page == 3 and "PARCEL B" in legal.value  # both parcels of Exhibit A
    assert record.recording.document_number.value == "4790512"  # not a deed of trust's "instrument number"


def test_statutory_warranty_deed_trustees_vesting():
    record = DeterministicExtractor().extract_v1(real.view(real.THURSTON_STATUTORY)).record
    assert [p.full_name for p in record.grantors] == ["Jeffrey Lynn Hall", "Linda Lee Hall"]
    assert record.grantors[0].vesting.startswith("Trustees of The Jeffrey and Linda Hall Revocable Living Trust")
    assert record.transfer_tax.amount.value == 9157.0


def test_watermarked_quitclaim_marks_what_it_could_not_read_well():
    record = DeterministicExtractor().extract_v1(real.view(real.KING_QCD)).record
    # the watermark hides the title from OCR: the type comes from "quit claims and conveys", marked weak
    assert record.document_type.value is DocumentType.QUITCLAIM_DEED
    assert record.document_type.evidence.weak and record.document_type.evidence.confidence < 0.6
    check = check_confidence({"king": record.model_dump(mode="json")})
    assert not check.passed and "document_type" in check.description
    assert "document_type" in check.metadata["weak_fields"].data["king"]
    assert record.transfer_tax.exemption.value == "WAC 458-61A-211(2)(g)"
    assert record.consideration.value == 0.0  # "Selling Price: $0.00" on the excise stamp


def test_miami_dade_quitclaim_parties_and_return_to():
    record = DeterministicExtractor().extract_v1(real.view(real.MIAMI_DADE_QCD)).record
    assert record.recording.recording_county.value == "Miami-Dade"  # the stamp's "I-DADE" gives way to the body's
    assert [(p.full_name, p.vesting) for p in record.grantors] == [
        ("Elvis Jones Jr", "a single individual"),
        ("Elvis Jones Sr", "a married"),
    ]
    assert [p.full_name for p in record.grantees] == ["1637 LINK INVESTMENTS.LLC"]  # not its acting officer
    assert record.mail_to.name.value == "1637 LINK INVESTMENTS LLC"  # a company's line, though it starts with digits
    assert record.mail_to.address.value == "P.O BOX 422117, Miami, Florida 33242"


def test_a_grantee_ocr_cut_at_the_middle_initial_is_left_out():
    record = DeterministicExtractor().extract_v1(real.view(real.LEE_WD)).record
    assert [p.full_name for p in record.grantees] == ["April E. Smith"]  # not "Jose M." ("Acevedo," lost)
