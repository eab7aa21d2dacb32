"""Synthetic recorded documents: the generator, and small samples shipped with the package."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
_DOCUMENT_SUFFIXES = {".tif", ".tiff", ".pdf"}


def sample_paths() -> list[Path]:
    """The shipped sample documents (not their ground truth), sorted by name."""
    return sorted(p for p in DATA_DIR.iterdir() if p.suffix.lower() in _DOCUMENT_SUFFIXES)
