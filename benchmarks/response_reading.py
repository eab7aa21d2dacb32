"""Seconds per MB of reading a Textract response file, at several sizes: linear reading shows as a ratio near 1.

    python -m benchmarks.response_reading [--megabytes 6 18 54] [--page-response FILE]

For each size, a response of that many MB is written (one real Textract page, repeated with
fresh block ids), then timed, each step on its own:
- `read`: every page through `iter_response_pages` (the survey pass, ijson, the page checks);
- `stats`: `response_stats`, what the textract_raw asset records;
- `extract`: what `textract-pipeline extract` does (the document view a page at a time, V1, V2
  and both reports).
A one-page response is read first, untimed, so imports do not count. The last line gives, per step, seconds per MB at the largest size divided by seconds per MB at
the smallest: 1.0 is linear; a reader that is quadratic in the file's size doubles it with every
doubling of the size.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textract_pipeline.extraction import (
    DeterministicExtractor,
    read_document_view,
    render_schema_extensions,
    render_v2_summary,
)
from textract_pipeline.textract_document import iter_response_pages, response_stats, write_response

DEFAULT_PAGE = (
    Path(__file__).resolve().parents[1] / "textract_pipeline_tests" / "fixtures" / "single-page-1.png.textract.json"
)


def repeated_pages(page_response: dict[str, Any], pages: int) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The one page of `page_response` as pages 1..`pages`, block ids made unique per page."""
    for page in range(1, pages + 1):
        blocks = []
        for block in page_response["Blocks"]:
            block = {**copy.deepcopy(block), "Id": f"{block['Id']}-{page}", "Page": page}
            for relationship in block.get("Relationships", []):
                relationship["Ids"] = [f"{target}-{page}" for target in relationship["Ids"]]
            blocks.append(block)
        yield page, blocks


def extract(path: Path) -> None:
    view = read_document_view(path)
    extractor = DeterministicExtractor()
    v1, v2 = extractor.extract_v1(view), extractor.extract_v2(view)
    render_schema_extensions(v1, v2)
    render_v2_summary(v1, v2)


STEPS: dict[str, Callable[[Path], object]] = {
    "read": lambda path: sum(1 for _ in iter_response_pages(path)),
    "stats": response_stats,
    "extract": extract,
}


def seconds_per_mb(
    page_response: dict[str, Any], megabytes: float, folder: Path
) -> tuple[int, float, dict[str, float]]:
    """(pages, MB, {step: seconds per MB}) for a response of about `megabytes` MB."""
    page_mb = len(json.dumps(page_response, separators=(",", ":"))) / 2**20
    pages = max(1, round(megabytes / page_mb))
    path = folder / f"response-{pages}.json"
    write_response(path, repeated_pages(page_response, pages))
    size = path.stat().st_size / 2**20
    timings = {}
    for name, step in STEPS.items():
        started = time.perf_counter()
        step(path)
        timings[name] = (time.perf_counter() - started) / size
    path.unlink()
    return pages, size, timings


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Print the table; return, per step, the ratio of seconds per MB at the largest size to the smallest."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[6, 18, 54])
    parser.add_argument("--page-response", type=Path, default=DEFAULT_PAGE, help="A one-page Textract response.")
    args = parser.parse_args(argv)
    page_response = json.loads(args.page_response.read_text())
    rows = []
    with tempfile.TemporaryDirectory(prefix="response-reading-") as folder:
        seconds_per_mb(page_response, 0, Path(folder))  # warm-up: imports, first parse
        for megabytes in sorted(args.megabytes):
            pages, size, timings = seconds_per_mb(page_response, megabytes, Path(folder))
            rows.append(timings)
            cells = "  ".join(f"{name} {value:.3f}" for name, value in timings.items())
            print(f"{size:8.1f} MB {pages:6d} pages  s/MB: {cells}", flush=True)
    ratios = {name: rows[-1][name] / rows[0][name] for name in STEPS}
    print("s/MB largest / smallest: " + "  ".join(f"{name} {ratio:.2f}" for name, ratio in ratios.items()))
    return ratios


if __name__ == "__main__":
    main()
