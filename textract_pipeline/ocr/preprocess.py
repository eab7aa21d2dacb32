"""Turn a page image into the working image tesseract reads best, and remember how.

Three corrections, each recorded in the page's `PageFrame` so geometry is reported against
the page as submitted: resolution (72-150 dpi scans and dpi-less PNGs are upscaled until text
is about as tall as on a 300-dpi scan; the stored dpi is not trusted because it is often wrong),
quarter-turn orientation (decided by tesseract OSD), and small skew. Skew and a sideways page are
measured from the ink before tesseract runs (`text_line_angles`), so a skewed scan is recognized once,
after it has been levelled; large skews are left to tesseract's own line finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from textract_pipeline.ocr.geometry import PageFrame

# Median connected-component height, in pixels, tesseract reads best at (10-12 pt text scanned at
# ~200 dpi). Smaller text is upscaled; text more than DOWNSCALE_ABOVE times taller (a 300-dpi scan of
# 10-12 pt text measures 26-32 px) is read downscaled to it: tesseract's layout analysis costs grow
# with the pixel count, and on generated 300-dpi deeds it read slightly more words correctly at this
# size and found paragraphs it dropped at full size (see docs/OCR.md).
TARGET_GLYPH_HEIGHT = 18.0
DOWNSCALE_ABOVE = 1.25
MAX_UPSCALE = 4.0
SOLID_BLOCK_FILL = 0.8
# Background levels counted as a tint (darker is a dark block, lighter is paper), how much of the
# page must be tinted before tints are lifted, and the closing that finds the background (about
# three and a half working glyph heights: wider than any stroke of text at that size, so a band holding
# a single line of text is left alone; tesseract reads those).
TINT_DARKEST = 120
TINT_LIGHTEST = 215
MIN_TINT_FRACTION = 0.02
TINT_KERNEL = 65
# The working image is never larger than this: tesseract needs ~10 bytes a pixel (160 MB at this
# size, 680 MB at 64 MP) and crashed on an 18000x18000 upscale. 16 MP holds a letter page at
# 400 dpi; pages of smaller text than that are read with smaller glyphs rather than not at all.
MAX_WORKING_PIXELS = 16_000_000
# A skew measured from the ink before recognition is levelled from this angle on: a rotation costs
# ~30 ms, and tesseract merges lines of neighbouring columns (a recording stamp beside an address
# block) into one garbled line at skews as small as 0.5-1 degree.
MIN_DESKEW_DEGREES = 0.3
# A skew only tesseract's baselines could measure costs a second recognition: only from this angle on.
MIN_RECOGNIZED_DESKEW_DEGREES = 1.0
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
    # A tinted cell or a photo (with any text printed on it) is a solid block, not a glyph.
    solid = (widths >= 8) & (heights >= 8) & (stats[1:, cv2.CC_STAT_AREA] > SOLID_BLOCK_FILL * widths * heights)
    glyph_like = (heights >= 3) & (heights <= 300) & (widths <= 3 * heights) & ~solid
    if glyph_like.sum() < 10:
        return None
    return float(np.median(heights[glyph_like])) * step


def resolution_scale(gray: np.ndarray) -> float:
    """Factor that brings the page's text to the size tesseract's models were trained on, within the pixel cap."""
    return capped_scale(scale_for_glyph_height(median_glyph_height(gray)), gray.shape[1], gray.shape[0])


def capped_scale(factor: float, width: int, height: int) -> float:
    """`factor`, reduced where the scaled page would exceed `MAX_WORKING_PIXELS`."""
    return min(factor, (MAX_WORKING_PIXELS / max(1, width * height)) ** 0.5)


def scale_for_glyph_height(height: float | None) -> float:
    if height is None:
        return 1.0
    if height < 0.75 * TARGET_GLYPH_HEIGHT:
        return min(TARGET_GLYPH_HEIGHT / height, MAX_UPSCALE)
    if height > DOWNSCALE_ABOVE * TARGET_GLYPH_HEIGHT:
        return TARGET_GLYPH_HEIGHT / height
    return 1.0


@dataclass
class LineAngles:
    """What the page's ink says about its text lines before any recognition."""

    skew_degrees: float | None  # counter-clockwise rotation that levels the text; None: too few lines to tell
    horizontal: int  # long thin blobs (text lines, rules) lying within 45 degrees of horizontal
    vertical: int  # ... and of vertical, measured the same way on the page turned a quarter

    @property
    def looks_sideways(self) -> bool:
        """Text runs up or down the page: many more vertical line blobs than horizontal ones."""
        return self.vertical >= 3 and self.vertical > 2 * self.horizontal


def text_line_angles(ink: np.ndarray, glyph_height: float) -> LineAngles:
    """Skew of the page's text lines, measured on the ink mask (255 = ink) in a few tens of milliseconds.

    The ink is reduced until glyphs are ~6 px tall, closed with a short horizontal bar so the
    letters and words of a line merge into one blob, and every blob at least
    `MIN_LINE_IN_GLYPHS` glyph heights long and at most `MAX_LINE_THICKNESS_IN_GLYPHS` thick
    (its minimum-area rectangle) is a line; the skew is the length-weighted median of their
    angles. Rules count too: they are skewed with the text. Closing with a vertical bar instead
    finds the lines of a page turned a quarter.
    """
    step = max(1, int(glyph_height // 6))
    if min(ink.shape) < 8 * step:  # a scrap of an image: measure it as it is
        step = 1
    small = (
        cv2.resize(ink, (ink.shape[1] // step, ink.shape[0] // step), interpolation=cv2.INTER_AREA) if step > 1 else ink
    )
    small = (small > 0).astype(np.uint8)
    height = glyph_height / step
    bar = max(3, round(1.5 * height))
    horizontal = _line_blob_angles(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((1, bar), np.uint8)), height)
    vertical = _line_blob_angles(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((bar, 1), np.uint8)).T, height)
    skew = None
    if len(horizontal) >= MIN_SKEW_LINES:
        angles = np.array([angle for angle, _ in horizontal])
        weights = np.array([length for _, length in horizontal])
        order = np.argsort(angles)
        cumulative = np.cumsum(weights[order])
        skew = float(angles[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return LineAngles(skew, len(horizontal), len(vertical))


MIN_LINE_IN_GLYPHS = 8.0
MAX_LINE_THICKNESS_IN_GLYPHS = 2.5
MIN_SKEW_LINES = 2


def _line_blob_angles(closed: np.ndarray, glyph_height: float) -> list[tuple[float, float]]:
    """(angle in degrees, y down, within +-45 of horizontal; length) of each long thin blob."""
    contours, _ = cv2.findContours(np.ascontiguousarray(closed), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        if len(contour) < 5:
            continue
        x, y, w, h = cv2.boundingRect(contour)
        if max(w, h) < MIN_LINE_IN_GLYPHS * glyph_height:
            continue
        points = cv2.boxPoints(cv2.minAreaRect(contour))
        edges = [points[(i + 1) % 4] - points[i] for i in range(2)]
        long_edge, short_edge = sorted(edges, key=lambda e: -float(np.hypot(*e)))
        length, thickness = float(np.hypot(*long_edge)), float(np.hypot(*short_edge))
        if length < MIN_LINE_IN_GLYPHS * glyph_height or thickness > MAX_LINE_THICKNESS_IN_GLYPHS * glyph_height:
            continue
        dx, dy = float(long_edge[0]), float(long_edge[1])
        if dx < 0:
            dx, dy = -dx, -dy
        angle = math.degrees(math.atan2(dy, dx))
        if abs(angle) <= 45:
            found.append((angle, length))
    return found


def rescale(image: Image.Image, frame: PageFrame, factor: float) -> tuple[Image.Image, PageFrame]:
    """Resize by `factor`: bicubic up; area averaging down (OpenCV: ~10x faster than PIL's Lanczos on a page)."""
    if abs(factor - 1.0) < 0.05:
        return image, frame
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    if factor > 1:
        resized = image.resize(size, Image.Resampling.BICUBIC)
    else:
        resized = Image.fromarray(cv2.resize(np.asarray(image), size, interpolation=cv2.INTER_AREA))
    return resized, frame.scaled(factor, *size)


def rotate(image: Image.Image, frame: PageFrame, degrees_ccw: float) -> tuple[Image.Image, PageFrame]:
    """Rotate counter-clockwise about the centre, growing the canvas and filling it with paper white."""
    if degrees_ccw % 90 == 0:
        transpose = {
            90: Image.Transpose.ROTATE_90,
            180: Image.Transpose.ROTATE_180,
            270: Image.Transpose.ROTATE_270,
        }
        turned = image.transpose(transpose[int(degrees_ccw) % 360]) if degrees_ccw % 360 else image
        return turned, frame.rotated(degrees_ccw, turned.width, turned.height)
    theta = math.radians(degrees_ccw)
    cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
    width = math.ceil(image.width * cos + image.height * sin)
    height = math.ceil(image.width * sin + image.height * cos)
    # The same map PageFrame.rotated inverts: the old centre lands on the new centre.
    matrix = cv2.getRotationMatrix2D((image.width / 2, image.height / 2), degrees_ccw, 1.0)
    matrix[0, 2] += width / 2 - image.width / 2
    matrix[1, 2] += height / 2 - image.height / 2
    turned = cv2.warpAffine(
        np.asarray(image),
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )
    return Image.fromarray(turned), frame.rotated(degrees_ccw, width, height)


def without_tint(image: Image.Image) -> Image.Image:
    """The working image with tinted backgrounds (shaded cells and bands) brought to white paper.

    Tesseract binarizes a page with one global threshold, which on a page with pale and mid-grey
    tints puts a shaded cell's text on a black ground and loses it. Dividing by the background (a
    closing wider than the working glyph height takes the strokes out) lightens the tint and keeps
    the text; dark blocks (a black bar of white text, a photo) and white paper are left as they are.
    Pages without tint are returned unchanged.
    """
    gray = np.asarray(image)
    small = gray[::4, ::4]
    if np.count_nonzero((small > TINT_DARKEST) & (small < TINT_LIGHTEST)) < MIN_TINT_FRACTION * small.size:
        return image
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((TINT_KERNEL, TINT_KERNEL), np.uint8))
    tinted = (background > TINT_DARKEST) & (background < TINT_LIGHTEST)
    lifted = np.minimum(gray.astype(np.float32) * 255.0 / np.maximum(background, 1), 255).astype(np.uint8)
    return Image.fromarray(np.where(tinted, lifted, gray))
