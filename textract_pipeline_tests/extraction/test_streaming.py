"""Extraction from a response file read a chunk of pages at a time equals extraction from the whole Document."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from sample_deeds import sample_paths
from textract_pipeline.extraction import BedrockExtractor, DeterministicExtractor, read_document_view
from textract_pipeline.extraction.document_view import DocumentView, PageLine, as_view, build_view, merge_views
from textract_pipeline.extraction.prompts import TOOL_NAME
from textract_pipeline.extraction.schema_v2 import V2Section
from textract_pipeline.extraction.v2 import SectionIndex, _Builder
from textract_pipeline.textract_document import iter_page_documents, load_document, write_response_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def renumbered(response: dict, copies: int) -> dict:
    """``copies`` copies of a response one after the other, pages renumbered, ids made unique."""
    pages = response["DocumentMetadata"]["Pages"]
    blocks = []
    for repeat in range(copies):
        for block in response["Blocks"]:
            moved = {**block, "Id": f"{block['Id']}-{repeat}", "Page": block.get("Page", 1) + repeat * pages}
            if "Relationships" in block:
                moved["Relationships"] = [
                    {**relation, "Ids": [f"{i}-{repeat}" for i in relation["Ids"]]}
                    for relation in block["Relationships"]
                ]
            blocks.append(moved)
    return {**response, "DocumentMetadata": {"Pages": pages * copies}, "Blocks": blocks}


@pytest.fixture(scope="module")
def shipped_responses() -> dict[str, dict]:
    from textract_pipeline.ocr import analyze_document

    return {path.name: analyze_document(path.read_bytes()) for path in sample_paths()}


@pytest.fixture(scope="module")
def responses(shipped_responses) -> dict[str, dict]:
    found = dict(shipped_responses)
    for name in ("form.png", "single-page-1.png"):
        found[name] = json.loads((FIXTURES / f"{name}.textract.json").read_text())
    return found


def _whole_and_file(response: dict, tmp_path: Path) -> tuple[dict, Path]:
    """A copy of the response (textractor's parser edits the blocks it is given) and the file written from it."""
    response = copy.deepcopy(response)
    path = tmp_path / "response.json"
    write_response_dict(path, response)
    return response, path


def _results(extractor, document) -> tuple[dict, dict]:
    return (
        extractor.extract_v1(document).model_dump(mode="json"),
        extractor.extract_v2(document).model_dump(mode="json"),
    )


@pytest.mark.parametrize(
    "name", ["grant_deed_sample.tif", "quitclaim_deed_sample.pdf", "form.png", "single-page-1.png"]
)
@pytest.mark.parametrize("pages_per_chunk", [1, 2])
def test_chunked_view_and_extraction_equal_whole_document(responses, name, pages_per_chunk, tmp_path):
    response, path = _whole_and_file(responses[name], tmp_path)
    whole = load_document(response)
    view = read_document_view(path, pages_per_chunk)
    assert view == build_view(whole)
    assert view.lines and view.page_count == response["DocumentMetadata"]["Pages"]
    extractor = DeterministicExtractor()
    assert _results(extractor, view) == _results(extractor, whole)


def test_tables_and_layout_headings_are_in_the_view(responses, tmp_path):
    _, path = _whole_and_file(responses["form.png"], tmp_path)
    view = read_document_view(path)
    assert len(view.tables) == 2 and all(table.cells for table in view.tables)
    assert any(section.name.startswith("table_") for section in DeterministicExtractor().extract_v2(view).sections)


def test_generated_deed_chunked_equals_whole(ocr_response, tmp_path):
    response, path = _whole_and_file(ocr_response, tmp_path)
    extractor = DeterministicExtractor()
    whole = _results(extractor, load_document(response))
    for pages_per_chunk in (1, 2, 3):
        assert _results(extractor, read_document_view(path, pages_per_chunk)) == whole
    assert whole[0]["record"]["document_type"]["value"] == "grant_deed"


def test_long_document_chunked_equals_whole(ocr_response, tmp_path):
    """A 30-page document (the deed ten times): majority votes, repeated labels and sections across pages."""
    long, path = _whole_and_file(renumbered(ocr_response, 10), tmp_path)
    extractor = DeterministicExtractor()
    whole_v1, whole_v2 = _results(extractor, load_document(long))
    view = read_document_view(path, 4)
    assert view.page_count == 30 and {line.page for line in view.lines} == set(range(1, 31))
    v1, v2 = _results(extractor, view)
    assert v1 == whole_v1 and v2 == whole_v2
    names = [field["name"] for section in v2["sections"] for field in section["fields"]]
    assert any(name.endswith("_10") for name in names)  # a label on every copy got numbered suffixes


def test_lone_page_chunks_keep_their_page_numbers(ocr_response, tmp_path):
    _, path = _whole_and_file(renumbered(ocr_response, 2), tmp_path)
    chunks = list(iter_page_documents(path, 1))
    assert [chunk.page_numbers for chunk in chunks] == [(1,), (2,), (3,), (4,), (5,), (6,)]
    assert [page.page_num for page in chunks[4].document.pages] == [1]  # textractor's numbering of a lone page
    view = build_view(chunks[4].document, chunks[4].page_numbers)
    assert {line.page for line in view.lines} == {5}
    with pytest.raises(ValueError):
        build_view(chunks[4].document, [5, 6])


def test_merge_views_concatenates_in_page_order(ocr_document):
    whole = build_view(ocr_document)
    parts = [
        DocumentView(
            lines=whole.page_lines(page),
            key_values=[kv for kv in whole.key_values if kv.page == page],
            page_count=1,
            layout_headings={h for h in whole.layout_headings if h[0] == page},
            tables=[t for t in whole.tables if t.page == page],
        )
        for page in range(1, whole.page_count + 1)
    ]
    assert merge_views(parts) == whole
    assert as_view(whole) is whole


def test_llm_requests_are_the_same_from_a_view(ocr_response, tmp_path):
    """The Bedrock extractor splits the document into requests of max_input_chars: same prompts either way."""

    class Client:
        def __init__(self):
            self.requests = []

        def converse(self, **request):
            self.requests.append(request)
            record = {
                "document_type": {
                    "value": "grant_deed",
                    "evidence": {"page": 1, "source_text": "GRANT DEED", "confidence": 0.9},
                }
            }
            content = [{"toolUse": {"toolUseId": "t", "name": TOOL_NAME, "input": record}}]
            return {"output": {"message": {"role": "assistant", "content": content}}, "usage": {}}

    long, path = _whole_and_file(renumbered(ocr_response, 4), tmp_path)
    whole_client, view_client = Client(), Client()
    BedrockExtractor(client=whole_client, max_input_chars=2000).extract_v1(load_document(long))
    BedrockExtractor(client=view_client, max_input_chars=2000).extract_v1(read_document_view(path))
    assert len(whole_client.requests) > 2
    assert view_client.requests == whole_client.requests


def test_page_lines_index_follows_changes():
    line = PageLine(page=2, index=0, text="A", confidence=1.0, x=0, y=0, width=1, height=1)
    view = DocumentView(lines=[line], key_values=[], page_count=2)
    assert view.page_lines(2) == [line] and view.page_lines(1) == []
    view.lines.append(PageLine(page=1, index=0, text="B", confidence=1.0, x=0, y=0, width=1, height=1))
    assert [entry.text for entry in view.page_lines(1)] == ["B"]
    view.lines = [line]
    assert view.page_lines(1) == []


def _old_section_at(boundaries, page, y):
    current = "header"
    for heading_page, heading_y, name in boundaries:
        if (heading_page, heading_y) <= (page, y + 1e-6):
            current = name
    return current


def test_section_index_equals_a_scan_of_every_heading():
    rng = random.Random(11)
    for _ in range(200):
        boundaries = []
        for page in range(1, rng.randint(1, 8) + 1):
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                boundaries.append((page, round(rng.random(), 2), f"s{len(boundaries)}"))
        index = SectionIndex(boundaries)
        for _ in range(30):
            page, y = rng.randint(0, 10), round(rng.random(), 2)
            assert index.at(page, y) == _old_section_at(boundaries, page, y)


def _old_names(labels):
    """Field names as V2 gave them before: the first free of base, base_2, base_3, ... in the section."""
    taken, names = [], []
    for label in labels:
        base = "_".join(label.split())
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.append(name)
        names.append(name)
    return names


def test_repeated_labels_are_numbered_as_before():
    rng = random.Random(5)
    for _ in range(100):
        labels = [rng.choice(["a", "a", "a 2", "a 3", "b", "a 2 2"]) for _ in range(rng.randint(1, 40))]
        builder = _Builder(sections={})
        for label in labels:
            builder.add("s", label, "x", 1, 0.9, "line")
        section: V2Section = builder.sections["s"]
        assert [field.name for field in section.fields] == _old_names(labels)
