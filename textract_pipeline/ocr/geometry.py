"""Pixel boxes on a working image and their mapping back to Textract's normalized geometry.

The engine OCRs a *working* image (upscaled, turned upright, deskewed), but Textract reports
geometry relative to the page as submitted. `PageFrame` holds the affine map from working
pixels to the submitted page's normalized [0, 1] coordinates, so a word read on a page that
was scanned upside down gets a polygon whose first point is still the word's top-left corner,
exactly as the real service does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in working-image pixels (right/bottom exclusive)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def contains_point(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def overlap_area(self, other: Box) -> float:
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return max(w, 0.0) * max(h, 0.0)

    def vertical_overlap(self, other: Box) -> float:
        """Overlap of the two boxes' vertical extents as a fraction of the shorter one."""
        overlap = min(self.bottom, other.bottom) - max(self.top, other.top)
        shorter = min(self.height, other.height)
        return overlap / shorter if shorter > 0 else 0.0


def union_all(boxes) -> Box:
    boxes = list(boxes)
    result = boxes[0]
    for box in boxes[1:]:
        result = result.union(box)
    return result


Affine = tuple[float, float, float, float, float, float]  # x' = a x + b y + c, y' = d x + e y + f


def _compose(outer: Affine, inner: Affine) -> Affine:
    """The map `outer(inner(point))`.

    Plain floats rather than numpy: a 3 x 3 matrix product through numpy costs more than the
    arithmetic and can wake OpenBLAS's worker threads, which then spin on the CPU.
    """
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f)


@dataclass
class PageFrame:
    """Affine map from working-image pixels to the submitted page's normalized coordinates."""

    width: int
    height: int
    affine: Affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)

    @classmethod
    def for_image(cls, width: int, height: int) -> PageFrame:
        """Working image == submitted image: normalize by its size."""
        return cls(width, height, (1.0 / width, 0.0, 0.0, 0.0, 1.0 / height, 0.0))

    @property
    def matrix(self) -> np.ndarray:
        """The map as a 3 x 3 homogeneous matrix."""
        a, b, c, d, e, f = self.affine
        return np.array([[a, b, c], [d, e, f], [0.0, 0.0, 1.0]])

    def scaled(self, factor: float, new_width: int, new_height: int) -> PageFrame:
        """The frame of this image resized by `factor`."""
        back = (1.0 / factor, 0.0, 0.0, 0.0, 1.0 / factor, 0.0)
        return PageFrame(new_width, new_height, _compose(self.affine, back))

    def rotated(self, degrees_ccw: float, new_width: int, new_height: int) -> PageFrame:
        """The frame of this image rotated counter-clockwise about its centre, the canvas grown to fit."""
        theta = math.radians(degrees_ccw)
        cos, sin = math.cos(theta), math.sin(theta)
        to_new_origin = (1.0, 0.0, -new_width / 2, 0.0, 1.0, -new_height / 2)
        unrotate = (cos, -sin, 0.0, sin, cos, 0.0)
        to_old_origin = (1.0, 0.0, self.width / 2, 0.0, 1.0, self.height / 2)
        back = _compose(to_old_origin, _compose(unrotate, to_new_origin))
        return PageFrame(new_width, new_height, _compose(self.affine, back))

    def geometry(self, box: Box) -> dict:
        """Textract Geometry (BoundingBox + Polygon) of a working-image box."""
        a, b, c, d, e, f = self.affine
        points = [
            (_unit(a * x + b * y + c), _unit(d * x + e * y + f))
            for x, y in ((box.left, box.top), (box.right, box.top), (box.right, box.bottom), (box.left, box.bottom))
        ]
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return {
            "BoundingBox": {
                "Width": max(xs) - min(xs),
                "Height": max(ys) - min(ys),
                "Left": min(xs),
                "Top": min(ys),
            },
            "Polygon": [{"X": x, "Y": y} for x, y in points],
        }


def _unit(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


FULL_PAGE_GEOMETRY = {
    "BoundingBox": {"Width": 1.0, "Height": 1.0, "Left": 0.0, "Top": 0.0},
    "Polygon": [
        {"X": 0.0, "Y": 0.0},
        {"X": 1.0, "Y": 0.0},
        {"X": 1.0, "Y": 1.0},
        {"X": 0.0, "Y": 1.0},
    ],
}
