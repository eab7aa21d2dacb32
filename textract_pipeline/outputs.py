"""The output layout of the original pipeline: processed/<date>/<stem>_<kind>_<ts>.<ext>."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

OUTPUT_EXTENSIONS = {
    "textract_raw": "json",
    "v1_schema": "json",
    "v2_dynamic": "json",
    "schema_extensions": "md",
    "v2_summary": "md",
}


def output_key(object_key: str, kind: str, processed_at: datetime) -> str:
    stem = PurePosixPath(object_key).stem
    return (
        f"processed/{processed_at:%Y-%m-%d}/{stem}_{kind}_{processed_at:%Y%m%d_%H%M%S}.{OUTPUT_EXTENSIONS[kind]}"
    )


def textract_cache_key(engine_name: str, content_hash: str) -> str:
    """Textract results are cached by content, never by name: duplicates pay once."""
    return f"textract-cache/{engine_name}/{content_hash}.json"
