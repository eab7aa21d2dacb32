"""What makes a file not a readable Textract response, found before textractor sees it.

Two checks, each with a one-line reason (``MalformedResponseError``):

- ``survey`` reads the whole file once as JSON events (ijson, no values built except the
  top-level keys other than ``Blocks``): valid JSON, an object, a ``Blocks`` list of objects,
  no deeper nesting than Textract's own (a deep file would otherwise exhaust memory or the
  stack), ``Page`` values that are page numbers. It also tells whether pages come in order,
  which decides how the reader groups them.
- ``check_page`` validates one page's blocks: the block fields textractor relies on (pydantic),
  unique ids, relationships that point at blocks of the same page, and a PAGE block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import ijson
from pydantic import BaseModel, Field, StrictInt, TypeAdapter, ValidationError

# Textract nests five levels (response > Blocks > block > Geometry > Polygon > point);
# anything far deeper is not a response, and ijson keeps a prefix string per level.
MAX_DEPTH = 32


class MalformedResponseError(ValueError):
    """The file is not a Textract response textractor can read; the message says why, in one line."""


@dataclass(frozen=True)
class Survey:
    header: dict[str, Any]  # every top-level key but Blocks
    blocks: int
    pages_in_order: bool  # every block has a Page and pages come in ascending runs, or no block has one


_KINDS = {
    "start_map": "an object",
    "start_array": "a list",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_OPENS = {"start_map", "start_array"}
_CLOSES = {"end_map", "end_array"}


def _json_error(error: Exception) -> MalformedResponseError:
    """yajl's message without the excerpt and arrow it draws on the following lines."""
    message = str(error)
    if message.startswith(("b'", 'b"')):
        message = message[2:]
    first_line = message.replace("\\n", "\n").splitlines()[0].strip() if message.strip() else "unreadable"
    return MalformedResponseError(f"not valid JSON ({first_line})")


def survey(binary: IO[bytes]) -> Survey:
    """One pass over the whole file; raises ``MalformedResponseError`` at the first problem."""
    header: dict[str, Any] = {}
    depth = blocks = paged = last_page = 0
    ascending = True
    started = seen_blocks = in_blocks = page_value_next = False
    key: str | None = None
    builder: ijson.ObjectBuilder | None = None
    try:
        for event, value in ijson.basic_parse(binary, use_float=True):
            if event in _OPENS:
                depth += 1
                if depth > MAX_DEPTH:
                    raise MalformedResponseError(f"JSON nested deeper than {MAX_DEPTH} levels")
            elif event in _CLOSES:
                depth -= 1
            if not started:
                if event != "start_map":
                    raise MalformedResponseError(f"the top level is {_KINDS[event]}, not an object")
                started = True
            elif builder is not None:  # inside a header value
                builder.event(event, value)
                if depth == 1:
                    header[key], builder = builder.value, None
            elif in_blocks:
                if page_value_next:
                    page_value_next = False
                    if event != "number" or not isinstance(value, int) or value < 1:
                        shown = _KINDS[event] if event in _OPENS else repr(value)
                        raise MalformedResponseError(f"block {blocks} has Page {shown}, not a page number")
                    paged += 1
                    ascending = ascending and value >= last_page
                    last_page = value
                elif depth == 3 and event == "start_map":
                    blocks += 1
                elif depth == 3 and event == "map_key":
                    page_value_next = value == "Page"
                elif depth == 1:
                    in_blocks = False
                elif depth == 2 and event != "end_map" or depth == 3 and event == "start_array":
                    raise MalformedResponseError(f"block {blocks + 1} is {_KINDS[event]}, not an object")
            elif depth == 1 and event == "map_key":
                key = value
            elif depth >= 1 and key == "Blocks":
                if seen_blocks:
                    raise MalformedResponseError("the response has two Blocks keys")
                if event != "start_array":
                    raise MalformedResponseError(f"Blocks is {_KINDS[event]}, not a list")
                seen_blocks = in_blocks = True
            elif depth >= 1:
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
                if depth == 1:
                    header[key], builder = builder.value, None
    except ijson.JSONError as error:
        raise _json_error(error) from None
    if not seen_blocks:
        raise MalformedResponseError("the response has no Blocks list")
    return Survey(header=header, blocks=blocks, pages_in_order=paged == 0 or (paged == blocks and ascending))


class _BoundingBox(BaseModel):
    Width: float
    Height: float
    Left: float
    Top: float


class _Geometry(BaseModel):
    BoundingBox: _BoundingBox


class _Relationship(BaseModel):
    Type: str
    Ids: list[str]


class _Block(BaseModel):
    """The fields of a block textractor reads without checking; other fields pass unread."""

    Id: str = Field(min_length=1)
    BlockType: str = Field(min_length=1)
    Page: StrictInt | None = Field(default=None, ge=1)
    Geometry: _Geometry | None = None
    Relationships: list[_Relationship] | None = None
    Confidence: float | None = None


_BLOCKS = TypeAdapter(list[_Block])


def _first_problem(error: ValidationError, blocks: Sequence[Any]) -> str:
    problem = error.errors(include_url=False)[0]
    index, *path = problem["loc"]
    block = blocks[index] if isinstance(index, int) else None
    name = f" (Id {block['Id']!r})" if isinstance(block, dict) and isinstance(block.get("Id"), str) else ""
    where = ".".join(str(part) for part in path) or "the block"
    return f"block {index + 1}{name}: {where}: {problem['msg']}"


def check_page(number: int, blocks: Sequence[Any]) -> None:
    """Raise ``MalformedResponseError`` unless textractor can read this page's blocks alone."""
    try:
        _BLOCKS.validate_python(blocks)
    except ValidationError as error:
        raise MalformedResponseError(f"page {number}, {_first_problem(error, blocks)}") from None
    ids: set[str] = set()
    for block in blocks:
        if block["Id"] in ids:
            raise MalformedResponseError(f"page {number}: two blocks have the Id {block['Id']!r}")
        ids.add(block["Id"])
    for block in blocks:
        for relationship in block.get("Relationships") or ():
            for target in relationship["Ids"]:
                if target not in ids:
                    raise MalformedResponseError(
                        f"page {number}: block {block['Id']!r} refers to {target!r}, which is not a block of its page"
                    )
    if not any(block["BlockType"] == "PAGE" for block in blocks):
        raise MalformedResponseError(f"page {number} has no PAGE block")
