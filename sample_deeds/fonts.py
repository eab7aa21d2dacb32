"""Fonts for generated documents, all shipped inside PyPI packages (no system fonts needed).

font-caladea (serif, metric-compatible with Cambria), font-roboto (sans),
font-source-serif-pro (serif, OpenType CFF: raster only) and font-intuitive (a
hand-drawn face for signatures and handwritten dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import font_caladea
import font_intuitive
import font_roboto
import font_source_serif_pro
from PIL import ImageFont


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: str
    bold: str
    pdf_capable: bool  # fpdf2 embeds TrueType outlines; CFF (.otf) faces are raster-only here


FAMILIES: dict[str, FontFamily] = {
    "caladea": FontFamily("caladea", font_caladea.Caladea, font_caladea.CaladeaBold, True),
    "roboto": FontFamily("roboto", font_roboto.Roboto, font_roboto.RobotoBold, True),
    "source_serif": FontFamily(
        "source_serif", font_source_serif_pro.SourceSerifPro, font_source_serif_pro.SourceSerifProBold, False
    ),
}
HANDWRITING = font_intuitive.Intuitive


def font_path(family: str, role: str) -> str:
    """role: 'regular', 'bold' or 'hand'."""
    if role == "hand":
        return HANDWRITING
    chosen = FAMILIES[family]
    return chosen.bold if role == "bold" else chosen.regular


@lru_cache(maxsize=64)
def pil_font(path: str, pixel_size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixel_size)


def text_width_inches(text: str, family: str, role: str, points: float) -> float:
    """Measured at 300 dpi so wrapping matches the raster exactly."""
    font = pil_font(font_path(family, role), round(points * 300 / 72))
    return font.getlength(text) / 300
