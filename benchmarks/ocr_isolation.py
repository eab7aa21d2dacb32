"""What running the OCR engine in a child process costs: CPU per page with and without isolation, in one run.

    python -m benchmarks.ocr_isolation PATH... [--rounds N]

For every document (PATH is a file, or a folder of documents) it reads the document with
`LocalOcrEngine` in this process and with `IsolatedOcrEngine` (the same engine in a long-lived
child, as `LocalTextract` runs it), alternating, `--rounds` times each. The isolated figure is this
process's CPU plus the child's (from /proc: user + system). Both engines are loaded and warmed on
the first document before anything is timed, so the child's start is not counted; it happens once
per worker process, and again only after a crash.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse
import time
from pathlib import Path

from benchmarks.common import machine_note, print_table
from benchmarks.tesseract_floor import documents_in
from textract_pipeline.ocr import LocalOcrEngine
from textract_pipeline.ocr.isolation import IsolatedOcrEngine

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of another process (Linux /proc; fields 14 and 15 of its stat line)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_of(engine: LocalOcrEngine | IsolatedOcrEngine, data: bytes) -> tuple[float, int]:
    """(CPU seconds of this process and of the engine's child, if any; pages) of one document."""
    child = getattr(engine, "worker_pid", None)
    child_before = process_cpu_seconds(child) if child else 0.0
    started = time.process_time()
    pages = engine.analyze(data)["DocumentMetadata"]["Pages"]
    own = time.process_time() - started
    child_after = process_cpu_seconds(child) if child else 0.0
    return own + child_after - child_before, pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    files = documents_in(args.paths)
    in_process, isolated = LocalOcrEngine(), IsolatedOcrEngine()
    warm = files[0].read_bytes()
    in_process.analyze(warm)
    isolated.analyze(warm)
    print(machine_note())
    rows = []
    totals = {"in process": 0.0, "isolated": 0.0}
    page_total = 0
    for path in files:
        data = path.read_bytes()
        spent = {"in process": 0.0, "isolated": 0.0}
        for _ in range(args.rounds):
            for name, engine in (("in process", in_process), ("isolated", isolated)):
                seconds, pages = cpu_of(engine, data)
                spent[name] += seconds
        read = pages * args.rounds
        page_total += read
        for name in totals:
            totals[name] += spent[name]
        rows.append(
            [
                path.name,
                pages,
                spent["in process"] / read,
                spent["isolated"] / read,
                spent["isolated"] / spent["in process"],
            ]
        )
    rows.append(
        [
            "**overall**",
            page_total // args.rounds,
            totals["in process"] / page_total,
            totals["isolated"] / page_total,
            totals["isolated"] / totals["in process"],
        ]
    )
    print_table(["document", "pages", "in process CPU s/page", "isolated CPU s/page", "isolated ÷ in process"], rows)
    isolated.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
