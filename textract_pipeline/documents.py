"""Documents as Dagster sees them: the dynamic partitions and their readable ids."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import PurePosixPath

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
# Dagster 1.13 marks backfill policies beta and partitioned asset checks preview; both are used
# knowingly (dagster is pinned to 1.13.x), so every asset need not repeat the warning.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
warnings.filterwarnings(
    "ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=dg.PreviewWarning
)

# What Textract reads; the content is checked by its bytes, the name only picks what to look at.
SUPPORTED_SUFFIXES = frozenset({".tif", ".tiff", ".pdf", ".png", ".jpg", ".jpeg"})
_MAX_SLUG = 40


def is_supported_key(object_key: str) -> bool:
    return PurePosixPath(object_key).suffix.lower() in SUPPORTED_SUFFIXES


def document_id_for_key(object_key: str) -> str:
    """A short, stable, readable partition key: the slugged file stem plus a hash of the whole key.

    Raw object keys may hold characters Dagster refuses in partition keys, and two folders
    may hold the same file name; the hash keeps ids unique and the slug keeps them readable.
    """
    stem = PurePosixPath(object_key).stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:_MAX_SLUG].strip("-") or "document"
    digest = hashlib.sha1(object_key.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"
