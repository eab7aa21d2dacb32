"""Streaming pages, skew measured before recognition, downscaled dense scans, recovered text, new form rules."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pytest
from PIL import Image, ImageDraw

from textract_pipeline.ocr import LocalOcrEngine, preprocess
from textract_pipeline.ocr import engine as engine_module
from textract_pipeline.ocr.compare import key_value_pairs
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.geometry import PageFrame
from textract_pipeline.ocr.model import PageContent
from textract_pipeline.ocr.recover import recover_unread_text, unread_regions
from textract_pipeline.ocr.selection import ink_mask
from textract_pipeline.ocr.words import recognize
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, draw_text, encode

LINES = ["GRANT DEED recorded 2024", "Assessor Parcel Number 5021", "Escrow Number 88-1203 closed"]


def text_page(lines: list[str] = LINES, top: int = 300) -> Image.Image:
    page = blank_page(2550, 1400)
    for index, text in enumerate(lines):
        draw_text(page, (300, top + 200 * index), text)
    return page


def multi_page_tiff(pages: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def canonical(blocks: list[dict]) -> list[dict]:
    """Blocks with their random Ids replaced by the order in which each Id first appears."""
    order: dict[str, str] = {}

    def name(block_id: str) -> str:
        return order.setdefault(block_id, f"#{len(order)}")

    result = []
    for block in blocks:
        copy = dict(block, Id=name(block["Id"]))
        if "Relationships" in block:
            copy["Relationships"] = [
                {"Type": rel["Type"], "Ids": [name(i) for i in rel["Ids"]]} for rel in block["Relationships"]
            ]
        result.append(copy)
    return result


# --- analyze_pages --------------------------------------------------------------------------------


def test_analyze_pages_yields_each_page_with_its_own_blocks(engine: LocalOcrEngine) -> None:
    pages = [text_page([f"Page {n} of the deed"]) for n in (1, 2, 3)]
    data = multi_page_tiff(pages)
    streamed = list(engine.analyze_pages(data))
    assert [number for number, _ in streamed] == [1, 2, 3]
    for number, blocks in streamed:
        assert {block["Page"] for block in blocks} == {number}
        assert [b["Text"] for b in blocks if b["BlockType"] == "LINE"] == [f"Page {number} of the deed"]
        assert sum(block["BlockType"] == "PAGE" for block in blocks) == 1
    whole = engine.analyze(data)
    assert whole["DocumentMetadata"]["Pages"] == 3
    assert canonical([block for _, blocks in streamed for block in blocks]) == canonical(whole["Blocks"])


def test_analyze_pages_reads_lazily_up_to_a_damaged_page(engine: LocalOcrEngine) -> None:
    good = multi_page_tiff([text_page(["First page"]), text_page(["Second page"]), text_page(["Third page"])])
    damaged = good[: len(good) - 2000]  # the last frame's pixels are cut off
    pages = engine.analyze_pages(damaged)
    number, blocks = next(pages)
    assert number == 1 and any(b.get("Text") == "First page" for b in blocks)
    with pytest.raises(UnreadableDocumentError, match="damaged"):
        list(pages)
    # The engine is free again: an abandoned or failed iterator holds no lock.
    assert engine.analyze(encode(text_page(["After the failure"])))["DocumentMetadata"]["Pages"] == 1


def test_analyze_pages_rejects_non_bytes_at_once(engine: LocalOcrEngine) -> None:
    with pytest.raises(UnreadableDocumentError, match="expected the document's bytes"):
        engine.analyze_pages("not bytes")  # type: ignore[arg-type]


def test_abandoned_page_iterator_does_not_block_the_engine(engine: LocalOcrEngine) -> None:
    pages = engine.analyze_pages(multi_page_tiff([text_page(["One"]), text_page(["Two"])]))
    next(pages)
    response = engine.analyze(encode(text_page(["Another document"])))  # would deadlock if the lock were held
    assert [b["Text"] for b in blocks_of(response, "LINE")] == ["Another document"]
    assert [number for number, _ in pages] == [2]


# --- skew and orientation from the ink, one recognition ---------------------------------------------


@pytest.mark.parametrize("degrees", [-4.0, -0.8, 0.6, 2.5])
def test_skew_is_measured_from_the_ink(degrees: float) -> None:
    page = text_page().rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    gray = np.asarray(page)
    angles = preprocess.text_line_angles(ink_mask(gray), preprocess.median_glyph_height(gray))
    assert angles.skew_degrees == pytest.approx(-degrees, abs=0.2)
    assert not angles.looks_sideways


def test_sideways_page_is_recognized_from_the_ink() -> None:
    gray = np.asarray(text_page().rotate(90, expand=True))
    angles = preprocess.text_line_angles(ink_mask(gray), preprocess.median_glyph_height(gray))
    assert angles.looks_sideways


def test_a_blank_page_has_no_measurable_skew() -> None:
    gray = np.asarray(blank_page())
    assert preprocess.text_line_angles(ink_mask(gray), 18.0).skew_degrees is None


def count_recognitions(monkeypatch: pytest.MonkeyPatch) -> Counter:
    calls: Counter = Counter()

    def counting(api, image, budget=None):
        calls["recognize"] += 1
        return recognize(api, image, budget)

    monkeypatch.setattr(engine_module, "recognize", counting)
    return calls


@pytest.mark.parametrize("degrees", [0.0, 0.7, 3.0])
def test_a_skewed_scan_is_recognized_once(
    engine: LocalOcrEngine, monkeypatch: pytest.MonkeyPatch, degrees: float
) -> None:
    calls = count_recognitions(monkeypatch)
    page = text_page().rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    response = engine.analyze(encode(page))
    assert [b["Text"] for b in blocks_of(response, "LINE")] == LINES
    assert calls["recognize"] == 1


def test_a_sideways_scan_is_turned_before_it_is_read(engine: LocalOcrEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_recognitions(monkeypatch)
    response = engine.analyze(encode(text_page().rotate(270, expand=True)))
    assert [b["Text"] for b in blocks_of(response, "LINE")] == LINES
    assert calls["recognize"] == 1


def test_deskew_rotation_and_frame_agree() -> None:
    """A point drawn on the scan maps back to where it was after the working image is rotated."""
    image = Image.new("L", (1000, 600), 255)
    ImageDraw.Draw(image).rectangle((700, 100, 710, 110), fill=0)
    frame = PageFrame.for_image(1000, 600)
    turned, turned_frame = preprocess.rotate(image, frame, 4.0)
    ys, xs = np.nonzero(np.asarray(turned) < 128)
    x, y = xs.mean(), ys.mean()
    geometry = turned_frame.geometry(preprocess_box(x, y))
    center = geometry["BoundingBox"]
    assert center["Left"] == pytest.approx(705.5 / 1000, abs=0.003)
    assert center["Top"] == pytest.approx(105.5 / 600, abs=0.005)


def preprocess_box(x: float, y: float):
    from textract_pipeline.ocr.geometry import Box

    return Box(x, y, x, y)


# --- resolution ----------------------------------------------------------------------------------


def test_dense_300_dpi_text_is_read_downscaled() -> None:
    assert preprocess.scale_for_glyph_height(28.0) == pytest.approx(18.0 / 28.0)
    assert preprocess.scale_for_glyph_height(20.0) == 1.0  # close enough to the target: left alone
    assert preprocess.scale_for_glyph_height(9.0) == pytest.approx(2.0)
    assert preprocess.scale_for_glyph_height(None) == 1.0


def test_large_print_is_read_correctly_after_downscaling(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1400)
    draw_text(page, (300, 300), "Documentary Transfer Tax 1100", size=60)
    gray = np.asarray(page)
    assert preprocess.resolution_scale(gray) < 0.8
    response = engine.analyze(encode(page))
    assert [b["Text"] for b in blocks_of(response, "LINE")] == ["Documentary Transfer Tax 1100"]
    word = blocks_of(response, "WORD")[0]["Geometry"]["BoundingBox"]
    assert word["Left"] == pytest.approx(300 / 2550, abs=0.005)  # geometry refers to the page as submitted


# --- text tesseract dropped ------------------------------------------------------------------------


def read_page_content(engine: LocalOcrEngine, page: Image.Image) -> PageContent:
    gray = np.asarray(page)
    result = recognize(engine._api, page)
    return PageContent(1, PageFrame.for_image(page.width, page.height), gray, result.lines, ink=ink_mask(gray))


def test_a_line_tesseract_dropped_is_read_again(engine: LocalOcrEngine) -> None:
    page = text_page()
    content = read_page_content(engine, page)
    assert [line.text for line in content.lines] == LINES
    content.lines = [content.lines[0], content.lines[2]]  # as if layout analysis had lost the middle line
    added = recover_unread_text(engine._api, content, preprocess.median_glyph_height(np.asarray(page)))
    assert added == 4
    assert [line.text for line in content.lines] == LINES  # back in reading order


def test_a_fully_read_page_with_specks_and_rules_has_nothing_to_recover(engine: LocalOcrEngine) -> None:
    page = text_page()
    draw = ImageDraw.Draw(page)
    draw.line((200, 1200, 2300, 1200), fill=0, width=4)
    draw.rectangle((250, 250, 1500, 900), outline=0, width=3)
    pixels = np.asarray(page).copy()
    rng = np.random.default_rng(3)
    pixels[rng.integers(0, pixels.shape[0], 1500), rng.integers(0, pixels.shape[1], 1500)] = 0
    page = Image.fromarray(pixels)
    content = read_page_content(engine, page)
    assert unread_regions(content.ink, [w.box for w in content.words], 30.0) == []


# --- form rules ----------------------------------------------------------------------------------


def test_label_only_cells_of_a_ruled_form_grid_are_empty_fields(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1400)
    draw = ImageDraw.Draw(page)
    rows, columns = [300, 500, 700], [200, 900, 1600, 2300]
    for y in rows:
        draw.line((columns[0], y, columns[-1], y), fill=0, width=3)
    for x in columns:
        draw.line((x, rows[0], x, rows[-1]), fill=0, width=3)
    labels = [["Grantor", "Grantee", "Escrow"], ["County", "Parcel", "Recorded"]]
    for r, row in enumerate(labels):
        for c, label in enumerate(row):
            draw_text(page, (columns[c] + 25, rows[r] + 15), label, size=34)
    pairs = key_value_pairs(engine.analyze(encode(page)))
    for label in (word for row in labels for word in row):
        assert pairs[(label.lower(), "")] == 1


def test_filled_table_cells_are_not_empty_fields(engine: LocalOcrEngine) -> None:
    """Cells whose text fills them (a data table) give no key with an empty value."""
    page = blank_page(2550, 1400)
    draw = ImageDraw.Draw(page)
    rows, columns = [300, 380, 460, 540], [200, 900, 1600]
    for y in rows:
        draw.line((columns[0], y, columns[-1], y), fill=0, width=3)
    for x in columns:
        draw.line((x, rows[0], x, rows[-1]), fill=0, width=3)
    for r, (name, amount) in enumerate([("Item", "Amount"), ("Recording", "21.00"), ("Transfer", "110.00")]):
        draw_text(page, (columns[0] + 25, rows[r] + 18), name, size=34)
        draw_text(page, (columns[1] + 25, rows[r] + 18), amount, size=34)
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert not [pair for pair in pairs if pair[1] == ""]


def test_label_and_numbers_without_a_colon(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1600)
    draw_text(page, (200, 200), "Page 1/1")
    draw_text(page, (200, 400), "Gross Pay")
    draw_text(page, (900, 400), "$ 452.43")
    draw_text(page, (1300, 400), "23,526.80")
    draw_text(page, (1800, 400), "Vac Hrs")
    draw_text(page, (2200, 400), "40.00")
    draw_text(page, (200, 600), "Regular")
    for n, value in enumerate(["10.00", "32.00", "320.00", "16,640.00"]):
        draw_text(page, (700 + 400 * n, 600), value)
    draw_text(page, (200, 800), "ANYTOWN, USA 10101")
    draw_text(page, (200, 1000), "Lot 14 of Tract No. 5821 as per map recorded in Book 62 Page 17")
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("page", "1/1")] == 1
    assert pairs[("gross pay", "452.43 23,526.80")] == 1
    assert pairs[("vac hrs", "40.00")] == 1
    keys = {key for key, _ in pairs}
    assert not keys & {"regular", "anytown usa", "lot", "book", "of tract no"}
