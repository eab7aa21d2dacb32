"""Bare ticks are checkboxes and not text; a "Label: value" value runs on to the lines under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ImageDraw, ImageFont

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import key_value_pairs
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, draw_text, encode, font

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


def test_a_colon_value_continues_on_the_lines_under_it(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 900)
    draw_text(page, (150, 150), "Mailing Address: 1200 Market Street")
    draw_text(page, (150 + round(font().getlength("Mailing Address: ")), 205), "Springfield, IL 62704")
    draw_text(page, (150, 300), "Phone: 555-201-7788")
    draw_text(page, (1400, 150), "Name: Jane Q. Smith")
    draw_text(page, (1400, 205), "Parcel: 12-0045-7")
    response = engine.analyze(encode(page))

    pairs = key_value_pairs(response)
    assert pairs[("mailing address", "1200 market street springfield il 62704")] == 1, pairs
    assert pairs[("phone", "555-201-7788")] == 1, pairs
    assert pairs[("name", "jane q smith")] == 1, pairs
    assert pairs[("parcel", "12-0045-7")] == 1, pairs


def test_a_value_does_not_run_on_to_a_line_with_a_label_of_its_own(engine: LocalOcrEngine) -> None:
    """The next row's value lines up under this one's, but a colon-less label stands left of it."""
    page = blank_page(2550, 700)
    draw_text(page, (150, 150), "Owner: Jane Q. Smith")
    value_left = 150 + round(font().getlength("Owner: "))
    draw_text(page, (150, 205), "Tel")
    draw_text(page, (value_left, 205), "555-201-7788")
    response = engine.analyze(encode(page))

    pairs = key_value_pairs(response)
    assert pairs[("owner", "jane q smith")] == 1, pairs
