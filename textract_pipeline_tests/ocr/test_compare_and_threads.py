"""The benchmark's measures, and the engine's behaviour under concurrent callers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

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


def test_one_engine_shared_by_threads_serializes_calls(engine: LocalOcrEngine) -> None:
    documents = []
    for text in ("Grantor Alice Smith", "Grantee Robert Jones", "Parcel 5021 Pasadena"):
        page = blank_page(1800, 400)
        draw_text(page, (150, 150), text)
        documents.append((text, encode(page)))
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(engine.analyze, [data for _, data in documents] * 2))
    expected = [text for text, _ in documents] * 2
    assert [[b["Text"] for b in blocks_of(r, "LINE")] for r in responses] == [[text] for text in expected]
