"""Pixel boxes on a working image and their mapping back to Textract's normalized geometry.

The engine OCRs a *working* image (upscaled, turned upright, deskewed), but Textract reports
geometry relative to the page as submitted. `PageFrame` holds the affine map from working
pixels to the submitted page's normalized [0, 1] coordinates, so a word read on a page that
was scanned upside down gets a polygon whose first point is still the word's top-left corner,
exactly as the real service does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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


@dataclass
class PageFrame:
    """Affine map from working-image pixels to the submitted page's normalized coordinates."""

    width: int
    height: int
    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))

    @classmethod
    def for_image(cls, width: int, height: int) -> PageFrame:
        """Working image == submitted image: normalize by its size."""
        return cls(width, height, np.diag([1.0 / width, 1.0 / height, 1.0]))

    def scaled(self, factor: float, new_width: int, new_height: int) -> PageFrame:
        """The frame of this image resized by `factor`."""
        back = np.diag([1.0 / factor, 1.0 / factor, 1.0])
        return PageFrame(new_width, new_height, self.matrix @ back)

    def rotated(self, degrees_ccw: float, new_width: int, new_height: int) -> PageFrame:
        """The frame of this image rotated counter-clockwise about its centre with PIL's expand=True."""
        theta = math.radians(degrees_ccw)
        cos, sin = math.cos(theta), math.sin(theta)
        to_new_origin = np.array([[1, 0, -new_width / 2], [0, 1, -new_height / 2], [0, 0, 1.0]])
        unrotate = np.array([[cos, -sin, 0], [sin, cos, 0], [0, 0, 1.0]])
        to_old_origin = np.array([[1, 0, self.width / 2], [0, 1, self.height / 2], [0, 0, 1.0]])
        back = to_old_origin @ unrotate @ to_new_origin
        return PageFrame(new_width, new_height, self.matrix @ back)

    def geometry(self, box: Box) -> dict:
        """Textract Geometry (BoundingBox + Polygon) of a working-image box."""
        corners = np.array(
            [
                [box.left, box.top, 1.0],
                [box.right, box.top, 1.0],
                [box.right, box.bottom, 1.0],
                [box.left, box.bottom, 1.0],
            ]
        )
        points = np.clip((self.matrix @ corners.T).T[:, :2], 0.0, 1.0)
        xs, ys = points[:, 0], points[:, 1]
        return {
            "BoundingBox": {
                "Width": float(xs.max() - xs.min()),
                "Height": float(ys.max() - ys.min()),
                "Left": float(xs.min()),
                "Top": float(ys.min()),
            },
            "Polygon": [{"X": float(x), "Y": float(y)} for x, y in points],
        }


FULL_PAGE_GEOMETRY = {
    "BoundingBox": {"Width": 1.0, "Height": 1.0, "Left": 0.0, "Top": 0.0},
    "Polygon": [
        {"X": 0.0, "Y": 0.0},
        {"X": 1.0, "Y": 0.0},
        {"X": 1.0, "Y": 1.0},
        {"X": 0.0, "Y": 1.0},
    ],
}
