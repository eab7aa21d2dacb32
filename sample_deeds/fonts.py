"""Fonts for generated documents, all shipped inside PyPI packages (no system fonts needed).

font-caladea (serif, metric-compatible with Cambria), font-roboto (sans),
font-source-serif-pro (serif, OpenType CFF: raster only), fontpkg-ibm-plex-mono (the
typewriter-like face of recorder stamps), font-intuitive (cursive-like hand for signatures
and dates) and font-amatic-sc (hand printing in capitals, as forms are filled in).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import font_amatic_sc
import font_caladea
import font_intuitive
import font_roboto
import font_source_serif_pro
import fontpkg_ibm_plex_mono
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
_MONO = fontpkg_ibm_plex_mono.ROOT / "files"
SHARED_ROLES = {
    "hand": font_intuitive.Intuitive,
    "hand_print": font_amatic_sc.AmaticSCBold,
    "mono": str(_MONO / "IBMPlexMono-Regular.ttf"),
    "mono_bold": str(_MONO / "IBMPlexMono-Bold.ttf"),
    "sans_bold": font_roboto.RobotoBold,
}
HAND_ROLES = ("hand", "hand_print")


def font_path(family: str, role: str) -> str:
    """role: 'regular' or 'bold' (the family's), or one of SHARED_ROLES (the same face in every family)."""
    if role in SHARED_ROLES:
        return SHARED_ROLES[role]
    chosen = FAMILIES[family]
    return chosen.bold if role == "bold" else chosen.regular


@lru_cache(maxsize=64)
def pil_font(path: str, pixel_size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixel_size)


@lru_cache(maxsize=100_000)
def text_width_inches(text: str, family: str, role: str, points: float) -> float:
    """Measured at 300 dpi so wrapping matches the raster exactly."""
    font = pil_font(font_path(family, role), round(points * 300 / 72))
    return font.getlength(text) / 300
