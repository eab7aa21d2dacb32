"""Local OCR engine vs real Amazon Textract responses.

    python -m benchmarks.ocr_vs_textract DIR... [--many-pages N]

For every `X` in each DIR with a saved real response `X.textract.json`, runs the local engine on X
and prints, per document and overall, how close the local response is (see
textract_pipeline.ocr.compare), CPU seconds per page (process time: the machine may be shared,
so wall time would measure the neighbours), the same for tesseract's bare recognition of the
pages (see tesseract_floor) and the engine's CPU as a multiple of it, and the process's peak RSS.
With several folders (e.g. the development and held-out corpora of `ocr_corpus`, and the five
reference fixtures), each gets its table and a last table compares their overall rows.
Both are timed in the same run on the same pages, so the multiple is the figure to compare between
machines and runs. Then runs `ocr_many_pages` in a fresh process for the N-page TIFF speed /
memory figures. Tesseract is limited to one thread (OMP_THREAD_LIMIT=1) so seconds per page mean
one core.
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
from dataclasses import dataclass, fields
from pathlib import Path

from benchmarks.tesseract_floor import Floor, TesseractFloor
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


@dataclass
class DocumentRun:
    name: str
    path: Path
    pages: int
    result: Comparison
    cpu_seconds: float
    peak_rss_mb: float  # the process's peak so far, taken before any tesseract-alone timing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directories", type=Path, nargs="+", help="folders of documents with saved responses")
    parser.add_argument(
        "--many-pages",
        type=int,
        default=100,
        help="pages in the generated TIFF (0 to skip)",
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    engine = LocalOcrEngine()
    runs_by_folder = {
        directory: [
            run_engine(engine, response_path)
            for response_path in sorted(directory.glob(f"*{RESPONSE_SUFFIX}"))
            if _document_path(response_path).exists()
        ]
        for directory in args.directories
    }
    floor = TesseractFloor()  # after the engine's runs, so its model does not count in their RSS
    summaries = []
    for directory, runs in runs_by_folder.items():
        floors = [floor.measure(run.path.read_bytes()) for run in runs]
        print(f"{directory}:\n")
        print(HEADER)
        print("|" + "---|" * (HEADER.count("|") - 1))
        for run, bare in zip(runs, floors, strict=True):
            print(_row(run.name, run.pages, run.result, run.cpu_seconds, bare, run.peak_rss_mb, run.cpu_seconds))
        summaries.append(_overall_row(f"**{directory.name}**", runs, floors))
        print(_overall_row("**overall**", runs, floors) + "\n")
    if len(summaries) > 1:
        print("each folder overall:\n")
        print(HEADER.replace("| document |", "| folder |", 1))
        print("|" + "---|" * (HEADER.count("|") - 1))
        print("\n".join(summaries))
    print(f"\nload average (1 / 5 / 15 min) before: {_load(load_before)}, after: {_load(os.getloadavg())}")
    if args.many_pages:
        print()
        sys.stdout.flush()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.ocr_many_pages",
                "--pages",
                str(args.many_pages),
            ],
            check=True,
        )
    return 0


HEADER = (
    "| document | pages | word P | word R | word F1 | line R | KV pair R | table cell R | checkbox R | layout R "
    "| CPU s/page | tesseract alone s/page | engine ÷ tesseract | peak RSS MB |"
)


def _overall_row(name: str, runs: list[DocumentRun], floors: list[Floor]) -> str:
    total = Comparison(WordMatch(0, 0, 0), *(Score(0, 0) for _ in range(len(fields(Comparison)) - 1)))
    for run in runs:
        total = Comparison(*(getattr(total, f.name) + getattr(run.result, f.name) for f in fields(Comparison)))
    overall_floor = Floor(
        sum(bare.pages for bare in floors),
        sum(bare.recognized for bare in floors),
        sum(bare.cpu_seconds for bare in floors),
    )
    scanned_seconds = sum(run.cpu_seconds for run, bare in zip(runs, floors, strict=True) if bare.recognized)
    return _row(
        name,
        sum(run.pages for run in runs),
        total,
        sum(run.cpu_seconds for run in runs),
        overall_floor,
        max((run.peak_rss_mb for run in runs), default=peak_rss_mb()),
        scanned_seconds,
    )


def _document_path(response_path: Path) -> Path:
    return response_path.with_name(response_path.name[: -len(RESPONSE_SUFFIX)])


def run_engine(engine: LocalOcrEngine, response_path: Path) -> DocumentRun:
    """The engine on one document, checked (Ids resolve, textractor parses it) and compared."""
    document_path = _document_path(response_path)
    reference = json.loads(response_path.read_text())
    data = document_path.read_bytes()
    started = time.process_time()
    local = engine.analyze(data)
    seconds = time.process_time() - started
    dangling = dangling_ids(local)
    if dangling:
        print(f"{document_path.name}: {len(dangling)} dangling relationship Ids", file=sys.stderr)
    load_document(local).to_markdown()  # the response must parse with textractor
    return DocumentRun(
        document_path.name,
        document_path,
        local["DocumentMetadata"]["Pages"],
        compare(reference, local),
        seconds,
        peak_rss_mb(),
    )


def _load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def _row(
    name: str,
    pages: int,
    result: Comparison,
    seconds: float,
    floor: Floor,
    rss_mb: float,
    scanned_seconds: float,
) -> str:
    """One table row; `scanned_seconds` is the engine's CPU on the documents the floor recognized."""
    words = result.words
    if floor.recognized:
        multiple = f"{scanned_seconds / floor.cpu_seconds:.2f}"
    else:
        multiple = "n/a (text layer)" if pages else "n/a"
    per_page = max(pages, 1)
    return (
        f"| {name} | {pages} | {words.precision:.3f} | {words.recall:.3f} | {words.f1:.3f} | {_pct(result.lines)} | "
        f"{_pct(result.key_values)} | {_pct(result.table_cells)} | {_pct(result.checkboxes)} | {_pct(result.layout)} | "
        f"{seconds / per_page:.2f} | {floor.cpu_seconds / per_page:.2f} | {multiple} | {rss_mb:.0f} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
