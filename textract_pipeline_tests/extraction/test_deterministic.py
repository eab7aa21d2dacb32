import random

import pytest

from sample_deeds.generator import compose_document
from sample_deeds.layouts import california
from sample_deeds.text_layer import textract_response
from textract_pipeline.extraction import DeterministicExtractor, DocumentType
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.rules.instrument import title_type
from textract_pipeline.textract_document import load_document


def _names(parties):
    return {normalize_name(p.full_name) for p in parties}


def test_ocr_generated_grant_deed(generated_deed, ocr_document):
    truth = generated_deed.truth
    record = DeterministicExtractor().extract_v1(ocr_document).record
    assert record.document_type.value is DocumentType.GRANT_DEED
    assert record.recording.document_number.value == truth.document_number
    assert record.recording.recorded_date.value == truth.recorded_date
    assert {a.value for a in record.property.apns} == set(truth.apns)
    assert _names(record.grantors) == _names(truth.grantors)
    assert _names(record.grantees) == _names(truth.grantees)
    assert record.transfer_tax.amount.value == pytest.approx(truth.transfer_tax_amount)
    assert record.recording.recording_county.value == truth.recording_county
    assert record.notary_date.value == truth.notary_date
    # evidence points back at the scan
    assert record.recording.document_number.evidence.page in (1, 2, 3)
    source_text = record.recording.document_number.evidence.source_text
    assert truth.document_number in "".join(c for c in source_text if c.isalnum())
    assert 0 < record.grantors[0].evidence.confidence <= 1


@pytest.mark.parametrize("document_type", california.TYPES, ids=lambda t: t.value)
def test_rules_on_exact_text_of_every_document_type(document_type):
    """Exact text (no OCR) isolates rule errors; every California type and layout family."""
    rng = random.Random(f"rules-{document_type.value}")
    composed = compose_document(
        rng, document_type=document_type, layout=rng.choice(california.LAYOUTS), watermark=False
    )
    truth = composed.truth
    record = DeterministicExtractor().extract_v1(load_document(textract_response(composed.pages))).record
    assert record.document_type.value == document_type
    assert record.recording.document_number.value == truth.document_number
    assert record.recording.page_count.value == truth.page_count
    assert _names(record.grantors) == _names(truth.grantors)
    assert _names(record.grantees) == _names(truth.grantees)
    assert normalize_name(record.mail_to.name.value) == normalize_name(truth.mail_to_name)
    if truth.transfer_tax_exemption:
        assert record.transfer_tax.exemption.value == truth.transfer_tax_exemption
    if truth.loan_amount:
        assert record.loan_amount.value == truth.loan_amount


def test_real_textract_form_degrades_to_other(real_form_document):
    extractor = DeterministicExtractor()
    result = extractor.extract_v1(real_form_document)
    assert result.record.document_type.value is DocumentType.OTHER
    assert result.record.grantors == [] and result.record.property.apns == []
    assert result.extractor == "deterministic" and result.usage.input_tokens == 0
    # checkboxes from Textract's SELECTION_ELEMENTs still come through
    assert any(box.selected for box in result.record.checkboxes)
    v2 = extractor.extract_v2(real_form_document)
    paths = v2.paths()
    assert len(paths) > 20
    assert any(field.value == "123 Sample Street" for field in paths.values())


@pytest.mark.parametrize(
    "title", ["MORTGAGE", "Real Estate Mortgage", "Open-End Mortgage", "SECOND MORTGAGE", "Mortgage Deed"]
)
def test_mortgage_titles_name_a_mortgage(title):
    assert title_type(title) == DocumentType.MORTGAGE
