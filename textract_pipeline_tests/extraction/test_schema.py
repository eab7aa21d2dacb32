import json

import pytest
from pydantic import ValidationError

from textract_pipeline.extraction import SCHEMA_VERSION, V1Record, v1_json_schema
from textract_pipeline.extraction.export_schema import SCHEMA_PATH, render_schema
from textract_pipeline.extraction.schema_v1 import DocumentType, Evidence


def test_shipped_schema_is_up_to_date():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "schema.json is stale: run python -m textract_pipeline.extraction.export_schema"
    )


def test_schema_carries_its_version_and_every_section():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert SCHEMA_VERSION in schema["$id"]
    for section in (
        "document_type",
        "recording",
        "grantors",
        "grantees",
        "property",
        "mail_to",
        "transfer_tax",
        "consideration",
        "dated_date",
        "notary_date",
        "title_company",
        "escrow_number",
        "checkboxes",
    ):
        assert section in schema["properties"]
    assert set(schema["$defs"]["DocumentType"]["enum"]) == {t.value for t in DocumentType}


def test_every_value_requires_evidence():
    with pytest.raises(ValidationError):
        V1Record.model_validate({"document_type": {"value": "grant_deed"}})
    record = V1Record.model_validate(
        {
            "document_type": {
                "value": "grant_deed",
                "evidence": {"page": 1, "source_text": "GRANT DEED", "confidence": 0.9},
            },
            "recording": {
                "recorded_date": {
                    "value": "2025-03-04",
                    "evidence": {"page": 1, "source_text": "03/04/2025", "confidence": 0.8},
                }
            },
        }
    )
    assert record.recording.recorded_date.value.isoformat() == "2025-03-04"
    assert record.schema_version == SCHEMA_VERSION


def test_confidence_and_unknown_fields_are_rejected():
    with pytest.raises(ValidationError):
        Evidence(page=1, source_text="x", confidence=1.5)
    with pytest.raises(ValidationError):
        V1Record.model_validate(
            {
                "document_type": {"value": "other", "evidence": {"source_text": "", "confidence": 0.5}},
                "sale_price_words": "four hundred",
            }
        )


def test_json_schema_function_matches_model():
    assert v1_json_schema()["properties"].keys() == V1Record.model_json_schema()["properties"].keys()
