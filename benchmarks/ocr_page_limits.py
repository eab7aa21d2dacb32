"""Tesseract's memory and time against the working image's size: the measurement behind the pixel cap.

    python -m benchmarks.ocr_page_limits [--megapixels 4 9 16 25 36 64]

For each size, a fresh process draws a square page with twelve lines of 18-px text (so recognition
is cheap and the pixels dominate) and recognizes it once; it prints the process's peak RSS before
and after, and the CPU seconds of the recognition.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from importlib import resources

from benchmarks.common import print_table


def measure(megapixels: float) -> dict[str, float]:
    from PIL import Image, ImageDraw, ImageFont

    from textract_pipeline.ocr.engine import open_recognizer, tessdata_path
    from textract_pipeline.ocr.words import recognize

    side = int((megapixels * 1e6) ** 0.5)
    font = ImageFont.truetype(str(resources.files("textractor") / "visualizers" / "arial.ttf"), 24)
    page = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(page)
    for top in range(100, side - 100, side // 12):
        draw.text((100, top), "The quick brown fox jumps over the lazy dog 12345", font=font, fill=0)
    api = open_recognizer(tessdata_path(), "eng")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.process_time()
    recognize(api, page)
    return {
        "cpu": time.process_time() - started,
        "before": before,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, nargs="+", default=[4, 9, 16, 25, 36, 64])
    args = parser.parse_args(argv)
    rows = []
    for megapixels in args.megapixels:
        output = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import json, benchmarks.ocr_page_limits as m; print(json.dumps(m.measure({megapixels})))",
            ],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        rows.append(
            [megapixels, figures["before"], figures["peak"], figures["peak"] - figures["before"], figures["cpu"]]
        )
    print_table(["megapixels", "RSS before MB", "peak RSS MB", "tesseract's part MB", "recognition CPU s"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
