"""Form, checkbox, table and layout block builders on generated pages with known content."""

from __future__ import annotations

from PIL import Image, ImageDraw

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import key_value_pairs
from textract_pipeline.ocr.geometry import Box, PageFrame
from textract_pipeline.textract_document import load_document
from textract_pipeline_tests.ocr.conftest import (
    blank_page,
    blocks_of,
    by_id,
    child_texts,
    draw_text,
    encode,
)


def checkbox(page: Image.Image, left: int, top: int, selected: bool, size: int = 36) -> None:
    draw = ImageDraw.Draw(page)
    draw.rectangle((left, top, left + size, top + size), outline=0, width=3)
    if selected:
        draw.rectangle((left + 8, top + 8, left + size - 8, top + size - 8), fill=0)


def test_label_colon_value_pairs(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw_text(page, (200, 200), "Grantor: John Smith")
    draw_text(page, (200, 400), "Recording Date:")
    draw_text(page, (1200, 400), "March 3, 2021")
    draw_text(page, (200, 600), "Situs Address:")
    draw_text(page, (200, 680), "14 Oak Lane Pasadena")
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("grantor", "john smith")] == 1
    assert pairs[("recording date", "march 3 2021")] == 1
    assert pairs[("situs address", "14 oak lane pasadena")] == 1


def test_checkboxes_become_selection_elements_and_pairs(engine: LocalOcrEngine) -> None:
    page = blank_page()
    checkbox(page, 200, 300, selected=True)
    draw_text(page, (260, 295), "Grant Deed")
    checkbox(page, 900, 300, selected=False)
    draw_text(page, (960, 295), "Quitclaim")
    response = engine.analyze(encode(page))
    states = sorted(b["SelectionStatus"] for b in blocks_of(response, "SELECTION_ELEMENT"))
    assert states == ["NOT_SELECTED", "SELECTED"]
    pairs = key_value_pairs(response)
    assert pairs[("grant deed", "selected")] == 1
    assert pairs[("quitclaim", "not_selected")] == 1
    # The box frames are not words.
    assert [b["Text"] for b in blocks_of(response, "WORD")] == [
        "Grant",
        "Deed",
        "Quitclaim",
    ]


def test_ruled_table_cells(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw = ImageDraw.Draw(page)
    rows, columns = [300, 400, 500, 600], [200, 800, 1400, 2000]
    for y in rows:
        draw.line((columns[0], y, columns[-1], y), fill=0, width=3)
    for x in columns:
        draw.line((x, rows[0], x, rows[-1]), fill=0, width=3)
    texts = [
        ["Parcel", "Owner", "Value"],
        ["5021", "Smith", "100"],
        ["7730", "Jones", "250"],
    ]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            draw_text(page, (columns[c] + 30, rows[r] + 25), text)
    response = engine.analyze(encode(page))
    blocks = by_id(response)
    [table] = blocks_of(response, "TABLE")
    cells = {(b["RowIndex"], b["ColumnIndex"]): child_texts(b, blocks) for b in blocks_of(response, "CELL")}
    assert cells == {(r + 1, c + 1): text for r, row in enumerate(texts) for c, text in enumerate(row)}
    assert table["EntityTypes"] == ["STRUCTURED_TABLE"]
    assert load_document(response).tables[0].to_pandas().shape == (3, 3)


def test_aligned_table_without_rules(engine: LocalOcrEngine) -> None:
    page = blank_page()
    rows = [
        ["Earnings", "Hours", "Amount"],
        ["Regular", "32.00", "320.00"],
        ["Overtime", "1.00", "15.00"],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw_text(page, (200 + 700 * c, 300 + 70 * r), text)
    response = engine.analyze(encode(page))
    blocks = by_id(response)
    cells = {(b["RowIndex"], b["ColumnIndex"]): child_texts(b, blocks) for b in blocks_of(response, "CELL")}
    assert cells == {(r + 1, c + 1): text for r, row in enumerate(rows) for c, text in enumerate(row)}


def test_title_and_text_layout(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw_text(page, (600, 100), "QUITCLAIM DEED", size=90)
    draw_text(page, (200, 400), "The undersigned grantor declares that the documentary")
    draw_text(page, (200, 470), "transfer tax is zero and the property is unincorporated.")
    response = engine.analyze(encode(page))
    blocks = by_id(response)
    layout = {
        b["BlockType"]: [blocks[i]["Text"] for i in b["Relationships"][0]["Ids"]]
        for b in response["Blocks"]
        if b["BlockType"].startswith("LAYOUT_")
    }
    assert layout["LAYOUT_TITLE"] == ["QUITCLAIM DEED"]
    assert len(layout["LAYOUT_TEXT"]) == 2


def test_frame_maps_rotated_working_pixels_back_to_the_scan() -> None:
    # A 200 x 100 scan turned 90 degrees counter-clockwise is a 100 x 200 working image at 2x.
    frame = PageFrame.for_image(200, 100).rotated(90, 100, 200).scaled(2.0, 200, 400)
    geometry = frame.geometry(Box(0, 0, 20, 40))
    first = geometry["Polygon"][0]
    # The working image's top-left corner was the scan's top-right corner.
    assert (round(first["X"], 3), round(first["Y"], 3)) == (1.0, 0.0)
    box = geometry["BoundingBox"]
    assert (round(box["Width"], 3), round(box["Height"], 3)) == (0.1, 0.1)


def test_ruled_form_field_label_above_value(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for y in (300, 480):
        draw.line((150, y, 2400, y), fill=0, width=3)
    draw_text(page, (200, 310), "Assessor Parcel Number", size=30)
    draw_text(page, (200, 420), "5021-014-022")
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("assessor parcel number", "5021-014-022")] == 1


def test_header_row_over_value_row_gives_one_pair_per_column(engine: LocalOcrEngine) -> None:
    page = blank_page()
    for c, (header, value) in enumerate([("Book", "6201"), ("Page", "117"), ("Instrument", "2024-0435")]):
        draw_text(page, (200 + 700 * c, 300), header)
        draw_text(page, (200 + 700 * c, 370), value)
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("book", "6201")] == pairs[("page", "117")] == pairs[("instrument", "2024-0435")] == 1


def test_checkbox_column_of_a_ruled_table(engine: LocalOcrEngine) -> None:
    """A yes/no grid column where one cell is filled: the empty cells are unticked boxes."""
    page = blank_page()
    draw = ImageDraw.Draw(page)
    rows, columns = [300, 400, 500, 600], [200, 1000, 1200]
    for y in rows:
        draw.line((columns[0], y, columns[-1], y), fill=0, width=3)
    for x in columns:
        draw.line((x, rows[0], x, rows[-1]), fill=0, width=3)
    for r, text in enumerate(["Owner", "Smith", "Jones"]):
        draw_text(page, (230, rows[r] + 25), text)
    draw_text(page, (1030, rows[0] + 25), "Yes")
    draw.rectangle((1085, rows[1] + 35, 1115, rows[1] + 65), fill=0)
    response = engine.analyze(encode(page))
    blocks = by_id(response)
    states = {}
    for cell in blocks_of(response, "CELL"):
        ids = [i for rel in cell.get("Relationships", []) for i in rel["Ids"]]
        marks = [blocks[i]["SelectionStatus"] for i in ids if blocks[i]["BlockType"] == "SELECTION_ELEMENT"]
        if marks:
            states[(cell["RowIndex"], cell["ColumnIndex"])] = marks
    assert states == {(2, 2): ["SELECTED"], (3, 2): ["NOT_SELECTED"]}


def test_blank_field_box_and_fill_in_blank(engine: LocalOcrEngine) -> None:
    page = blank_page()
    draw = ImageDraw.Draw(page)
    for y in (300, 480):
        draw.line((150, y, 2400, y), fill=0, width=3)
    draw_text(page, (200, 310), "Mailing Address", size=30)
    draw_text(page, (200, 700), "Date paid off")
    draw.line((520, 740, 1100, 740), fill=0, width=3)
    pairs = key_value_pairs(engine.analyze(encode(page)))
    assert pairs[("mailing address", "")] == 1
    assert pairs[("date paid off", "")] == 1
