"""A per-page time budget, so a hostile page fails its document instead of holding a worker for minutes.

Tesseract's recognition takes a deadline (tesserocr's `Recognize(timeout=...)`), checked between
words; its layout analysis does not, so a page can overrun the budget by as long as that takes. The
isolated engine (`isolation.py`) therefore also stops a child process that overruns by more than a
margin.
"""

from __future__ import annotations

import time

from tesserocr import PyTessBaseAPI

from textract_pipeline.ocr.errors import UnreadableDocumentError

# The densest pages measured (~470 printed words, letter size, 300 dpi) take about 1 CPU s; the
# budget allows some sixty times that on a shared machine before a page is called hostile.
PAGE_TIME_BUDGET_SECONDS = 60.0


class PageTimeoutError(UnreadableDocumentError):
    """A page took longer than its budget."""


class PageBudget:
    """The deadline of one page's work."""

    def __init__(self, page_number: int, seconds: float) -> None:
        self.page_number = page_number
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds

    def remaining_milliseconds(self) -> int:
        return max(1, int((self._deadline - time.monotonic()) * 1000))

    def check(self) -> None:
        if time.monotonic() >= self._deadline:
            raise PageTimeoutError(exceeded_reason(self.page_number, self.seconds))


def exceeded_reason(page_number: int, seconds: float) -> str:
    return (
        f"page {page_number} took longer than the OCR time budget of {seconds:g} seconds a page "
        "(too much text or noise for one page)"
    )


def recognize_within(api: PyTessBaseAPI, budget: PageBudget | None) -> None:
    """`api.Recognize()` that raises `PageTimeoutError` when the page's budget runs out."""
    if budget is None:
        api.Recognize()
        return
    budget.check()
    if not api.Recognize(timeout=budget.remaining_milliseconds()):
        budget.check()
