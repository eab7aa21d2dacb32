"""One way in to a Textract response: amazon-textract-textractor's entity graph.

Every stage (extraction, reports, metadata) reads Textract JSON through this module so
that the embedded OCR engine and the real service are consumed identically.
"""

from __future__ import annotations

import statistics
from typing import Any

from textractor.entities.document import Document
from textractor.parsers import response_parser


def load_document(response: dict[str, Any]) -> Document:
    """Parse an AnalyzeDocument / GetDocumentAnalysis response into a textractor Document."""
    return response_parser.parse(response)


def page_count(response: dict[str, Any]) -> int:
    return int(response.get("DocumentMetadata", {}).get("Pages") or 0)


def word_stats(response: dict[str, Any]) -> tuple[int, float]:
    """Word count and mean WORD confidence (0-100), straight from the blocks."""
    confidences = [b["Confidence"] for b in response.get("Blocks", []) if b.get("BlockType") == "WORD"]
    return len(confidences), (statistics.fmean(confidences) if confidences else 0.0)
