"""The benchmark's measures, and the engine's behaviour under concurrent callers."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from benchmarks import ocr_vs_textract, tesseract_floor
from benchmarks.tesseract_floor import TesseractFloor
from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import compare, dangling_ids, normalize_text
from textract_pipeline_tests.ocr.conftest import blank_page, blocks_of, draw_text, encode


def word(block_id: str, text: str) -> dict:
    return {"BlockType": "WORD", "Id": block_id, "Text": text}


def key_value(key_id: str, value_id: str, key_words: list[str], value_words: list[str]) -> list[dict]:
    return [
        {
            "BlockType": "KEY_VALUE_SET",
            "Id": key_id,
            "EntityTypes": ["KEY"],
            "Relationships": [{"Type": "CHILD", "Ids": key_words}, {"Type": "VALUE", "Ids": [value_id]}],
        },
        {
            "BlockType": "KEY_VALUE_SET",
            "Id": value_id,
            "EntityTypes": ["VALUE"],
            "Relationships": [{"Type": "CHILD", "Ids": value_words}],
        },
    ]


def test_text_is_case_folded_and_trimmed_of_punctuation_at_word_ends() -> None:
    assert normalize_text("Grantor:  JOHN  Smith, (trustee)") == "grantor john smith trustee"
    assert normalize_text("5021-014-022 $1,100.00") == "5021-014-022 1,100.00"


def test_words_are_matched_as_multisets() -> None:
    reference = {"Blocks": [word("a", "the"), word("b", "the"), word("c", "deed")]}
    local = {"Blocks": [word("x", "The"), word("y", "deed."), word("z", "extra")]}
    words = compare(reference, local).words
    assert (words.matched, words.local, words.reference) == (2, 3, 3)
    assert round(words.f1, 3) == 0.667


def test_a_pair_counts_only_when_key_and_value_both_match() -> None:
    words = [word("k1", "APN:"), word("v1", "5021"), word("k2", "Date:"), word("v2", "5/1")]
    reference = {"Blocks": words + key_value("K1", "V1", ["k1"], ["v1"]) + key_value("K2", "V2", ["k2"], ["v2"])}
    local = {"Blocks": words + key_value("K1", "V1", ["k1"], ["v1"]) + key_value("K2", "V2", ["k2"], ["v1"])}
    key_values = compare(reference, local).key_values
    assert (key_values.found, key_values.total) == (1, 2)


def test_dangling_ids_are_reported() -> None:
    response = {
        "Blocks": [
            {"BlockType": "LINE", "Id": "l", "Relationships": [{"Type": "CHILD", "Ids": ["w", "gone"]}]},
            word("w", "x"),
        ]
    }
    assert dangling_ids(response) == ["gone"]


PAGE_TEXTS = ("Grantor Alice Smith", "Grantee Robert Jones", "Parcel 5021 Pasadena")


def text_pages() -> list[Image.Image]:
    """One short printed line a page, the lines of PAGE_TEXTS."""
    pages = []
    for text in PAGE_TEXTS:
        page = blank_page(1800, 400)
        draw_text(page, (150, 150), text)
        pages.append(page)
    return pages


def test_one_engine_shared_by_threads_serializes_calls(engine: LocalOcrEngine) -> None:
    documents = [(text, encode(page)) for text, page in zip(PAGE_TEXTS, text_pages(), strict=True)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(engine.analyze, [data for _, data in documents] * 2))
    expected = [text for text, _ in documents] * 2
    assert [[b["Text"] for b in blocks_of(r, "LINE")] for r in responses] == [[text] for text in expected]


@pytest.fixture(scope="module")
def floor() -> TesseractFloor:
    return TesseractFloor()


def three_page_tiff() -> bytes:
    first, *rest = text_pages()
    return encode(first, "TIFF", save_all=True, append_images=rest)


def test_tesseract_floor_recognizes_every_scanned_page_up_to_the_limit(floor: TesseractFloor) -> None:
    whole = floor.measure(three_page_tiff())
    assert (whole.pages, whole.recognized) == (3, 3)
    assert whole.cpu_seconds > 0
    first_two = floor.measure(three_page_tiff(), max_pages=2)
    assert (first_two.pages, first_two.recognized) == (2, 2)


def test_tesseract_floor_costs_nothing_on_a_text_layer_pdf(floor: TesseractFloor, fixtures_dir: Path) -> None:
    bare = floor.measure((fixtures_dir / "sample-invoice.pdf").read_bytes())
    assert (bare.pages, bare.recognized, bare.cpu_seconds) == (1, 0, 0.0)


def test_benchmark_prints_the_engine_beside_tesseract_alone(
    tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("single-page-1.png", "sample-invoice.pdf"):
        shutil.copy(fixtures_dir / name, tmp_path / name)
        shutil.copy(fixtures_dir / f"{name}.textract.json", tmp_path / f"{name}.textract.json")
    assert ocr_vs_textract.main([str(tmp_path), "--many-pages", "0"]) == 0
    rows = {
        line.split(" | ")[0].strip("| "): line.strip("|").split(" | ")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("| ")
    }
    header = rows["document"]
    column = {name.strip(): index for index, name in enumerate(header)}
    scan, pdf, overall = rows["single-page-1.png"], rows["sample-invoice.pdf"], rows["**overall**"]
    assert len(scan) == len(pdf) == len(overall) == len(header)
    assert float(scan[column["tesseract alone s/page"]]) > 0
    assert float(scan[column["engine ÷ tesseract"]]) > 0
    assert pdf[column["engine ÷ tesseract"]].strip() == "n/a (text layer)"
    # Overall, only the scan was recognized: its multiple is the overall one.
    assert overall[column["engine ÷ tesseract"]] == scan[column["engine ÷ tesseract"]]


def test_floor_command_reports_each_document_and_goes_on_past_an_unreadable_one(
    tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deed.tiff").write_bytes(three_page_tiff())
    shutil.copy(fixtures_dir / "sample-invoice.pdf", tmp_path / "invoice.pdf")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    (tmp_path / "notes.txt").write_text("not a document")
    assert tesseract_floor.main([str(tmp_path)]) == 0
    rows = [line.strip("|").split(" | ") for line in capsys.readouterr().out.splitlines()[2:]]
    by_name = {row[0].strip(): row for row in rows}
    assert list(by_name) == ["broken.png", "deed.tiff", "invoice.pdf", "**overall (scanned pages)**"]
    assert "unreadable: the file is not a PDF, TIFF, PNG or JPEG" in by_name["broken.png"][1]
    assert by_name["deed.tiff"][1] == "3" and float(by_name["deed.tiff"][3]) > 0
    assert by_name["invoice.pdf"][4].strip() == "n/a (text layer)"
    overall = by_name["**overall (scanned pages)**"]
    assert overall[1] == "3" and overall[2:] == by_name["deed.tiff"][2:]
