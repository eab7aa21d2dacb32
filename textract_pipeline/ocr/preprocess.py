"""Turn a page image into the working image tesseract reads best, and remember how.

Three corrections, each recorded in the page's `PageFrame` so geometry is reported against
the page as submitted: resolution (72-150 dpi scans and dpi-less PNGs are upscaled until text
is about as tall as on a 300-dpi scan; the stored dpi is not trusted because it is often wrong),
quarter-turn orientation (decided by tesseract OSD), and small skew (tesseract's layout analysis
reports it; large skews are left to tesseract's own line finding).
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from textract_pipeline.ocr.geometry import PageFrame

# Median connected-component height, in pixels, of 10-12 pt text scanned at 300 dpi.
TARGET_GLYPH_HEIGHT = 18.0
MAX_UPSCALE = 4.0
# Skews smaller than this do not hurt recognition enough to pay for a rotation.
MIN_DESKEW_DEGREES = 1.0
MAX_DESKEW_DEGREES = 10.0


def median_glyph_height(gray: np.ndarray) -> float | None:
    """Median height of glyph-sized ink components (None on a page with no text-like ink).

    Large pages are measured at half resolution: the label image of a 300-dpi page alone is 34 MB.
    """
    step = 2 if gray.shape[0] * gray.shape[1] > 4_000_000 else 1
    sample = gray[::step, ::step]
    _, ink = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    glyph_like = (heights >= 3) & (heights <= 300) & (widths <= 3 * heights)
    if glyph_like.sum() < 10:
        return None
    return float(np.median(heights[glyph_like])) * step


def resolution_scale(gray: np.ndarray) -> float:
    """Factor that brings the page's text to the size tesseract's models were trained on."""
    height = median_glyph_height(gray)
    if height is None:
        return 1.0
    if height < 0.75 * TARGET_GLYPH_HEIGHT:
        return min(TARGET_GLYPH_HEIGHT / height, MAX_UPSCALE)
    if height > 3.0 * TARGET_GLYPH_HEIGHT:
        return TARGET_GLYPH_HEIGHT * 1.5 / height
    return 1.0


def rescale(image: Image.Image, frame: PageFrame, factor: float) -> tuple[Image.Image, PageFrame]:
    if abs(factor - 1.0) < 0.05:
        return image, frame
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    resized = image.resize(size, Image.Resampling.BICUBIC if factor > 1 else Image.Resampling.LANCZOS)
    return resized, frame.scaled(factor, *size)


def rotate(image: Image.Image, frame: PageFrame, degrees_ccw: float) -> tuple[Image.Image, PageFrame]:
    """Rotate counter-clockwise, growing the canvas and filling it with paper white."""
    if degrees_ccw % 90 == 0:
        transpose = {
            90: Image.Transpose.ROTATE_90,
            180: Image.Transpose.ROTATE_180,
            270: Image.Transpose.ROTATE_270,
        }
        turned = image.transpose(transpose[int(degrees_ccw) % 360]) if degrees_ccw % 360 else image
    else:
        turned = image.rotate(degrees_ccw, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    return turned, frame.rotated(degrees_ccw, turned.width, turned.height)
