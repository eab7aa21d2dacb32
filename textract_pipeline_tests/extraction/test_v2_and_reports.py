import datetime as dt

from textract_pipeline.extraction import (
    DeterministicExtractor,
    render_schema_extensions,
    render_v2_summary,
)
from textract_pipeline.extraction.reports import extension_rows
from textract_pipeline.extraction.schema_v2 import ValueType
from textract_pipeline.extraction.v2 import snake_case, typed_value


def test_snake_case_and_typing():
    assert snake_case("APN/Parcel ID(s):") == "apn_parcel_id_s"
    assert snake_case("DOC #") == "doc_number"
    assert typed_value("$1,234.50") == (ValueType.MONEY, 1234.5)
    assert typed_value("March 3, 2025") == (ValueType.DATE, dt.date(2025, 3, 3))
    assert typed_value("12") == (ValueType.NUMBER, 12.0)
    assert typed_value("94110") == (ValueType.TEXT, "94110")


def test_v2_groups_generated_deed_by_section(ocr_document):
    v2 = DeterministicExtractor().extract_v2(ocr_document)
    names = [s.name for s in v2.sections]
    assert "header" in names and "grant_deed" in names
    paths = v2.paths()
    assert all(path == path.lower() and " " not in path for path in paths)
    fees = [f for p, f in paths.items() if p.endswith("total_fees")]
    assert fees and fees[0].value_type is ValueType.MONEY


def test_reports_on_generated_deed(generated_deed, ocr_document):
    extractor = DeterministicExtractor()
    v1, v2 = extractor.extract_v1(ocr_document), extractor.extract_v2(ocr_document)
    summary = render_v2_summary(v1, v2)
    truth = generated_deed.truth
    assert summary.startswith("# Grant Deed")
    assert truth.document_number in summary and truth.recorded_date.isoformat() in summary
    assert truth.grantors[0].full_name in summary and truth.apns[0] in summary
    assert "| **total** |" in summary
    extensions = render_schema_extensions(v1, v2)
    assert extensions.startswith("# Schema extensions")
    rows = extension_rows(v1, v2)
    # values V1 already holds are not extensions; recorder stamp extras (Titles, Taxes) are
    assert not any(example == truth.document_number for _, _, example, _ in rows)
    assert any(path.endswith("titles") for path, _, _, _ in rows)
    # the notary's commission is on the page but not in V1
    assert any(path == "acknowledgment.commission" for path, _, _, _ in rows)


def test_llm_extra_fields_are_reported(ocr_document):
    extractor = DeterministicExtractor()
    v1 = extractor.extract_v1(ocr_document)
    v1.extra_fields = {"recording.batch_id": "B-17"}
    report = render_schema_extensions(v1, extractor.extract_v2(ocr_document))
    assert "`recording.batch_id` | str | B-17 | deterministic extra field" in report


def test_reports_on_real_form(real_form_document):
    extractor = DeterministicExtractor()
    v1, v2 = extractor.extract_v1(real_form_document), extractor.extract_v2(real_form_document)
    assert "_not found_" in render_v2_summary(v1, v2)
    assert "123 Sample Street" in render_schema_extensions(v1, v2)


def test_v2_of_a_real_deed_is_clean_and_holds_every_v1_value():
    from textract_pipeline.extraction.v2_record import missing_record_values
    from textract_pipeline_tests.extraction import real_documents

    view = real_documents.view(real_documents.ORANGE_SWD)
    extractor = DeterministicExtractor()
    v1, v2 = extractor.extract_v1(view), extractor.extract_v2(view)
    fields = v2.paths()
    assert not missing_record_values(v2, v1.record)
    # no page furniture, no table cells pairing the return-to block with the recorder's stamp beside it
    assert not any("page" in f.label.lower() and "of" in f.raw_text.lower() for f in fields.values())
    assert "Phil Diamond, Comptroller" not in {f.value for f in fields.values()}
    # the notary's "My Comm. Expires Oct" = "24. 2025" comes back as one date
    expiry = [f for p, f in fields.items() if "comm_expires" in p]
    assert expiry and all(f.value == dt.date(2025, 10, 24) for f in expiry)
    rows = extension_rows(v1, v2)
    assert rows and not any(origin.startswith("V2 rules") for _, _, _, origin in rows)


def test_v2_quality_predicates():
    from textract_pipeline.extraction.v2_quality import mend_split_date, readable_label, readable_value

    assert mend_split_date("My Comm. Expires Feb", "6, 2025") == ("My Comm. Expires", "Feb 6, 2025")
    assert mend_split_date("Dated", "June 11, 2021") == ("Dated", "June 11, 2021")
    assert readable_label("Escrow No.") and readable_label("A.P.N.") and readable_label("1. Seller")
    assert not readable_label("RAJESH D. TORRES III")  # a printed name under a signature is not a label
    assert not readable_label("and efore me by means of") and not readable_label("24201 Walden Center Drive")
    assert readable_value("3") and readable_value("$18.50")
    assert not readable_value("{") and not readable_value("X_") and not readable_value("and")
