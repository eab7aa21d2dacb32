"""Form patterns found on documents outside the five reference fixtures, drawn with known content."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageDraw

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import key_value_pairs
from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import Word
from textract_pipeline.ocr.words import _is_noise
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, by_id, child_texts, draw_text, encode


def crossed_box(draw: ImageDraw.ImageDraw, left: int, top: int, size: int = 40, pen: int = 7) -> None:
    """A box crossed with a pen so heavy that little paper is left inside (as ☒ prints at small sizes)."""
    draw.rectangle((left, top, left + size, top + size), outline=0, width=4)
    draw.line((left + 4, top + 4, left + size - 4, top + size - 4), fill=0, width=pen)
    draw.line((left + 4, top + size - 4, left + size - 4, top + 4), fill=0, width=pen)


def hand_ticked_box(draw: ImageDraw.ImageDraw, left: int, top: int, size: int = 40) -> None:
    """A box with a tick whose long stroke runs out over its top edge."""
    draw.rectangle((left, top, left + size, top + size), outline=0, width=3)
    draw.line([(left + 6, top + 20), (left + 16, top + size - 6), (left + size + 12, top - 14)], fill=0, width=5)


def assert_one_table_of(response: dict, rows: list[list[str]]) -> None:
    blocks = by_id(response)
    assert len(blocks_of(response, "TABLE")) == 1
    cells = {(b["RowIndex"], b["ColumnIndex"]): child_texts(b, blocks) for b in blocks_of(response, "CELL")}
    assert cells == {(r + 1, c + 1): text for r, row in enumerate(rows) for c, text in enumerate(row)}


def states_and_words(engine: LocalOcrEngine, page) -> tuple[list[str], list[str]]:
    response = engine.analyze(encode(page))
    states = [b["SelectionStatus"] for b in sorted(blocks_of(response, "SELECTION_ELEMENT"), key=_left)]
    return states, [b["Text"] for b in blocks_of(response, "WORD")]


def _left(block: dict) -> float:
    return block["Geometry"]["BoundingBox"]["Left"]


def test_heavily_crossed_and_hand_ticked_boxes_are_selected_checkboxes_not_text(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw = ImageDraw.Draw(page)
    crossed_box(draw, 200, 300)
    draw_text(page, (270, 295), "computed on full value")
    hand_ticked_box(draw, 1100, 300)
    draw_text(page, (1170, 295), "Unincorporated area")
    draw.rectangle((1900, 300, 1940, 340), outline=0, width=3)
    draw_text(page, (1970, 295), "Exempt")
    states, words = states_and_words(engine, page)
    assert states == ["SELECTED", "SELECTED", "NOT_SELECTED"]
    assert words == ["computed", "on", "full", "value", "Unincorporated", "area", "Exempt"]


def test_a_ruled_table_keeps_its_title_and_section_rows(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1400)
    draw = ImageDraw.Draw(page)
    left, right, columns = 200, 2200, [200, 900, 1500, 2200]
    rows = [200, 300, 400, 500, 600, 700]  # title, header, section, two data rows
    for y in rows:
        draw.line((left, y, right, y), fill=0, width=3)
    for x in (left, right):
        draw.line((x, rows[0], x, rows[-1]), fill=0, width=3)
    for x in columns[1:-1]:  # inner column rules only where the rows have columns
        draw.line((x, rows[1], x, rows[2]), fill=0, width=3)
        draw.line((x, rows[3], x, rows[5]), fill=0, width=3)
    draw_text(page, (230, 225), "Balance Sheet")
    for column, text in zip(columns, ["Description", "Credit", "Balance"], strict=False):
        draw_text(page, (column + 30, 325), text)
    draw_text(page, (230, 425), "Year 2022")
    for row, cells in ((3, ["Previous Balance", "", "11,000"]), (4, ["Deposit", "1,000", "10,960"])):
        for column, text in zip(columns, cells, strict=False):
            if text:
                draw_text(page, (column + 30, rows[row] + 25), text)
    response = engine.analyze(encode(page))
    blocks = by_id(response)
    assert len(blocks_of(response, "TABLE")) == 1
    cell_texts = {child_texts(b, blocks) for b in blocks_of(response, "CELL")} - {""}
    assert {"Balance Sheet", "Description", "Year 2022", "Previous Balance", "10,960"} <= cell_texts
    pairs = key_value_pairs(response)
    assert pairs[("previous balance", "11,000")] == 1
    assert pairs[("deposit", "1,000 10,960")] == 1
    assert not any(key in ("description", "balance sheet") for key, _ in pairs)  # no numbers: not a field


def test_a_small_label_over_a_larger_value_is_a_pair(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw_text(page, (300, 300), "4b EXP", size=26)
    draw_text(page, (320, 336), "01/20/2028", size=52)
    draw_text(page, (1200, 300), "3 DOB", size=26)
    draw_text(page, (1220, 336), "03/18/2001", size=52)
    # A paragraph's lines share one size: no pairs.
    draw_text(page, (300, 700), "Recorded at the request of")
    draw_text(page, (300, 760), "the grantee named below")
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("4b exp", "01/20/2028")] == 1
    assert pairs[("3 dob", "03/18/2001")] == 1
    assert not any(key.startswith("recorded") for key, _ in pairs)


def test_doubtful_short_words_are_noise_unless_a_lone_capital_or_digit() -> None:
    box = Box(0, 0, 20, 20)
    assert _is_noise(Word("©", box, 45.0))
    assert _is_noise(Word("ee", box, 55.0))
    assert not _is_noise(Word("M", box, 54.0))  # a middle initial
    assert not _is_noise(Word("7", box, 40.0))
    assert not _is_noise(Word("of", box, 91.0))


def test_a_hash_or_dash_after_a_short_label_stands_for_a_colon(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1000)
    draw_text(page, (200, 150), "TERMINAL # C95778D3")
    draw_text(page, (200, 300), "TRANS ID - 2516267815")
    draw_text(page, (200, 450), "# ITEMS SOLD 4")
    draw_text(page, (200, 600), "Payment - Utility")  # a title with a dash, not a field
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("terminal", "c95778d3")] == 1
    assert pairs[("trans id", "2516267815")] == 1
    assert pairs[("items sold", "4")] == 1
    assert not any(key == "payment" for key, _ in pairs)


def test_a_list_ruled_only_between_rows_in_pale_grey_is_a_table(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1000)
    draw = ImageDraw.Draw(page)
    rows = [["docs", "Update examples", "last week"], ["helper", "Upgrade versions", "2 months ago"]]
    rows += [["images", "Update documentation", "5 months ago"], ["tests", "Fix tests", "last week"]]
    top, pitch = 150, 110
    draw.rectangle((150, top, 2350, top + pitch * len(rows)), outline=215, width=3)
    for index, row in enumerate(rows):
        if index:
            draw.line((150, top + index * pitch, 2350, top + index * pitch), fill=215, width=3)
        for column, text in zip((200, 900, 1900), row, strict=True):
            draw_text(page, (column, top + index * pitch + 30), text)
    assert_one_table_of(engine.analyze(encode(page)), rows)


def test_tinted_cells_with_white_gutters_are_a_table(engine: LocalOcrEngine) -> None:
    page = blank_page(2550, 1000)
    draw = ImageDraw.Draw(page)
    rows = [["Mon", "Tue", "Wed"], ["01", "02", "03"], ["08", "09", "10"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            left, top = 200 + c * 330, 100 + r * 170
            draw.rectangle((left, top, left + 310, top + 150), fill=205 if r else 180)
            draw_text(page, (left + 20, top + 50), text)
    draw_text(page, (200, 800), "A paragraph below the calendar")
    assert_one_table_of(engine.analyze(encode(page)), rows)


def test_the_shipped_sample_deed_reads_its_ticked_boxes_as_checkboxes(engine: LocalOcrEngine) -> None:
    """The PCOR-style boxes of the sample deed: ☒ computed on full value, ☐ less liens, ☒ unincorporated."""
    deed = Path(__file__).parents[2] / "sample_deeds" / "data" / "grant_deed_sample.tif"
    response = engine.analyze(deed.read_bytes())
    marks = sorted(blocks_of(response, "SELECTION_ELEMENT"), key=lambda b: b["Geometry"]["BoundingBox"]["Top"])
    assert [mark["SelectionStatus"] for mark in marks if mark["Page"] == 1] == ["SELECTED", "NOT_SELECTED", "SELECTED"]

    # No box comes out as a character too: no word sits on a checkbox ("&" for ☒ was the old misreading).
    def overlap(a: dict, b: dict) -> float:
        width = min(a["Left"] + a["Width"], b["Left"] + b["Width"]) - max(a["Left"], b["Left"])
        height = min(a["Top"] + a["Height"], b["Top"] + b["Height"]) - max(a["Top"], b["Top"])
        return max(width, 0) * max(height, 0) / min(a["Width"] * a["Height"], b["Width"] * b["Height"])

    words = [word for word in blocks_of(response, "WORD")]
    on_boxes = [
        word["Text"]
        for mark in marks
        for word in words
        if word["Page"] == mark["Page"]
        and overlap(word["Geometry"]["BoundingBox"], mark["Geometry"]["BoundingBox"]) > 0.5
    ]
    assert on_boxes == []
