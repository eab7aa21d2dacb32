"""Watermarks recorder copy services print across every page ("UNOFFICIAL COPY" and the like).

Most run corner to corner over the body in grey; some counties stamp a smaller one over the
header instead ("Unofficial Document").
"""

from __future__ import annotations

import random

from sample_deeds.fonts import text_width_inches
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Page, Watermark

STATE_TEXTS = {
    "CA": ("UNOFFICIAL COPY",),
    "FL": ("NOT AN OFFICIAL COPY", "NOT AN OFFICIAL COPY - PUBLIC ACCESS"),
    "WA": ("Unofficial Copy", "UNOFFICIAL COPY"),
    "AZ": ("Unofficial Document",),
    "TX": ("UNOFFICIAL COPY", "NOT A CERTIFIED COPY"),
    "CO": ("UNOFFICIAL COPY",),
}
HEADER_TEXTS = {"Unofficial Document"}


def watermark_text(rng: random.Random, state: str) -> str:
    return rng.choice(STATE_TEXTS[state])


def apply_watermark(pages: list[Page], text: str, rng: random.Random) -> None:
    """The same mark on every page: across the body diagonally, or smaller over the header."""
    outline = rng.random() < 0.5
    grey = rng.randint(150, 200)
    role = "mono_bold" if outline else "sans_bold"
    if text in HEADER_TEXTS:
        angle, span, center = rng.uniform(12, 30), rng.uniform(3.5, 5.0), (rng.uniform(3.5, 5.0), rng.uniform(0.9, 1.6))
    else:
        diagonal = (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
        angle, span = rng.uniform(48, 58) * rng.choice((1, -1)), rng.uniform(0.6, 0.8) * diagonal
        center = (PAGE_WIDTH / 2 + rng.uniform(-0.3, 0.3), PAGE_HEIGHT / 2 + rng.uniform(-0.5, 0.5))
    points = round(10 * span / text_width_inches(text, "caladea", role, 10), 1)
    for page in pages:
        page.items.append(Watermark(text, center[0], center[1], round(angle, 1), points, grey, outline))
