"""LAYOUT_* blocks: headers, footers, page numbers and section headers, as Textract's LAYOUT feature."""

from __future__ import annotations

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import compare
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, by_id, draw_text, encode


def layout_of(response: dict) -> dict[str, list[str]]:
    blocks = by_id(response)
    found: dict[str, list[str]] = {}
    for block in blocks.values():
        if block["BlockType"].startswith("LAYOUT_"):
            ids = [i for rel in block.get("Relationships", []) for i in rel["Ids"]]
            found.setdefault(block["BlockType"], []).extend(blocks[i]["Text"] for i in ids)
    return found


def test_header_footer_page_number_and_section_headers(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 3300)
    draw_text(page, (200, 90), "Recorder's Office County of Orange")
    draw_text(page, (200, 700), "4.2 Legal Description")
    draw_text(page, (200, 780), "The land referred to herein is situated in the County of Orange")
    draw_text(page, (200, 840), "and is described as follows in the attached exhibit")
    draw_text(page, (200, 3150), "Page 2 of 3")
    layout = layout_of(engine.analyze(encode(page)))
    assert layout["LAYOUT_HEADER"] == ["Recorder's Office County of Orange"]
    assert layout["LAYOUT_SECTION_HEADER"] == ["4.2 Legal Description"]
    assert layout["LAYOUT_PAGE_NUMBER"] == ["Page 2 of 3"]
    assert "The land referred to herein is situated in the County of Orange" in layout["LAYOUT_TEXT"]


def test_a_sentence_is_not_a_section_header(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1400)
    draw_text(page, (200, 300), "Signed and delivered.")
    draw_text(page, (200, 380), "The grantor signs below in the presence of a notary")
    assert "LAYOUT_SECTION_HEADER" not in layout_of(engine.analyze(encode(page)))


def test_layout_recall_counts_the_lines_of_typed_layout_blocks(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 3300)
    draw_text(page, (200, 700), "Body text of the page, long enough to be text")
    draw_text(page, (200, 3150), "Page 2 of 3")
    response = engine.analyze(encode(page))
    assert compare(response, response).layout.recall == 1.0
    [number] = blocks_of(response, "LAYOUT_PAGE_NUMBER")
    number["BlockType"] = "LAYOUT_FOOTER"  # the same line, typed differently, is not found
    assert compare(response, engine.analyze(encode(page))).layout.found == 0
