"""Local OCR engine vs real Amazon Textract responses.

    python -m textract_pipeline.benchmarks.ocr_vs_textract DIR [--many-pages N]

For every `X` in DIR with a saved real response `X.textract.json`, runs the local engine on X
and prints, per document and overall, how close the local response is (see
textract_pipeline.ocr.compare), CPU seconds per page (process time: the machine may be shared,
so wall time would measure the neighbours) and the process's peak RSS. Then runs
`ocr_many_pages` in a fresh process for the N-page TIFF speed / memory figures. Tesseract is
limited to one thread (OMP_THREAD_LIMIT=1) so seconds per page mean one core.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.compare import (
    Comparison,
    Score,
    WordMatch,
    compare,
    dangling_ids,
)
from textract_pipeline.textract_document import load_document

RESPONSE_SUFFIX = ".textract.json"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _pct(score: Score) -> str:
    return "n/a" if score.recall is None else f"{score.recall:.3f} ({score.found}/{score.total})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--many-pages",
        type=int,
        default=100,
        help="pages in the generated TIFF (0 to skip)",
    )
    args = parser.parse_args(argv)

    engine = LocalOcrEngine()
    load_before = os.getloadavg()
    header = (
        "| document | pages | word P | word R | word F1 | line R | KV pair R | table cell R | checkbox R "
        "| CPU s/page | peak RSS MB |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    total = Comparison(WordMatch(0, 0, 0), Score(0, 0), Score(0, 0), Score(0, 0), Score(0, 0))
    total_pages = 0
    total_seconds = 0.0
    for response_path in sorted(args.directory.glob(f"*{RESPONSE_SUFFIX}")):
        document_path = response_path.with_name(response_path.name[: -len(RESPONSE_SUFFIX)])
        if not document_path.exists():
            continue
        reference = json.loads(response_path.read_text())
        data = document_path.read_bytes()
        started = time.process_time()
        local = engine.analyze(data)
        seconds = time.process_time() - started
        pages = local["DocumentMetadata"]["Pages"]
        dangling = dangling_ids(local)
        if dangling:
            print(
                f"{document_path.name}: {len(dangling)} dangling relationship Ids",
                file=sys.stderr,
            )
        load_document(local).to_markdown()  # the response must parse with textractor
        result = compare(reference, local)
        total = Comparison(*(getattr(total, f.name) + getattr(result, f.name) for f in fields(Comparison)))
        total_pages += pages
        total_seconds += seconds
        print(_row(document_path.name, pages, result, seconds / pages))
    print(_row("**overall**", total_pages, total, total_seconds / max(total_pages, 1)))
    print(f"\nload average (1 / 5 / 15 min) before: {_load(load_before)}, after: {_load(os.getloadavg())}")
    if args.many_pages:
        print()
        sys.stdout.flush()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "textract_pipeline.benchmarks.ocr_many_pages",
                "--pages",
                str(args.many_pages),
            ],
            check=True,
        )
    return 0


def _load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def _row(name: str, pages: int, result: Comparison, seconds_per_page: float) -> str:
    words = result.words
    return (
        f"| {name} | {pages} | {words.precision:.3f} | {words.recall:.3f} | {words.f1:.3f} | {_pct(result.lines)} | "
        f"{_pct(result.key_values)} | {_pct(result.table_cells)} | {_pct(result.checkboxes)} | "
        f"{seconds_per_page:.2f} | {peak_rss_mb():.0f} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
