"""Rendering: every layout becomes a 300-dpi Group-4 TIFF; options (watermark, handwriting) take effect."""

from __future__ import annotations

import json
import random

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from sample_deeds.fonts import HAND_ROLES
from sample_deeds.generator import compose_document, generate_document, main
from sample_deeds.ground_truth import GroundTruth, truth_path
from sample_deeds.layouts import LAYOUTS
from sample_deeds.layouts.blocks import date_long
from sample_deeds.page_model import Text, Watermark
from sample_deeds.render import rasterize
from sample_deeds.text_layer import textract_response


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_renders_a_scan_with_its_truth(layout, tmp_path):
    document = generate_document(random.Random(f"render-{layout}"), tmp_path, layout, layout=layout)
    image = Image.open(document.path)
    assert image.n_frames == document.truth.page_count == len(document.pages)
    assert image.mode == "1" and image.info["compression"] == "group4" and image.info["dpi"] == (300, 300)
    assert image.size == (2550, 3300)
    assert GroundTruth.load(truth_path(document.path)) == document.truth
    ink = 1 - np.asarray(image.convert("L"), dtype=float).mean() / 255
    assert 0.005 < ink < 0.25  # printed text, neither a blank page nor a black one


def test_watermark_is_drawn_across_every_page_in_scan_pdf_and_text_layer(tmp_path):
    choices = {"layout": "florida_deed", "scan_defects": False}
    marked = compose_document(random.Random(5), watermark="NOT AN OFFICIAL COPY", **choices)
    plain = compose_document(random.Random(5), watermark=False, **choices)
    assert marked.truth.render.watermark == "NOT AN OFFICIAL COPY" and plain.truth.render.watermark is None
    assert all(any(isinstance(item, Watermark) for item in page.items) for page in marked.pages)
    assert not any(isinstance(item, Watermark) for page in plain.pages for item in page.items)
    with_mark = np.asarray(rasterize(marked.pages[0]).convert("L")) == 0
    without = np.asarray(rasterize(plain.pages[0]).convert("L")) == 0
    assert with_mark.sum() > without.sum() * 1.05  # the mark adds ink ...
    assert (with_mark & ~without).sum() > 20_000  # ... where the page had none
    lines = [b["Text"] for b in textract_response(marked.pages)["Blocks"] if b["BlockType"] == "LINE"]
    assert lines.count("NOT AN OFFICIAL COPY") == len(marked.pages)
    pdf_document = generate_document(
        random.Random(5), tmp_path, "marked", pdf=True, watermark="UNOFFICIAL COPY", **choices
    )
    text = pdfium.PdfDocument(str(pdf_document.path))[0].get_textpage().get_text_range()
    assert "UNOFFICIAL COPY" in text


def test_header_watermark_sits_over_the_top_of_the_page():
    composed = compose_document(random.Random(2), layout="arizona_deed", watermark="Unofficial Document")
    mark = next(item for item in composed.pages[0].items if isinstance(item, Watermark))
    assert mark.center_y < 2.0 and 0 < mark.angle < 45


def _hand_texts(pages) -> list[Text]:
    return [item for page in pages for item in page.items if isinstance(item, Text) and item.role in HAND_ROLES]


def test_handwritten_dates_and_fill_ins_take_effect():
    choices = {"layout": "washington_deed"}
    hand = compose_document(random.Random(8), handwritten_dates=True, handwritten_fill_ins=True, **choices)
    typed = compose_document(random.Random(8), handwritten_dates=False, handwritten_fill_ins=False, **choices)
    day = hand.truth.dated_date
    forms = (date_long(day), f"{day.month}/{day.day}/{day:%y}")
    assert any(item.text in forms for item in _hand_texts(hand.pages))
    assert not any(item.text in forms for item in _hand_texts(typed.pages))
    printed_by_hand = [item for item in _hand_texts(hand.pages) if item.role == "hand_print"]
    assert any(hand.truth.grantors[0].full_name in item.text.upper() for item in printed_by_hand)
    assert not any(item.role == "hand_print" for item in _hand_texts(typed.pages))
    assert any(item.angle != 0 for item in _hand_texts(hand.pages))  # off the line, a little tilted
    words = [b for b in textract_response(hand.pages)["Blocks"] if b["BlockType"] == "WORD"]
    assert any(w["TextType"] == "HANDWRITING" and str(day.day) in w["Text"] for w in words)


@pytest.mark.parametrize("layout", ["deed_of_trust", "mortgage"])
def test_long_security_instruments_run_ten_to_twenty_pages(layout):
    for seed in range(6):
        truth = compose_document(random.Random(f"long-{seed}"), layout=layout).truth
        assert 10 <= truth.page_count <= 20
        assert truth.loan_amount and truth.grantees and truth.grantors
        assert bool(truth.trustees) == (layout == "deed_of_trust")


def test_command_line_writes_documents_and_truth(tmp_path, capsys):
    main(["--count", "2", "--seed", "4", "--out", str(tmp_path), "--state", "TX", "--no-watermark", "--handwriting"])
    truths = [GroundTruth.load(path) for path in sorted(tmp_path.glob("*.truth.json"))]
    assert len(truths) == 2 and len(list(tmp_path.glob("*.tif"))) == 2
    assert all(t.state == "TX" and t.render.watermark is None and t.render.handwritten_fill_ins for t in truths)
    assert json.loads((tmp_path / "deed_4_000.truth.json").read_text())["document_type"] in capsys.readouterr().out
