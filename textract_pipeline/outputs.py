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


# File systems stop at 255 bytes a name; the kind, timestamp and extension need about 40.
MAX_STEM_BYTES = 180


def short_stem(object_key: str) -> str:
    stem = PurePosixPath(object_key).stem
    return stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", errors="ignore")


def output_key(object_key: str, kind: str, received_at: datetime) -> str:
    """Named after the upload it came from, so re-running the same upload replaces its outputs."""
    stem = short_stem(object_key)
    return f"processed/{received_at:%Y-%m-%d}/{stem}_{kind}_{received_at:%Y%m%d_%H%M%S}.{OUTPUT_EXTENSIONS[kind]}"


# The job id of a response read from the content-hash cache: no service was called for it.
CACHED_JOB = "cached"


def textract_cache_key(engine_name: str, content_hash: str) -> str:
    """Textract results are cached by content, never by name: duplicates pay once."""
    return f"textract-cache/{engine_name}/{content_hash}.json"
