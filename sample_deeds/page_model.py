"""Device-independent page content (inches, points) shared by the TIFF and PDF renderers."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sample_deeds.fonts import text_width_inches

PAGE_WIDTH = 8.5
PAGE_HEIGHT = 11.0


@dataclass(frozen=True)
class Text:
    x: float  # left edge, inches
    y: float  # top edge, inches
    text: str
    role: str = "regular"  # regular | bold | hand | hand_print | mono | mono_bold
    points: float = 10.0
    angle: float = 0.0  # tilt in degrees counter-clockwise (handwriting drifts off the line)


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.01  # inches


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    filled_x: bool = False  # a checkbox with an X in it


@dataclass(frozen=True)
class Watermark:
    """Large grey text across the page, drawn over everything else (recorder copies carry one)."""

    text: str
    center_x: float  # inches
    center_y: float
    angle: float  # degrees counter-clockwise
    points: float
    grey: int  # 0 black .. 255 white
    outline: bool  # hollow letters (as many bilevel recorder copies print them) or filled grey

    @property
    def role(self) -> str:
        return "mono_bold" if self.outline else "sans_bold"


@dataclass
class Page:
    family: str
    items: list[Text | Rule | Box | Watermark] = field(default_factory=list)


@dataclass
class PageWriter:
    """A cursor over one page: lines, wrapped paragraphs, gaps.

    With ``new_page`` set, a line that would pass ``bottom`` starts a fresh page (at ``top``)
    instead: long documents flow from page to page.
    """

    page: Page
    left: float = 0.9
    right: float = PAGE_WIDTH - 0.9
    y: float = 0.6
    points: float = 10.0
    new_page: Callable[[], Page] | None = None
    top: float = 0.9
    bottom: float = PAGE_HEIGHT - 0.9

    def room(self, inches: float) -> None:
        """Start a new page unless ``inches`` still fit on this one."""
        if self.new_page is not None and self.y + inches > self.bottom:
            self.page = self.new_page()
            self.y = self.top

    @property
    def line_height(self) -> float:
        return self.points * 1.45 / 72

    def text(
        self,
        text: str,
        *,
        x: float | None = None,
        role: str = "regular",
        points: float | None = None,
        align: str = "left",
        advance: bool = True,
    ) -> Text:
        size = points or self.points
        if advance:
            self.room(size * 1.45 / 72)
        width = text_width_inches(text, self.page.family, role, size)
        left = self.left if x is None else x
        if align == "center":
            left = (self.left + self.right - width) / 2
        elif align == "right":
            left = self.right - width
        item = Text(left, self.y, text, role, size)
        self.page.items.append(item)
        if advance:
            self.y += size * 1.45 / 72
        return item

    def paragraph(
        self,
        text: str,
        *,
        role: str = "regular",
        points: float | None = None,
        indent: float = 0.0,
        left: float | None = None,
        right: float | None = None,
    ) -> None:
        size = points or self.points
        start = self.left if left is None else left
        limit = (self.right if right is None else right) - start
        line = ""
        first = True
        for word in text.split():
            candidate = f"{line} {word}".strip()
            room = limit - (indent if first else 0.0)
            if line and text_width_inches(candidate, self.page.family, role, size) > room:
                self.text(line, x=start + (indent if first else 0.0), role=role, points=size)
                line, first = word, False
            else:
                line = candidate
        if line:
            self.text(line, x=start + (indent if first else 0.0), role=role, points=size)

    def hand(
        self,
        text: str,
        rng: random.Random,
        *,
        x: float | None = None,
        role: str = "hand",
        points: float = 14.0,
        advance: bool = True,
    ) -> Text:
        """A handwritten fill-in: slightly above or below the line and a little tilted."""
        if advance:
            self.room(points * 1.3 / 72)
        top = self.y + rng.uniform(-0.09, 0.02)
        size = round(points + rng.uniform(-1.5, 2.0), 1)
        item = Text(self.left if x is None else x, top, text, role, size, round(rng.uniform(-2.5, 2.5), 1))
        self.page.items.append(item)
        if advance:
            self.y += points * 1.3 / 72
        return item

    def gap(self, inches: float) -> None:
        self.y += inches

    def rule(self, x0: float | None = None, x1: float | None = None) -> None:
        self.page.items.append(Rule(self.left if x0 is None else x0, self.y, self.right if x1 is None else x1, self.y))

    def checkbox(self, label: str, checked: bool, *, x: float | None = None, points: float | None = None) -> None:
        size = points or self.points
        left = self.left if x is None else x
        side = size / 72 * 0.8
        self.page.items.append(Box(left, self.y + 0.01, side, side, filled_x=checked))
        self.text(label, x=left + side + 0.08, points=size)


def flowing_writer(pages: list[Page], family: str, **layout) -> PageWriter:
    """A writer that appends a fresh page to ``pages`` whenever the current one is full."""

    def new_page() -> Page:
        page = Page(family)
        pages.append(page)
        return page

    return PageWriter(new_page(), new_page=new_page, **layout)
