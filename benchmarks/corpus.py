"""A reproducible mix of generated deeds for the throughput benchmarks.

One in three documents keeps only its first page (a one-page form), the rest keep all of
their 2-4 pages, until the requested page total is reached. Rendering costs more than the
benchmark itself, so a corpus is written once per (pages, seed) and reused.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from sample_deeds.generator import compose_document
from sample_deeds.render import rasterize, write_tiff

CACHE = Path(tempfile.gettempdir()) / "textract-pipeline-bench"


def build_corpus(pages: int, seed: int = 8) -> list[Path]:
    """Multi-page Group-4 TIFFs totalling exactly `pages` pages, in a stable order."""
    folder = CACHE / f"corpus-{pages}p-s{seed}"
    done = folder / ".complete"
    if done.exists():
        return sorted(folder.glob("*.tif"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    remaining, index = pages, 0
    while remaining:
        composed = compose_document(rng)
        keep = 1 if index % 3 == 0 else len(composed.pages)
        keep = min(keep, remaining)
        render = composed.truth.render
        images = [
            rasterize(page, skew_degrees=render.skew_degrees, speckle=render.speckle, rng=rng)
            for page in composed.pages[:keep]
        ]
        write_tiff(images, folder / f"deed_{index:04d}_{keep}p.tif")
        remaining -= keep
        index += 1
    done.touch()
    return sorted(folder.glob("*.tif"))


def page_total(files: list[Path]) -> int:
    return sum(int(file.stem.rsplit("_", 1)[1].rstrip("p")) for file in files)
