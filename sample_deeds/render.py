"""Render composed pages as a scanner would deliver them, or as a PDF with a text layer.

TIFF: 300 dpi, bilevel, CCITT Group 4, one frame per page, with optional skew and
speckle (what real recorder scans look like). PDF: fpdf2 vector text, so the text layer
is exact.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from fpdf import FPDF
from PIL import Image, ImageDraw

from sample_deeds.fonts import FAMILIES, font_path, pil_font
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Box, Page, Rule, Text

DPI = 300


def rasterize(
    page: Page, *, skew_degrees: float = 0.0, speckle: bool = False, rng: random.Random | None = None
) -> Image.Image:
    """One page as a bilevel ("1") image at 300 dpi."""
    image = Image.new("L", (round(PAGE_WIDTH * DPI), round(PAGE_HEIGHT * DPI)), 255)
    draw = ImageDraw.Draw(image)
    for item in page.items:
        if isinstance(item, Text):
            font = pil_font(font_path(page.family, item.role), round(item.points * DPI / 72))
            draw.text((item.x * DPI, item.y * DPI), item.text, font=font, fill=0)
        elif isinstance(item, Rule):
            draw.line(
                [(item.x0 * DPI, item.y0 * DPI), (item.x1 * DPI, item.y1 * DPI)],
                fill=0,
                width=max(1, round(item.width * DPI)),
            )
        elif isinstance(item, Box):
            corners = [item.x * DPI, item.y * DPI, (item.x + item.width) * DPI, (item.y + item.height) * DPI]
            draw.rectangle(corners, outline=0, width=3)
            if item.filled_x:
                draw.line([(corners[0] + 4, corners[1] + 4), (corners[2] - 4, corners[3] - 4)], fill=0, width=4)
                draw.line([(corners[0] + 4, corners[3] - 4), (corners[2] - 4, corners[1] + 4)], fill=0, width=4)
    if skew_degrees:
        image = image.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if speckle:
        image = _speckle(image, rng or random.Random(0))
    return image.point(lambda value: 255 if value > 160 else 0).convert("1")


def _speckle(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scanner dust: isolated black specks, a few 2x2 clumps."""
    pixels = np.asarray(image).copy()
    height, width = pixels.shape
    generator = np.random.default_rng(rng.randrange(2**32))
    count = int(width * height * 0.0004)
    ys = generator.integers(0, height - 2, count)
    xs = generator.integers(0, width - 2, count)
    pixels[ys, xs] = 0
    clumps = count // 10
    for dy in (0, 1):
        for dx in (0, 1):
            pixels[ys[:clumps] + dy, xs[:clumps] + dx] = 0
    return Image.fromarray(pixels)


def write_tiff(images: list[Image.Image], path: Path) -> None:
    first, *rest = images
    first.save(path, format="TIFF", compression="group4", dpi=(DPI, DPI), save_all=True, append_images=rest)


def write_pdf(pages: list[Page], path: Path) -> None:
    """A PDF whose text layer is the exact printed text (TrueType families only)."""
    pdf = FPDF(unit="in", format="letter")
    pdf.set_auto_page_break(False)
    registered: set[str] = set()
    for page in pages:
        family = page.family if FAMILIES[page.family].pdf_capable else "caladea"
        pdf.add_page()
        for item in page.items:
            if isinstance(item, Text):
                key = f"{family}-{item.role}"
                if key not in registered:
                    pdf.add_font(key, "", font_path(family, item.role))
                    registered.add(key)
                pdf.set_font(key, size=item.points)
                pdf.text(item.x, item.y + item.points / 72 * 0.8, item.text)
            elif isinstance(item, Rule):
                pdf.set_line_width(item.width)
                pdf.line(item.x0, item.y0, item.x1, item.y1)
            elif isinstance(item, Box):
                pdf.set_line_width(0.01)
                pdf.rect(item.x, item.y, item.width, item.height)
                if item.filled_x:
                    pdf.line(item.x, item.y, item.x + item.width, item.y + item.height)
                    pdf.line(item.x, item.y + item.height, item.x + item.width, item.y)
    pdf.output(str(path))
