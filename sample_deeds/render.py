"""Render composed pages as a scanner would deliver them, or as a PDF with a text layer.

TIFF: 300 dpi, bilevel, CCITT Group 4, one frame per page, with optional skew and
speckle (what real recorder scans look like); a watermark becomes hollow letters or an
ordered-dither grey, as on bilevel recorder copies. PDF: fpdf2 vector text, so the text
layer is exact (a watermark is grey text there, and part of the text layer).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw

from sample_deeds.fonts import FAMILIES, font_path, pil_font
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Box, Page, Rule, Text, Watermark

DPI = 300
_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]])


def _rotated_mask(text: str, font, angle: float, stroke: int = 0) -> Image.Image:
    """The text's ink (255) on black, rotated about its centre, sized to fit."""
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    mask = Image.new("L", (right - left + 2 * stroke + 4, bottom - top + 2 * stroke + 4), 0)
    ImageDraw.Draw(mask).text(
        (2 + stroke - left, 2 + stroke - top), text, font=font, fill=0 if stroke else 255,
        stroke_width=stroke, stroke_fill=255,
    )  # fmt: skip
    return mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)


def _draw_angled(image: Image.Image, item: Text, font) -> None:
    mask = _rotated_mask(item.text, font, item.angle)
    image.paste(0, (round(item.x * DPI), round(item.y * DPI)), mask)


def _draw_watermark(image: Image.Image, mark: Watermark) -> None:
    font = pil_font(font_path("", mark.role), round(mark.points * DPI / 72))
    mask = _rotated_mask(mark.text, font, mark.angle, stroke=4 if mark.outline else 0)
    corner = (round(mark.center_x * DPI - mask.width / 2), round(mark.center_y * DPI - mask.height / 2))
    ink = np.asarray(mask) > 127
    if not mark.outline:  # ordered dither: a grey that survives bilevel conversion
        ys, xs = np.indices(ink.shape)
        ink &= _BAYER[ys % 4, xs % 4] < (255 - mark.grey) * 16 // 255
    image.paste(0, corner, Image.fromarray((ink * 255).astype(np.uint8)))


def rasterize(
    page: Page, *, skew_degrees: float = 0.0, speckle: bool = False, rng: random.Random | None = None
) -> Image.Image:
    """One page as a bilevel ("1") image at 300 dpi."""
    image = Image.new("L", (round(PAGE_WIDTH * DPI), round(PAGE_HEIGHT * DPI)), 255)
    draw = ImageDraw.Draw(image)
    for item in page.items:
        if isinstance(item, Text):
            font = pil_font(font_path(page.family, item.role), round(item.points * DPI / 72))
            if item.angle:
                _draw_angled(image, item, font)
            else:
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
    for mark in (item for item in page.items if isinstance(item, Watermark)):
        _draw_watermark(image, mark)  # added by the recorder's copy service after scanning: not skewed
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
            if isinstance(item, Text | Watermark):
                key = f"{family}-{item.role}"
                if key not in registered:
                    pdf.add_font(key, "", font_path(family, item.role))
                    registered.add(key)
                pdf.set_font(key, size=item.points)
            if isinstance(item, Watermark):
                _pdf_watermark(pdf, item)
            elif isinstance(item, Text):
                with pdf.rotation(item.angle, item.x, item.y):
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


def _pdf_watermark(pdf: FPDF, mark: Watermark) -> None:
    width = pdf.get_string_width(mark.text)
    pdf.set_text_color(mark.grey)
    pdf.text_mode = TextMode.STROKE if mark.outline else TextMode.FILL
    with pdf.rotation(mark.angle, mark.center_x, mark.center_y):
        pdf.text(mark.center_x - width / 2, mark.center_y + mark.points / 72 * 0.35, mark.text)
    pdf.text_mode = TextMode.FILL
    pdf.set_text_color(0)
