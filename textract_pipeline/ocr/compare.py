"""How close is one Textract-format response to another? The measures behind the OCR benchmark.

All text comparisons are case-folded with punctuation trimmed from word ends, and counted as
multisets (a word the reference has twice must be found twice).
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass
from typing import Any

TRIM = string.punctuation + "“”‘’«»…•·—–"


def normalize_word(text: str) -> str:
    return text.casefold().strip(TRIM)


def normalize_text(text: str) -> str:
    return " ".join(filter(None, (normalize_word(part) for part in text.split())))


@dataclass
class Score:
    found: int
    total: int

    def __add__(self, other: Score) -> Score:
        return Score(self.found + other.found, self.total + other.total)

    @property
    def recall(self) -> float | None:
        return self.found / self.total if self.total else None


@dataclass
class WordMatch:
    matched: int
    local: int
    reference: int

    def __add__(self, other: WordMatch) -> WordMatch:
        return WordMatch(
            self.matched + other.matched,
            self.local + other.local,
            self.reference + other.reference,
        )

    @property
    def precision(self) -> float:
        return self.matched / self.local if self.local else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Comparison:
    words: WordMatch
    lines: Score
    key_values: Score
    table_cells: Score
    checkboxes: Score
    layout: Score


def index_blocks(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["Id"]: block for block in response.get("Blocks", [])}


def children(block: dict[str, Any], blocks: dict[str, dict], relationship: str = "CHILD") -> list[dict]:
    return [
        blocks[child_id]
        for rel in block.get("Relationships", [])
        if rel["Type"] == relationship
        for child_id in rel["Ids"]
        if child_id in blocks
    ]


def block_text(block: dict[str, Any], blocks: dict[str, dict]) -> str:
    """Text of a CELL / KEY_VALUE_SET: its words, and the state of any checkbox it holds."""
    parts = []
    for child in children(block, blocks):
        if child["BlockType"] == "WORD":
            parts.append(child["Text"])
        elif child["BlockType"] == "SELECTION_ELEMENT":
            parts.append(child["SelectionStatus"])
    return normalize_text(" ".join(parts))


def key_value_pairs(response: dict[str, Any]) -> Counter:
    blocks = index_blocks(response)
    pairs: Counter = Counter()
    for block in blocks.values():
        if block["BlockType"] == "KEY_VALUE_SET" and "KEY" in block.get("EntityTypes", []):
            key = block_text(block, blocks)
            values = children(block, blocks, "VALUE")
            value = " ".join(block_text(v, blocks) for v in values).strip()
            if key:
                pairs[(key, value)] += 1
    return pairs


def dangling_ids(response: dict[str, Any]) -> list[str]:
    """Relationship Ids that point at no block (a response with any is malformed)."""
    blocks = index_blocks(response)
    return [
        child_id
        for block in blocks.values()
        for rel in block.get("Relationships", [])
        for child_id in rel["Ids"]
        if child_id not in blocks
    ]


def _texts(response: dict[str, Any], block_type: str) -> Counter:
    return Counter(
        text
        for block in response.get("Blocks", [])
        if block["BlockType"] == block_type
        for text in [normalize_text(block.get("Text", ""))]
        if text
    )


def _words(response: dict[str, Any]) -> Counter:
    return Counter(
        word
        for block in response.get("Blocks", [])
        if block["BlockType"] == "WORD"
        for word in [normalize_word(block["Text"])]
        if word
    )


def _cells(response: dict[str, Any]) -> Counter:
    blocks = index_blocks(response)
    return Counter(
        text
        for block in blocks.values()
        if block["BlockType"] == "CELL"
        for text in [block_text(block, blocks)]
        if text
    )


def _matched(reference: Counter, candidate: Counter) -> Score:
    return Score(sum((reference & candidate).values()), sum(reference.values()))


def _checkboxes(reference: dict[str, Any], candidate: dict[str, Any]) -> Score:
    """A reference checkbox is found when a local one with the same state covers its centre."""
    marks = [b for b in candidate.get("Blocks", []) if b["BlockType"] == "SELECTION_ELEMENT"]
    used: set[str] = set()
    found = total = 0
    for block in reference.get("Blocks", []):
        if block["BlockType"] != "SELECTION_ELEMENT":
            continue
        total += 1
        box = block["Geometry"]["BoundingBox"]
        cx, cy = box["Left"] + box["Width"] / 2, box["Top"] + box["Height"] / 2
        for mark in marks:
            other = mark["Geometry"]["BoundingBox"]
            inside = (
                other["Left"] <= cx <= other["Left"] + other["Width"]
                and other["Top"] <= cy <= other["Top"] + other["Height"]
            )
            if inside and mark["Id"] not in used and mark["SelectionStatus"] == block["SelectionStatus"]:
                used.add(mark["Id"])
                found += 1
                break
    return Score(found, total)


def compare(reference: dict[str, Any], candidate: dict[str, Any]) -> Comparison:
    ref_words, cand_words = _words(reference), _words(candidate)
    return Comparison(
        words=WordMatch(
            sum((ref_words & cand_words).values()),
            sum(cand_words.values()),
            sum(ref_words.values()),
        ),
        lines=_matched(_texts(reference, "LINE"), _texts(candidate, "LINE")),
        key_values=_matched(key_value_pairs(reference), key_value_pairs(candidate)),
        table_cells=_matched(_cells(reference), _cells(candidate)),
        checkboxes=_checkboxes(reference, candidate),
        layout=_matched(_layout_lines(reference), _layout_lines(candidate)),
    )


def _layout_lines(response: dict[str, Any]) -> Counter:
    """(layout type, line text) of every line in a LAYOUT_* block other than plain LAYOUT_TEXT.

    LAYOUT_TEXT is what is left over and would dominate the count; the other types are the ones
    that say something about the page (titles, headers, footers, page numbers, section headers,
    tables, lists, key-value areas, figures).
    """
    blocks = index_blocks(response)
    return Counter(
        (block["BlockType"], text)
        for block in blocks.values()
        if block["BlockType"].startswith("LAYOUT_") and block["BlockType"] != "LAYOUT_TEXT"
        for line in children(block, blocks)
        if line["BlockType"] == "LINE"
        for text in [normalize_text(line.get("Text", ""))]
        if text
    )
