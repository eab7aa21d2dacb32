"""Headings tesseract's layout analysis loses in a pale shaded, ruled table row are read by the recovery pass."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.ocr_generated_forms import generate
from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import compare
from textract_pipeline_tests.ocr.conftest import blocks_of


def test_the_headings_of_a_pale_shaded_header_row_are_words_and_cells(engine: LocalOcrEngine, tmp_path: Path) -> None:
    """The fourth generated form of seed 1 (72 dpi) has a table whose header row is shaded pale grey (235).

    Tesseract takes the ruled, shaded row for a picture and reads none of it. Each heading is a
    short bold word alone in its cell (its letters run together into one component), which the
    recovery pass reads region by region.
    """
    page = generate(4, 1, tmp_path)[3]
    response = engine.analyze(page.read_bytes())

    words = {block["Text"] for block in blocks_of(response, "WORD")}
    assert {"Date", "Amount", "Code"} <= words, sorted(words)
    reference = json.loads(page.with_name(page.name + ".textract.json").read_text())
    assert compare(reference, response).table_cells.recall >= 0.9
