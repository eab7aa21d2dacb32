"""Every malformed Textract response is refused with one line naming what is wrong, never a traceback.

Each case is a real response (a fixture, two pages) broken in one way; the reader and the
`extract` command must both name the problem.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textract_pipeline.cli import main
from textract_pipeline.textract_document import (
    MalformedResponseError,
    iter_response_pages,
    load_document,
    markdown_preview,
    write_response_dict,
)
from textract_pipeline.textract_document.malformed import MAX_DEPTH

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def two_pages() -> dict[str, Any]:
    response = json.loads((FIXTURES / "single-page-1.png.textract.json").read_text())
    blocks = []
    for page in (1, 2):
        for block in response["Blocks"]:
            block = {**copy.deepcopy(block), "Id": f"{block['Id']}-{page}", "Page": page}
            for relationship in block.get("Relationships", []):
                relationship["Ids"] = [f"{target}-{page}" for target in relationship["Ids"]]
            blocks.append(block)
    return {**response, "DocumentMetadata": {"Pages": 2}, "Blocks": blocks}


def first_of(response: dict[str, Any], block_type: str, page: int = 2) -> dict[str, Any]:
    return next(b for b in response["Blocks"] if b["BlockType"] == block_type and b["Page"] == page)


def edited(change: Callable[[dict[str, Any]], object]) -> bytes:
    response = two_pages()
    change(response)
    return json.dumps(response).encode()


def nested(depth: int) -> bytes:
    return b'{"Blocks": [{"Id": "a", "BlockType": "PAGE", "Deep": ' + b"[" * depth + b"]" * depth + b"}]}"


CASES: dict[str, tuple[bytes, str]] = {
    "empty file": (b"", "not valid JSON"),
    "not JSON": (b"GRANT DEED, page 1", "not valid JSON"),
    "truncated": (json.dumps(two_pages()).encode()[:5000], "not valid JSON"),
    "trailing garbage": (json.dumps(two_pages()).encode() + b"}", "not valid JSON"),
    "not UTF-8": (b'{"Blocks": [], "Note": "caf\xe9"}', "not valid JSON"),
    "a list": (b"[1, 2]", "the top level is a list, not an object"),
    "null": (b"null", "the top level is null, not an object"),
    "a string": (b'"Blocks"', "the top level is a string, not an object"),
    "no Blocks": (b'{"DocumentMetadata": {"Pages": 1}}', "no Blocks list"),
    "Blocks null": (b'{"Blocks": null}', "Blocks is null, not a list"),
    "Blocks an object": (b'{"Blocks": {"Id": "a"}}', "Blocks is an object, not a list"),
    "two Blocks keys": (b'{"Blocks": [], "Blocks": []}', "two Blocks keys"),
    "block a number": (b'{"Blocks": [{"Id": "a", "BlockType": "PAGE"}, 7]}', "block 2 is a number, not an object"),
    "block a list": (b'{"Blocks": [[]]}', "block 1 is a list, not an object"),
    "Page a string": (edited(lambda r: first_of(r, "WORD").update(Page="2")), "has Page '2', not a page number"),
    "Page zero": (edited(lambda r: first_of(r, "WORD").update(Page=0)), "has Page 0, not a page number"),
    "deeply nested": (nested(100_000), f"nested deeper than {MAX_DEPTH} levels"),
    "no Id": (edited(lambda r: first_of(r, "WORD").pop("Id")), "page 2, block"),
    "no BlockType": (edited(lambda r: first_of(r, "LINE").pop("BlockType")), "BlockType: Field required"),
    "Id not a string": (edited(lambda r: first_of(r, "WORD").update(Id=17)), "Id: Input should be a valid string"),
    "Geometry without a box": (
        edited(lambda r: first_of(r, "WORD")["Geometry"].pop("BoundingBox")),
        "Geometry.BoundingBox: Field required",
    ),
    "box height a string": (
        edited(lambda r: first_of(r, "LINE")["Geometry"]["BoundingBox"].update(Height="tall")),
        "Geometry.BoundingBox.Height",
    ),
    "Relationships not a list": (
        edited(lambda r: first_of(r, "LINE").update(Relationships={"Type": "CHILD"})),
        "Relationships: Input should be a valid list",
    ),
    "dangling relationship": (
        edited(lambda r: first_of(r, "LINE")["Relationships"][0]["Ids"].append("nowhere")),
        "refers to 'nowhere', which is not a block of its page",
    ),
    "relationship to another page": (
        edited(lambda r: first_of(r, "LINE", page=1)["Relationships"][0]["Ids"].append(first_of(r, "WORD")["Id"])),
        "which is not a block of its page",
    ),
    "duplicate Id": (
        edited(lambda r: first_of(r, "WORD").update(Id=first_of(r, "LINE")["Id"])),
        "two blocks have the Id",
    ),
    "no PAGE block": (
        edited(lambda r: r.update(Blocks=[b for b in r["Blocks"] if b["BlockType"] != "PAGE" or b["Page"] == 1])),
        "page 2 has no PAGE block",
    ),
    "PAGE-less response": (
        edited(lambda r: r.update(Blocks=[b for b in r["Blocks"] if b["BlockType"] == "WORD"])),
        "page 1 has no PAGE block",
    ),
}


@pytest.mark.parametrize("data, reason", CASES.values(), ids=CASES.keys())
def test_the_reader_names_the_problem(data, reason, tmp_path):
    path = tmp_path / "response.json"
    path.write_bytes(data)
    with pytest.raises(MalformedResponseError) as refused:
        list(iter_response_pages(path))
    message = str(refused.value)
    assert reason in message and "\n" not in message


@pytest.mark.parametrize("data, reason", CASES.values(), ids=CASES.keys())
def test_extract_prints_one_line_and_no_traceback(data, reason, tmp_path):
    path = tmp_path / "response.json"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {path} is not a Textract response: ") and reason in line
    assert not (tmp_path / "out").exists()


def test_extract_refuses_a_response_without_blocks(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text('{"Blocks": [], "DocumentMetadata": {"Pages": 0}}')
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "out")])
    assert (
        result.exit_code == 1 and result.output.strip() == f"Error: {path} is not a Textract response: it has no blocks"
    )


def zero_extent(response: dict[str, Any]) -> dict[str, Any]:
    """What the OCR engine returns for a PDF whose page box is 0.01 pt: every text box has no height or width."""
    for block in response["Blocks"]:
        if block["BlockType"] != "PAGE":
            box = block["Geometry"]["BoundingBox"]
            box.update(Width=0.0, Height=0.0, Top=round(box["Top"], 1))
    return response


def test_markdown_and_extraction_survive_boxes_without_extent(tmp_path):
    response = zero_extent(two_pages())
    words = {block["Text"] for block in response["Blocks"] if block["BlockType"] == "WORD"}
    path = tmp_path / "flat.json"
    write_response_dict(path, response)
    markdown = markdown_preview(path, max_chars=100_000)
    assert words <= set(markdown.replace("\n", " ").split(" "))
    assert load_document(zero_extent(two_pages())).to_markdown() == markdown
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").iterdir())) == 4
