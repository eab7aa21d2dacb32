"""textract_document: streamed writing and reading of Textract responses, page by page."""

from __future__ import annotations

import io
import json
import math
import random
import statistics
from pathlib import Path

import pytest

from textract_pipeline.textract_document import (
    ResponseReader,
    ResponseStats,
    StatsCounter,
    iter_page_documents,
    iter_response_pages,
    load_document,
    markdown_preview,
    page_count,
    pages_of_response,
    preview,
    response_stats,
    word_stats,
    write_response,
    write_response_dict,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_response(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.textract.json").read_text())


def multi_page(response: dict, copies: int) -> dict:
    """A real one-page response repeated as pages 1..copies (ids made unique, Page keys set)."""
    blocks = []
    for page in range(1, copies + 1):
        for block in response["Blocks"]:
            copy = {**block, "Id": f"{block['Id']}-{page}", "Page": page}
            if "Relationships" in block:
                copy["Relationships"] = [
                    {**relation, "Ids": [f"{i}-{page}" for i in relation["Ids"]]} for relation in block["Relationships"]
                ]
            blocks.append(copy)
    return {**response, "DocumentMetadata": {"Pages": copies}, "Blocks": blocks}


@pytest.fixture(scope="module")
def form() -> dict:
    return fixture_response("form.png")


@pytest.fixture(scope="module")
def small() -> dict:
    return fixture_response("single-page-1.png")


@pytest.fixture(scope="module")
def five_pages(small) -> dict:
    return multi_page(small, 5)


def written(response: dict) -> bytes:
    buffer = io.BytesIO()
    write_response_dict(buffer, response)
    return buffer.getvalue()


# -- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["form.png", "single-page-1.png"])
def test_written_file_round_trips_a_real_response(name, tmp_path):
    response = fixture_response(name)
    path = tmp_path / "response.json"
    stats = write_response_dict(path, response)
    assert json.loads(path.read_text()) == response
    words, mean = word_stats(response)
    assert stats == ResponseStats(
        pages=page_count(response), words=words, mean_confidence=mean, blocks=len(response["Blocks"])
    )
    assert load_document(json.loads(path.read_text())).to_markdown() == load_document(response).to_markdown()


def test_written_multi_page_file_round_trips_and_textractor_reads_it(five_pages, tmp_path):
    path = tmp_path / "response.json"
    stats = write_response_dict(path, five_pages)
    assert json.loads(path.read_bytes()) == five_pages
    assert (stats.pages, stats.words, stats.mean_confidence) == (5, *word_stats(five_pages))
    document = load_document(json.loads(path.read_text()))
    assert [page.page_num for page in document.pages] == [1, 2, 3, 4, 5]


def test_writer_streams_pages_as_they_come(five_pages, tmp_path):
    """Each page is on disk before the next one is asked for: nothing accumulates in the writer."""
    path = tmp_path / "response.json"
    sizes = []
    with open(path, "wb") as out:

        def pages():
            for page, blocks in pages_of_response(five_pages):
                out.flush()
                sizes.append(path.stat().st_size)
                yield page, blocks

        stats = write_response(out, pages(), extra={"AnalyzeDocumentModelVersion": "1.0"})
    assert stats.pages == 5
    assert all(later > earlier for earlier, later in zip(sizes[1:], sizes[2:], strict=False))
    assert sizes[-1] > 0.7 * path.stat().st_size  # four of five pages were written before the fifth came
    data = json.loads(path.read_text())
    assert data["DocumentMetadata"] == {"Pages": 5} and data["AnalyzeDocumentModelVersion"] == "1.0"


def test_writer_refuses_pages_out_of_order_and_mislabeled_blocks(small):
    blocks = small["Blocks"]
    with pytest.raises(ValueError, match="ascending"):
        write_response(io.BytesIO(), [(2, blocks), (1, blocks)])
    with pytest.raises(ValueError, match="ascending"):
        write_response(io.BytesIO(), [(1, blocks), (1, blocks)])
    with pytest.raises(ValueError, match="Page 3"):
        write_response(io.BytesIO(), [(1, [{**blocks[0], "Page": 3}])])
    with pytest.raises(ValueError, match="Blocks"):
        write_response(io.BytesIO(), [], extra={"Blocks": []})


def test_empty_response():
    data = io.BytesIO()
    stats = write_response(data, [])
    assert json.loads(data.getvalue()) == {"Blocks": [], "DocumentMetadata": {"Pages": 0}}
    assert stats == ResponseStats(pages=0, words=0, mean_confidence=0.0, blocks=0)
    assert list(iter_response_pages(io.BytesIO(data.getvalue()))) == []


def test_mean_confidence_is_exact_whatever_the_page_order():
    rng = random.Random(3)
    values = [rng.uniform(0, 100) for _ in range(5000)] + [1e16, 1.0, -1e16, 0.1, 0.2, 0.3]
    words = [{"BlockType": "WORD", "Confidence": value} for value in values]
    forwards, backwards = StatsCounter(), StatsCounter()
    for start in range(0, len(words), 100):
        forwards.add_page(words[start : start + 100])
        backwards.add_page(words[::-1][start : start + 100])
    assert forwards.result().mean_confidence == backwards.result().mean_confidence == statistics.fmean(values)
    assert forwards.result().mean_confidence * len(values) == pytest.approx(math.fsum(values))


# -- reading ----------------------------------------------------------------------------------


def test_pages_come_in_order_with_their_blocks(five_pages):
    pages = list(iter_response_pages(io.BytesIO(written(five_pages))))
    assert [number for number, _ in pages] == [1, 2, 3, 4, 5]
    for number, blocks in pages:
        assert blocks == [block for block in five_pages["Blocks"] if block["Page"] == number]


def test_a_response_without_page_keys_is_page_one(form):
    ((number, blocks),) = list(iter_response_pages(FIXTURES / "form.png.textract.json"))
    assert number == 1 and blocks == form["Blocks"]


@pytest.mark.parametrize("buffer_bytes", [1, 7, 64, 4096])
def test_any_read_size_gives_the_same_pages(five_pages, buffer_bytes):
    """Values cut by the read buffer (numbers, strings, escapes, multi-byte characters) decode as json.loads does."""
    first = {**five_pages["Blocks"][0], "Text": '\u00e9t\u00e9 \U0001f600 "Page": 9 \\'}
    response = {
        **five_pages,
        "Blocks": [first, *five_pages["Blocks"][1:]],
        "Note": 'caf\u00e9 \u2013 \\"quoted\\" 12345.678e-3',
        "Count": 12345.678e-3,
        "Done": True,
    }
    data = json.dumps(response, ensure_ascii=False).encode()
    reader = ResponseReader(io.BytesIO(data), buffer_bytes=buffer_bytes)
    pages = list(reader.pages())
    assert reader.in_order
    assert [block for _, blocks in pages for block in blocks] == response["Blocks"]
    assert reader.header == {key: value for key, value in response.items() if key != "Blocks"}


def test_pages_whose_blocks_are_interleaved_are_regrouped(five_pages):
    """Textract does not promise a page's blocks are contiguous: the reader spills and regroups them."""
    blocks = list(five_pages["Blocks"])
    random.Random(7).shuffle(blocks)
    shuffled = {**five_pages, "Blocks": blocks}
    reader = ResponseReader(io.BytesIO(json.dumps(shuffled).encode()))
    pages = list(reader.pages())
    assert reader.in_order is False
    assert [number for number, _ in pages] == [1, 2, 3, 4, 5]
    for number, page_blocks in pages:
        assert page_blocks == [block for block in blocks if block["Page"] == number]
    # descending runs are not in order either
    backwards = {**five_pages, "Blocks": sorted(five_pages["Blocks"], key=lambda block: -block["Page"])}
    reader = ResponseReader(io.BytesIO(json.dumps(backwards).encode()))
    assert [number for number, _ in reader.pages()] == [1, 2, 3, 4, 5] and reader.in_order is False


def test_written_file_of_interleaved_blocks_is_grouped_by_page(five_pages):
    blocks = list(five_pages["Blocks"])
    random.Random(8).shuffle(blocks)
    data = json.loads(written({**five_pages, "Blocks": blocks}))
    assert [block["Page"] for block in data["Blocks"]] == sorted(block["Page"] for block in blocks)
    assert sorted(json.dumps(b, sort_keys=True) for b in data["Blocks"]) == sorted(
        json.dumps(b, sort_keys=True) for b in blocks
    )


class _CountingReader(io.BytesIO):
    """Counts the bytes read since the last seek to the start (the survey reads the whole file first)."""

    def seek(self, *args):
        self.since_seek = 0
        return super().seek(*args)

    def read(self, size=-1):
        data = super().read(size)
        self.since_seek += len(data)
        return data


def test_first_page_is_yielded_before_the_file_is_parsed(small):
    big = multi_page(small, 60)
    source = _CountingReader(written(big))
    reader = ResponseReader(source, buffer_bytes=8192)
    pages = reader.pages()
    number, blocks = next(pages)
    assert number == 1 and len(blocks) == len(small["Blocks"])
    assert source.since_seek < len(source.getvalue()) / 10
    pages.close()


def test_broken_files_are_refused_before_any_page(five_pages):
    data = written(five_pages)
    for broken in (data[: len(data) // 2], data + b" {}"):
        pages = iter_response_pages(io.BytesIO(broken))
        with pytest.raises(ValueError, match="not valid JSON"):
            next(pages)


def test_streamed_stats_equal_whole_response_stats(form, five_pages, tmp_path):
    for response in (form, five_pages):
        path = tmp_path / "r.json"
        path.write_text(json.dumps(response))  # written the old way: DocumentMetadata first
        stats = response_stats(path)
        assert (stats.pages, stats.words, stats.mean_confidence) == (page_count(response), *word_stats(response))


def test_page_documents_carry_their_page_numbers(five_pages):
    chunks = list(iter_page_documents(io.BytesIO(written(five_pages)), pages_per_chunk=2))
    assert [chunk.page_numbers for chunk in chunks] == [(1, 2), (3, 4), (5,)]
    assert [len(chunk.document.pages) for chunk in chunks] == [2, 2, 1]
    whole = load_document(five_pages)
    assert chunks[2].document.pages[0].text == whole.pages[4].text
    with pytest.raises(ValueError):
        list(iter_page_documents(io.BytesIO(written(five_pages)), pages_per_chunk=0))


# -- preview ----------------------------------------------------------------------------------


@pytest.mark.parametrize("max_chars", [0, 50, 455, 456, 1000, 4000, 100_000])
def test_preview_equals_the_cut_of_the_whole_markdown(five_pages, max_chars):
    markdown = load_document(five_pages).to_markdown()
    expected = markdown if len(markdown) <= max_chars else markdown[:max_chars] + "\n\n…"
    assert markdown_preview(io.BytesIO(written(five_pages)), max_chars) == expected


def test_preview_parses_only_the_first_pages(small, monkeypatch):
    parsed = []
    real = preview.load_page_document

    def counting(pages):
        parsed.append([number for number, _ in pages])
        return real(pages)

    monkeypatch.setattr(preview, "load_page_document", counting)
    markdown = markdown_preview(io.BytesIO(written(multi_page(small, 40))), max_chars=1000)
    assert len(markdown) == 1000 + len("\n\n…")
    assert parsed == [[1], [2], [3]]  # ~455 characters a page


@pytest.mark.parametrize("buffer_bytes", [1, 2, 3])
def test_top_level_values_are_read_whole_at_any_buffer_size(buffer_bytes):
    for width in range(1, 24):
        response = {"Blocks": [], "K" * width: 1234567890123, "F" * width: -0.5e-7, "N" * width: None}
        reader = ResponseReader(io.BytesIO(json.dumps(response).encode()), buffer_bytes=buffer_bytes)
        assert list(reader.pages()) == []
        assert reader.header == {key: value for key, value in response.items() if key != "Blocks"}
