"""What tesseract alone costs on a document: the floor under any engine built on it.

    python -m benchmarks.tesseract_floor PATH... [--max-pages N]

For every document (PATH is a file, or a folder of .tif/.tiff/.png/.jpg/.jpeg/.pdf files) it runs
the local engine, then tesseract alone on the same pages, and prints CPU seconds per page for
both and the engine's as a multiple of tesseract's, per document and overall.

Each scanned page is brought to the engine's working scale and recognized once by a handle set up
as the engine's (page segmentation + LSTM line recognition), and only that call is timed: no
decoding, turning or levelling, no form, table, checkbox or layout work, no recovery pass. Pages
read from a PDF text layer cost the engine no recognition and count zero here. The engine's CPU
seconds divided by these say how much the engine adds; the floor itself is what no engine that
reads with this tesseract can go below on the machine that measured it.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textract_pipeline.ocr import LocalOcrEngine, preprocess
from textract_pipeline.ocr.engine import open_recognizer, tessdata_path
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.geometry import PageFrame
from textract_pipeline.ocr.pages import iter_pages


@dataclass(frozen=True)
class Floor:
    pages: int  # pages of the document
    recognized: int  # pages a bare recognition read (scans; not text-layer PDF pages)
    cpu_seconds: float  # process CPU time inside tesseract's recognition of those pages


class TesseractFloor:
    """One tesseract handle, reused across documents like the engine's."""

    def __init__(self, dpi: int = 300, languages: str = "eng") -> None:
        self.dpi = dpi
        self._api = open_recognizer(tessdata_path(), languages)

    def measure(self, data: bytes, max_pages: int | None = None) -> Floor:
        """The floor of the document's first `max_pages` pages (all when None)."""
        pages = recognized = 0
        cpu_seconds = 0.0
        for source in iter_pages(data, self.dpi):
            if max_pages is not None and pages == max_pages:
                break
            pages += 1
            if source.text_lines is not None:
                continue
            image = source.image
            factor = preprocess.resolution_scale(np.asarray(image))
            image, _ = preprocess.rescale(image, PageFrame.for_image(image.width, image.height), factor)
            started = time.process_time()
            self._api.SetImage(image)
            self._api.Recognize()
            cpu_seconds += time.process_time() - started
            self._api.Clear()
            recognized += 1
        return Floor(pages, recognized, cpu_seconds)


DOCUMENT_SUFFIXES = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pdf"}


def documents_in(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(child for child in path.iterdir() if child.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--max-pages", type=int, help="pages of each document tesseract alone reads (default: all)")
    args = parser.parse_args(argv)
    engine, floor = LocalOcrEngine(), TesseractFloor()
    print("| document | pages | engine CPU s/page | tesseract alone s/page | engine ÷ tesseract |")
    print("|---|---|---|---|---|")
    engine_total = floor_total = 0.0
    recognized_total = 0
    for path in documents_in(args.paths):
        data = path.read_bytes()
        started = time.process_time()
        try:
            pages = engine.analyze(data)["DocumentMetadata"]["Pages"]
        except UnreadableDocumentError as error:
            print(f"| {path.name} | unreadable: {error} | | | |")
            continue
        engine_per_page = (time.process_time() - started) / pages
        bare = floor.measure(data, args.max_pages)
        if not bare.recognized:
            print(f"| {path.name} | {pages} | {engine_per_page:.2f} | 0.00 | n/a (text layer) |")
            continue
        floor_per_page = bare.cpu_seconds / bare.recognized
        engine_total += engine_per_page * bare.recognized
        floor_total += bare.cpu_seconds
        recognized_total += bare.recognized
        print(
            f"| {path.name} | {pages} | {engine_per_page:.2f} | {floor_per_page:.2f} "
            f"| {engine_per_page / floor_per_page:.2f} |"
        )
    if recognized_total:
        print(
            f"| **overall (scanned pages)** | {recognized_total} | {engine_total / recognized_total:.2f} "
            f"| {floor_total / recognized_total:.2f} | {engine_total / floor_total:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
