"""A corpus of bad inputs through the real embedded pipeline, beside good documents that must still complete."""

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest
from fpdf import FPDF
from PIL import Image

from sample_deeds import sample_paths
from textract_pipeline.documents import document_id_for_key
from textract_pipeline.process import process_paths
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.settings import Settings
from textract_pipeline_tests.conftest import tiff_bytes

GOOD_PDF = next(path for path in sample_paths() if path.suffix == ".pdf")
GOOD_TIFF = next(path for path in sample_paths() if path.suffix == ".tif")


def encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="GRANT DEED")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


def zero_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pypdfium2.PdfDocument.new().save(buffer)
    return buffer.getvalue()


def bomb_tiff() -> bytes:
    """20000 x 20000 pixels declared, 25 KB on disk."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000), 1).save(buffer, format="TIFF", compression="group4")
    return buffer.getvalue()


BAD_INPUTS = {
    "empty.tif": (lambda: b"", "file is empty"),
    "truncated.tif": (lambda: GOOD_TIFF.read_bytes()[:-10], "corrupt or truncated"),
    "prices.tif": (lambda: b"apn,price\n123-456,400000\n", "not a TIFF, PDF, PNG or JPEG"),
    "notes.pdf": (lambda: b"Call the escrow officer on Monday.\n", "not a TIFF, PDF, PNG or JPEG"),
    "locked.pdf": (encrypted_pdf, "PDF is encrypted"),
    "no pages.pdf": (zero_page_pdf, "document has no pages"),
    "bomb.tif": (bomb_tiff, "too large to decode safely"),
    "too many pages.tif": (lambda: tiff_bytes(pages=4), "4 pages, over the limit of 3"),
}
ODD_BUT_VALID_NAMES = ["deed with spaces.pdf", "escritura ñandú 日本.pdf", "d" * 200 + ".pdf", "mislabeled.tif"]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    inputs = root / "inputs"
    inputs.mkdir()
    for name, (make, _) in BAD_INPUTS.items():
        (inputs / name).write_bytes(make())
    for name in ODD_BUT_VALID_NAMES:
        shutil.copy(GOOD_PDF, inputs / name)
    settings = Settings.from_environ(
        {"TEXTRACT_PIPELINE_DATA_DIR": str(root / "data"), "TEXTRACT_PIPELINE_MAX_PAGES": "3"}
    )
    report = process_paths([inputs], settings)
    return root, settings, {outcome.object_key.removeprefix("incoming/"): outcome for outcome in report.outcomes}


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_each_bad_input_fails_with_its_reason_and_is_kept(corpus_run, name):
    root, settings, outcomes = corpus_run
    record = outcomes[name].record
    assert record.status == DocumentStatus.FAILED
    assert record.reason.startswith("source_document: ")
    assert BAD_INPUTS[name][1] in record.reason
    assert "Traceback" not in record.reason
    data = settings.data_dir
    assert (data / record.outputs["failed_copy"]).read_bytes() == (root / "inputs" / name).read_bytes()
    log = json.loads((data / record.outputs["error_log"]).read_text())
    assert log["reason"] in record.reason and log["object_key"] == f"incoming/{name}"
    assert record.outputs["error_log"].startswith(f"failed/{datetime.now(UTC):%Y-%m-%d}/")
    assert (data / "incoming" / name).exists(), "nothing is deleted"


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("name", ODD_BUT_VALID_NAMES)
def test_good_documents_with_odd_names_still_complete(corpus_run, name):
    _, settings, outcomes = corpus_run
    record = outcomes[name].record
    assert record.status == DocumentStatus.COMPLETED, record.reason
    assert all((settings.data_dir / key).is_file() for key in record.outputs.values())


@pytest.mark.slow
@pytest.mark.integration
def test_a_pdf_named_tif_is_processed_as_a_pdf_with_a_warning(corpus_run):
    record = corpus_run[2]["mislabeled.tif"].record
    assert record.warnings == ["name suggests image/tiff but the content is application/pdf"]


@pytest.mark.slow
@pytest.mark.integration
def test_nothing_is_written_outside_the_data_folder(corpus_run):
    root, settings, _ = corpus_run
    outside = [
        p for p in root.rglob("*") if p.is_file() and settings.data_dir not in p.parents and p.parent.name != "inputs"
    ]
    assert outside == []


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("incoming/../../escape.tif", "'.' or '..' segments"),
        ("incoming/./hidden.tif", "'.' or '..' segments"),
        ("/incoming/absolute.tif", "not a relative key"),
    ],
)
def test_unsafe_keys_from_a_bucket_listing_fail_without_escaping(
    run_document, fake_textract, document_store, tracking, key, reason
):
    stored = StoredObject(key=key, version="1", size=10, last_modified=datetime.now(UTC))
    result = run_document(key, None, fake_textract(), stored=stored)
    assert not result.success
    record = tracking.get(document_id_for_key(key))
    assert record.status == DocumentStatus.FAILED and reason in record.reason
    log = json.loads(document_store.read_text(record.outputs["error_log"]))
    assert log["original_copy"] is None and reason in log["copy_error"]
    assert not (Path(document_store.root).parent / "escape.tif").exists()
