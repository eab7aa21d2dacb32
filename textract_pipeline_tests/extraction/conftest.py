"""Shared, expensive fixtures: one generated deed, OCR'd once per session."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sample_deeds.generator import GeneratedDocument, generate_document
from textract_pipeline.extraction.schema_v1 import DocumentType
from textract_pipeline.textract_document import load_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def generated_deed(tmp_path_factory) -> GeneratedDocument:
    """A clean three-page grant deed (stamp, exhibit, notary page) as a Group-4 TIFF."""
    out = tmp_path_factory.mktemp("deed")
    return generate_document(
        random.Random(4242),
        out,
        "grant",
        document_type=DocumentType.GRANT_DEED,
        layout="exhibit",
        family="caladea",
        scan_defects=False,
        handwritten_dates=False,
        handwritten_fill_ins=False,
        watermark=False,
    )


@pytest.fixture(scope="session")
def ocr_response(generated_deed) -> dict:
    from textract_pipeline.ocr import analyze_document

    return analyze_document(generated_deed.path.read_bytes())


@pytest.fixture(scope="session")
def ocr_document(ocr_response):
    return load_document(ocr_response)


@pytest.fixture(scope="session")
def real_form_document():
    """A real Amazon Textract response for a (non-deed) benefits application form."""
    return load_document(json.loads((FIXTURES / "form.png.textract.json").read_text()))
