"""Regenerate the documents shipped in ``sample_deeds/data``: ``python -m sample_deeds.shipped``.

A two-page grant deed as a scanned 300 dpi Group-4 TIFF, and a three-page quitclaim deed
as a PDF with a text layer, each with its ground truth beside it.
"""

from __future__ import annotations

import random
from pathlib import Path

from evaluation.real_truth import InstrumentType
from sample_deeds.generator import GeneratedDocument, generate_document

DATA_DIR = Path(__file__).with_name("data")
SHIPPED_SEED = 20251121


def write_shipped_samples(out_dir: Path = DATA_DIR) -> list[GeneratedDocument]:
    rng = random.Random(SHIPPED_SEED)
    return [
        generate_document(
            rng,
            out_dir,
            "grant_deed_sample",
            document_type=InstrumentType.GRANT_DEED,
            layout="compact",
            family="caladea",
            handwritten_dates=False,
            handwritten_fill_ins=False,
            watermark=False,
        ),
        generate_document(
            rng,
            out_dir,
            "quitclaim_deed_sample",
            document_type=InstrumentType.QUITCLAIM_DEED,
            layout="exhibit",
            family="roboto",
            pdf=True,
            handwritten_dates=False,
            handwritten_fill_ins=False,
            watermark=False,
        ),
    ]


if __name__ == "__main__":
    for document in write_shipped_samples():
        print(document.path, document.path.stat().st_size, "bytes")
