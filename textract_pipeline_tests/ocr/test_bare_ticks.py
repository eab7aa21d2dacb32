"""Bare ticks (✓ ✔ printed without a box) are SELECTED checkboxes, never text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ImageDraw, ImageFont

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import key_value_pairs
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, draw_text, encode

# DejaVu Sans has the ✓ and ✔ glyphs (the Arial the other tests draw with does not).
TICK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not TICK_FONT.exists(), reason="needs DejaVu Sans for the tick glyphs")
@pytest.mark.parametrize("tick", ["✓", "✔"])
def test_a_bare_tick_before_a_label_is_a_selected_checkbox_and_not_text(engine: LocalOcrEngine, tick: str) -> None:
    page = blank_page(2550, 700)
    font = ImageFont.truetype(str(TICK_FONT), 50)
    draw = ImageDraw.Draw(page)
    draw.text((150, 150), f"{tick} Single", font=font, fill=0)
    draw.text((1200, 150), f"{tick} Owner occupied", font=font, fill=0)
    draw.text((150, 400), "Type V engine and a J Smith", font=font, fill=0)
    response = engine.analyze(encode(page))

    words = [block["Text"] for block in blocks_of(response, "WORD")]
    assert words.count("V") == 1 and "J" in words, words  # letters in a sentence stay text
    assert not {"v", "Y", "y", "/", "✓", "✔"} & set(words), words
    marks = blocks_of(response, "SELECTION_ELEMENT")
    assert [mark["SelectionStatus"] for mark in marks] == ["SELECTED", "SELECTED"]
    pairs = key_value_pairs(response)
    assert pairs[("single", "SELECTED".casefold())] == 1, pairs
    assert pairs[("owner occupied", "SELECTED".casefold())] == 1, pairs


def test_a_tick_drawn_by_pen_before_a_label_is_a_selected_checkbox_and_not_text(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 500)
    draw = ImageDraw.Draw(page)
    for left, label in ((150, "Single"), (1200, "Rental")):
        # Short left arm down to the vertex, long right arm up past the top of the text.
        draw.line([(left, 185), (left + 14, 205), (left + 40, 150)], fill=0, width=6, joint="curve")
        draw_text(page, (left + 70, 160), label)
    response = engine.analyze(encode(page))

    words = [block["Text"] for block in blocks_of(response, "WORD")]
    assert words == ["Single", "Rental"], words
    assert [mark["SelectionStatus"] for mark in blocks_of(response, "SELECTION_ELEMENT")] == ["SELECTED", "SELECTED"]
    pairs = key_value_pairs(response)
    assert pairs[("single", "selected")] == 1 and pairs[("rental", "selected")] == 1, pairs
