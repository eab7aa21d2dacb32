import io

import pytest
from fpdf import FPDF
from PIL import Image

from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.pages import iter_pages
from textract_pipeline.validation import (
    DocumentLimits,
    InvalidDocumentError,
    validate_document,
)
from textract_pipeline_tests.test_bad_input import encrypted_pdf, zero_page_pdf

LIMITS = DocumentLimits()


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(text=f"GRANT DEED page {page + 1}")
    return bytes(pdf.output())


def test_multi_page_group4_tiff_is_accepted_with_its_page_count(make_tiff):
    validated = validate_document("incoming/deed.tif", make_tiff(pages=3), LIMITS)
    assert (validated.media_type, validated.pages, validated.warnings) == ("image/tiff", 3, [])


def test_pdf_is_counted_by_pages():
    validated = validate_document("incoming/deed.PDF", pdf_bytes(pages=2), LIMITS)
    assert (validated.media_type, validated.pages) == ("application/pdf", 2)


def test_content_decides_and_a_lying_name_is_a_warning():
    validated = validate_document("incoming/deed.tif", pdf_bytes(), LIMITS)
    assert validated.media_type == "application/pdf"
    assert validated.warnings == ["name suggests image/tiff but the content is application/pdf"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"parcel,price\n1,2\n", "not a TIFF, PDF, PNG or JPEG"),
        (b"%PDF-1.7\n garbage", "PDF is corrupt"),
    ],
)
def test_bad_input_gets_a_reason_a_person_understands(data, reason):
    with pytest.raises(InvalidDocumentError, match=reason):
        validate_document("incoming/deed.tif", data, LIMITS)


def test_truncated_tiff_is_rejected(make_tiff):
    data = make_tiff(pages=2)
    with pytest.raises(InvalidDocumentError, match="corrupt or truncated"):
        validate_document("incoming/deed.tif", data[: len(data) // 2], LIMITS)


def test_limits_on_size_pages_and_pixels(make_tiff):
    with pytest.raises(InvalidDocumentError, match="over the limit of 100 bytes"):
        validate_document("incoming/deed.tif", make_tiff(), DocumentLimits(max_bytes=100))
    with pytest.raises(InvalidDocumentError, match="3 pages, over the limit of 2"):
        validate_document("incoming/deed.tif", make_tiff(pages=3), DocumentLimits(max_pages=2))
    with pytest.raises(InvalidDocumentError, match="decompression bomb"):
        validate_document("incoming/deed.tif", make_tiff(), DocumentLimits(max_pixels_per_page=1000))


def test_png_page_is_accepted():
    buffer = io.BytesIO()
    Image.new("L", (100, 100), 255).save(buffer, format="PNG")
    assert validate_document("incoming/page.png", buffer.getvalue(), LIMITS).media_type == "image/png"


def test_an_empty_pdf_after_an_encrypted_one_is_not_called_encrypted():
    """PDFium keeps the password error of the last file it failed on; each file gets its own reason."""
    for data, reason in [(encrypted_pdf(), "encrypted"), (zero_page_pdf(), "no pages"), (encrypted_pdf(), "encrypted")]:
        with pytest.raises(InvalidDocumentError, match=reason):
            validate_document("incoming/deed.pdf", data, LIMITS)
        with pytest.raises(UnreadableDocumentError, match=reason):
            list(iter_pages(data, 300))
