"""PAGE / LINE / WORD blocks from every supported input kind."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.textract_document import load_document
from textract_pipeline_tests.ocr.conftest import (
    blank_page,
    blocks_of,
    by_id,
    child_texts,
    draw_text,
    encode,
)

FIRST = "GRANT DEED recorded 2024"
SECOND = "Assessor Parcel Number 5021"


def two_line_page() -> Image.Image:
    page = blank_page()
    draw_text(page, (300, 300), FIRST)
    draw_text(page, (300, 500), SECOND)
    return page


def line_texts(response: dict, page: int | None = None) -> list[str]:
    return [b["Text"] for b in blocks_of(response, "LINE") if page is None or b["Page"] == page]


def test_lines_and_words_of_a_png(engine: LocalOcrEngine) -> None:
    response = engine.analyze(encode(two_line_page()))
    assert response["DocumentMetadata"] == {"Pages": 1}
    assert line_texts(response) == [FIRST, SECOND]
    blocks = by_id(response)
    first_line = blocks_of(response, "LINE")[0]
    assert child_texts(first_line, blocks) == FIRST
    assert [b["Text"] for b in blocks_of(response, "WORD")] == (FIRST + " " + SECOND).split()
    assert all(0 <= b["Confidence"] <= 100 for b in blocks_of(response, "WORD"))


def test_word_geometry_is_normalized_to_the_page(engine: LocalOcrEngine) -> None:
    response = engine.analyze(encode(two_line_page()))
    grant = next(b for b in blocks_of(response, "WORD") if b["Text"] == "GRANT")
    box = grant["Geometry"]["BoundingBox"]
    assert box["Left"] == pytest.approx(300 / 2550, abs=0.01)
    assert box["Top"] == pytest.approx(300 / 1200, abs=0.02)
    polygon = grant["Geometry"]["Polygon"]
    assert polygon[0]["X"] < polygon[1]["X"] and polygon[1]["Y"] < polygon[2]["Y"]


def test_multi_page_tiff_in_every_pixel_format(engine: LocalOcrEngine) -> None:
    bilevel = two_line_page().convert("1")
    rgba = two_line_page().convert("RGBA")
    gray = two_line_page()
    data = encode(
        bilevel,
        "TIFF",
        compression="tiff_lzw",
        save_all=True,
        append_images=[gray, rgba, rgba.convert("RGB")],
    )
    response = engine.analyze(data)
    assert response["DocumentMetadata"]["Pages"] == 4
    for page in (1, 2, 3, 4):
        assert line_texts(response, page) == [FIRST, SECOND]
    assert len(blocks_of(response, "PAGE")) == 4


def test_group4_bilevel_tiff(engine: LocalOcrEngine) -> None:
    bilevel = two_line_page().convert("1")
    data = encode(
        bilevel,
        "TIFF",
        compression="group4",
        dpi=(300, 300),
        save_all=True,
        append_images=[bilevel],
    )
    response = engine.analyze(data)
    assert [line_texts(response, page) for page in (1, 2)] == [
        [FIRST, SECOND],
        [FIRST, SECOND],
    ]


def test_transparent_rgba_is_read_on_white_paper(engine: LocalOcrEngine) -> None:
    ink_only = Image.new("RGBA", (2550, 1200), (0, 0, 0, 0))
    ink_only.putalpha(Image.eval(two_line_page(), lambda v: 255 - v))
    assert line_texts(engine.analyze(encode(ink_only))) == [FIRST, SECOND]


def test_low_resolution_scan_is_upscaled(engine: LocalOcrEngine) -> None:
    small = two_line_page().resize((2550 * 72 // 300, 1200 * 72 // 300), Image.Resampling.LANCZOS)
    response = engine.analyze(encode(small, "TIFF", dpi=(72, 72)))
    assert line_texts(response) == [FIRST, SECOND]


def test_upside_down_scan_is_turned_and_geometry_refers_to_the_scan(
    engine: LocalOcrEngine,
) -> None:
    page = two_line_page()
    response = engine.analyze(encode(page.rotate(180)))
    assert line_texts(response) == [FIRST, SECOND]
    grant = next(b for b in blocks_of(response, "WORD") if b["Text"] == "GRANT")
    box = grant["Geometry"]["BoundingBox"]
    # On the rotated scan "GRANT" sits near the bottom right.
    assert box["Left"] + box["Width"] == pytest.approx(1 - 300 / 2550, abs=0.01)
    assert box["Top"] > 0.7
    first_point = grant["Geometry"]["Polygon"][0]
    assert first_point["X"] > grant["Geometry"]["Polygon"][1]["X"]  # text runs right-to-left on the scan


def test_scanned_pdf_is_rendered_and_read(engine: LocalOcrEngine) -> None:
    data = encode(two_line_page().convert("RGB"), "PDF", resolution=300)
    assert line_texts(engine.analyze(data)) == [FIRST, SECOND]


def test_pdf_text_layer_is_read_without_ocr(engine: LocalOcrEngine, fixtures_dir) -> None:
    data = (fixtures_dir / "sample-invoice.pdf").read_bytes()
    response = engine.analyze(data)
    lines = line_texts(response)
    assert lines[0] == "Invoice"
    assert "INV-3337" in lines
    assert all(b["Confidence"] == 99.0 for b in blocks_of(response, "WORD"))


def test_response_parses_with_textractor(engine: LocalOcrEngine) -> None:
    document = load_document(engine.analyze(encode(two_line_page())))
    assert [line.text for line in document.pages[0].lines] == [FIRST, SECOND]
    assert FIRST in document.to_markdown()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"hello, this is not an image", "not a PDF, TIFF, PNG or JPEG"),
        (b"%PDF-1.7\n garbage", "PDF is damaged"),
    ],
)
def test_unreadable_input_says_why(engine: LocalOcrEngine, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocumentError, match=reason):
        engine.analyze(data)


def test_truncated_image_says_why(engine: LocalOcrEngine) -> None:
    data = encode(two_line_page(), "TIFF")
    with pytest.raises(UnreadableDocumentError, match="damaged"):
        engine.analyze(data[: len(data) // 3])


def test_pdf_pages_are_counted_like_textract(engine: LocalOcrEngine) -> None:
    document = pdfium.PdfDocument.new()
    for _ in range(2):
        document.new_page(612, 792)
    buffer = io.BytesIO()
    document.save(buffer)
    response = engine.analyze(buffer.getvalue())
    assert response["DocumentMetadata"]["Pages"] == 2
    assert blocks_of(response, "LINE") == []


def test_module_level_analyze_document_reuses_one_engine() -> None:
    from textract_pipeline.ocr import analyze_document
    from textract_pipeline.ocr.engine import _shared_engine

    assert line_texts(analyze_document(encode(two_line_page()))) == [FIRST, SECOND]
    assert _shared_engine() is _shared_engine()


def test_sideways_scan_is_turned(engine: LocalOcrEngine) -> None:
    response = engine.analyze(encode(two_line_page().rotate(90, expand=True)))
    assert line_texts(response) == [FIRST, SECOND]
    grant = next(b for b in blocks_of(response, "WORD") if b["Text"] == "GRANT")
    box = grant["Geometry"]["BoundingBox"]
    # Turned counter-clockwise, the text runs bottom to top along the scan's left half.
    assert box["Height"] > box["Width"]
    assert box["Left"] < 0.5


def test_skewed_scan_is_deskewed_and_polygons_follow_the_skew(engine: LocalOcrEngine) -> None:
    skewed = two_line_page().rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    response = engine.analyze(encode(skewed))
    assert line_texts(response) == [FIRST, SECOND]
    line = blocks_of(response, "LINE")[0]
    top_left, top_right = line["Geometry"]["Polygon"][:2]
    width, height = skewed.size
    rise = (top_left["Y"] - top_right["Y"]) * height
    run = (top_right["X"] - top_left["X"]) * width
    assert rise / run == pytest.approx(0.052, abs=0.015)  # tan(3 degrees): the line climbs to the right


def text_layer_pdf(rotation: int = 0) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.text(72, 100, FIRST)
    pdf.text(72, 140, SECOND)
    document = pdfium.PdfDocument(bytes(pdf.output()))
    document[0].set_rotation(rotation)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_generated_pdf_text_layer_gives_lines_and_geometry(engine: LocalOcrEngine) -> None:
    response = engine.analyze(text_layer_pdf())
    assert line_texts(response) == [FIRST, SECOND]
    grant = next(b for b in blocks_of(response, "WORD") if b["Text"] == "GRANT")
    assert grant["Geometry"]["BoundingBox"]["Left"] == pytest.approx(72 / 612, abs=0.005)


def test_rotated_pdf_page_is_read_as_displayed(engine: LocalOcrEngine) -> None:
    assert line_texts(engine.analyze(text_layer_pdf(rotation=90))) == [FIRST, SECOND]


WATERMARK = "NOT AN OFFICIAL COPY - PUBLIC ACCESS"


def scan_with_watermark_text_layer_pdf() -> bytes:
    """A scanned page (an image) under a one-line text-layer watermark, as county portals serve them."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    scan = two_line_page()
    pdf.image(scan, x=0, y=72, w=612, h=612 * scan.height / scan.width)
    pdf.set_font("helvetica", size=8)
    pdf.text(72, 760, WATERMARK)
    return bytes(pdf.output())


def test_scan_under_a_watermark_text_layer_is_ocrd(engine: LocalOcrEngine) -> None:
    data = scan_with_watermark_text_layer_pdf()
    page = pdfium.PdfDocument(data)[0]
    assert WATERMARK in page.get_textpage().get_text_range()
    lines = line_texts(engine.analyze(data))
    assert FIRST in lines
    assert SECOND in lines


def test_text_layer_ink_share_tells_born_digital_from_watermarked_scan(fixtures_dir) -> None:
    from textract_pipeline.ocr.pages import MIN_TEXT_LAYER_INK_SHARE, _iter_pdf_pages, text_layer_ink_share

    born_digital = next(_iter_pdf_pages((fixtures_dir / "sample-invoice.pdf").read_bytes(), 150))
    assert born_digital.text_lines is not None
    assert text_layer_ink_share(born_digital.image, born_digital.text_lines) > MIN_TEXT_LAYER_INK_SHARE
    watermarked = next(_iter_pdf_pages(scan_with_watermark_text_layer_pdf(), 150))
    assert watermarked.text_lines is None
