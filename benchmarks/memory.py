"""Peak RSS of the process running one document, for long documents.

    python -m benchmarks.memory [--tiff-pages 20 200] [--response-pages 50 500]

Two cases, each in a fresh child process that runs `process_paths` with one worker (so the
run is in that process) and reports its own peak RSS:
- a Group-4 TIFF of N pages (pages of the generated corpus, repeated), through the local
  OCR engine;
- a one-page TIFF whose Textract response is N pages (a real generated page's response,
  repeated with fresh block ids), put in the content-hash cache first, as a real Textract
  job's result would be: every stage after OCR handles the N-page response.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageSequence

from benchmarks.common import machine_note, print_table
from benchmarks.corpus import build_corpus


def long_tiff(pages: int) -> bytes:
    """`pages` pages cycled from the 20-page corpus, as one Group-4 TIFF."""
    sources = []
    for file in build_corpus(20):
        with Image.open(file) as image:
            sources += [frame.copy() for frame in ImageSequence.Iterator(image)]
    frames = [sources[index % len(sources)] for index in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", compression="group4", dpi=(300, 300), save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def repeated_response(page_response: dict, pages: int) -> dict:
    """A `pages`-page AnalyzeDocument response: one page's blocks again and again, ids made unique."""
    blocks = []
    for page in range(1, pages + 1):
        for block in page_response["Blocks"]:
            copy = {**block, "Id": f"{block['Id']}-{page}", "Page": page}
            if "Relationships" in block:
                copy["Relationships"] = [
                    {**relation, "Ids": [f"{i}-{page}" for i in relation["Ids"]]} for relation in block["Relationships"]
                ]
            blocks.append(copy)
    return {**page_response, "DocumentMetadata": {"Pages": pages}, "Blocks": blocks}


def child(data_dir: Path, document: Path) -> None:
    from textract_pipeline.runner import process_paths
    from textract_pipeline.settings import Settings

    settings = Settings.from_environ(
        {"TEXTRACT_PIPELINE_DATA_DIR": str(data_dir), "TEXTRACT_PIPELINE_MAX_PAGES": "1000"}
    )
    started = time.perf_counter()
    (outcome,) = process_paths([document], settings, workers=1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"status": outcome.record.status.value, "seconds": time.perf_counter() - started, "peak_mb": peak_mb}
        )
    )


def measure(data_dir: Path, document: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--child", str(data_dir), str(document)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiff-pages", type=int, nargs="*", default=[20, 200])
    parser.add_argument("--response-pages", type=int, nargs="*", default=[50, 500])
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    print(machine_note())
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as temp:
        for pages in args.tiff_pages:
            document = Path(temp) / f"long-{pages}.tif"
            document.write_bytes(long_tiff(pages))
            result = measure(Path(temp) / f"data-tiff-{pages}", document)
            rows.append([f"{pages}-page TIFF, local OCR", result["status"], result["seconds"], result["peak_mb"]])
        if args.response_pages:
            from textract_pipeline.ocr import LocalOcrEngine
            from textract_pipeline.outputs import textract_cache_key

            one_page = long_tiff(1)
            page_response = LocalOcrEngine().analyze(long_tiff(1))
            for pages in args.response_pages:
                data_dir = Path(temp) / f"data-response-{pages}"
                document = Path(temp) / f"response-{pages}.tif"
                document.write_bytes(one_page)
                cache = data_dir / textract_cache_key("local-ocr", hashlib.sha256(one_page).hexdigest())
                cache.parent.mkdir(parents=True)
                cache.write_text(json.dumps(repeated_response(page_response, pages)))
                result = measure(data_dir, document)
                rows.append([f"{pages}-page Textract response", result["status"], result["seconds"], result["peak_mb"]])
    print_table(["document", "status", "run s", "peak RSS MB"], rows)


if __name__ == "__main__":
    main()
