"""Speed and memory of the local OCR engine on a long scanned document.

    python -m benchmarks.ocr_many_pages [--pages 100]

Generates a letter-size, 300-dpi, bilevel Group 4 TIFF with N pages of printed text (about
39 lines, ~470 words per page, drawn with the Arial font textractor ships) into a temporary
file, then runs the engine once over it in a fresh child process (`--measure FILE`) so the
printed peak RSS is the engine's alone. Tesseract runs on one thread; CPU seconds are the
fair speed figure on a shared machine, wall seconds are printed beside them. After the engine,
the same process times tesseract's bare recognition of the first `--floor-pages` pages
(see tesseract_floor): the part of a page's time no tesseract-based engine can save.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

from benchmarks.tesseract_floor import TesseractFloor
from textract_pipeline.ocr import LocalOcrEngine

PAGE_SIZE = (2550, 3300)  # US letter at 300 dpi
FONT_PIXELS = 42  # 10 pt at 300 dpi
SENTENCES = [
    "GRANT DEED recorded at the request of First American Title Company",
    "APN: 123-456-789 Documentary transfer tax $1,100.00 computed on full value",
    "For a valuable consideration, receipt of which is hereby acknowledged,",
    "JOHN A. SMITH and MARY B. SMITH, husband and wife as joint tenants",
    "hereby GRANT(S) to ROBERT C. JONES, a single man, the real property",
    "in the City of Pasadena, County of Los Angeles, State of California:",
    "Lot 14 of Tract No. 5821, as per map recorded in Book 62 Page 17 of Maps",
]


def font_path() -> str:
    return str(resources.files("textractor") / "visualizers" / "arial.ttf")


def text_page(number: int) -> Image.Image:
    page = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(font_path(), FONT_PIXELS)
    y = 200
    line = 0
    while y < PAGE_SIZE[1] - 250:
        draw.text(
            (200, y),
            f"{number}.{line} {SENTENCES[(number + line) % len(SENTENCES)]}",
            font=font,
            fill=0,
        )
        y += 80
        line += 1
    return page.convert("1")


def write_many_page_tiff(path: Path, pages: int) -> None:
    """Append pages one at a time, so generating costs one page of memory."""
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tiff:
        for number in range(1, pages + 1):
            text_page(number).save(tiff, format="TIFF", compression="group4", dpi=(300, 300))
            tiff.newFrame()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--floor-pages", type=int, default=10, help="pages timed with tesseract alone (0 to skip)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.measure.read_bytes(), args.pages, args.floor_pages)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"generated-{args.pages}-pages.tiff"
        write_many_page_tiff(path, args.pages)
        command = [
            sys.executable,
            "-m",
            "benchmarks.ocr_many_pages",
            "--pages",
            str(args.pages),
            "--floor-pages",
            str(args.floor_pages),
        ]
        return subprocess.run([*command, "--measure", str(path)], check=False).returncode


def measure(data: bytes, pages: int, floor_pages: int) -> int:
    engine = LocalOcrEngine()
    load_before = os.getloadavg()
    started, started_cpu = time.perf_counter(), time.process_time()
    response = engine.analyze(data)
    seconds, cpu_seconds = (
        time.perf_counter() - started,
        time.process_time() - started_cpu,
    )
    words = sum(1 for block in response["Blocks"] if block["BlockType"] == "WORD")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        f"| generated {pages}-page G4 TIFF ({len(data) / 1e6:.1f} MB, 300 dpi) "
        "| pages | words | CPU s/page | wall s/page | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| local engine | {response['DocumentMetadata']['Pages']} | {words} "
        f"| {cpu_seconds / pages:.2f} | {seconds / pages:.2f} | {peak_mb:.0f} |"
    )
    if floor_pages:
        floor = TesseractFloor().measure(data, max_pages=floor_pages)
        floor_per_page = floor.cpu_seconds / floor.recognized
        print(
            f"\ntesseract alone, first {floor.recognized} pages: {floor_per_page:.2f} CPU s/page; "
            f"the engine's CPU is {cpu_seconds / pages / floor_per_page:.2f} times that"
        )
    load_after = os.getloadavg()
    print(f"\nload average (1 min) before: {load_before[0]:.2f}, after: {load_after[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
