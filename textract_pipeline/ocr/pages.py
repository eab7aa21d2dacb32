"""Input bytes → pages, one at a time: raster images to OCR, or PDF text layers to read.

A PDF page's text layer is read instead of OCR only when it accounts for the page's ink: a scan
that carries a text layer of a watermark or a stamp alone is OCR'd like any other scan.

Pages are produced lazily so a 500-page TIFF costs the memory of one page. Every failure of
the underlying decoders becomes an `UnreadableDocumentError` with a sentence a person can act on.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageSequence, UnidentifiedImageError

from textract_pipeline.ocr.decode_errors import libtiff_errors
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.geometry import Box
from textract_pipeline.ocr.model import Line, Word
from textract_pipeline.pdfium_errors import pdf_declares_no_pages, pdf_needs_password

PDF_POINTS_PER_INCH = 72.0
# A PDF page with fewer printable characters than this in its text layer is treated as a scan.
MIN_TEXT_LAYER_CHARS = 16
# A text layer whose words lie over less than this share of the rendered page's ink is a
# watermark or stamp on a scan, not the page's text (born-digital pages measure 0.75 and more;
# a diagonal watermark across a scanned deed, under 0.3).
MIN_TEXT_LAYER_INK_SHARE = 0.5
# Gray levels below this count as ink; light shading and watermark tints do not.
INK_GRAY_LEVEL = 160
# Word boxes are widened by this share of the page's median word height, so that glyph
# strokes just outside a tight text-layer box still count as covered.
WORD_BOX_MARGIN_IN_WORD_HEIGHTS = 0.3
PARAGRAPH_GAP_IN_LINE_HEIGHTS = 0.8
# Oversized PDF pages (plats, engineering sheets) are rendered below 300 dpi to stay near this size.
MAX_RENDER_PIXELS = 40_000_000


@dataclass
class PageSource:
    """One page as the engine receives it.

    `image` is grayscale (mode "L") at the resolution it was stored or rendered at (stored dpi
    values are not used: they are often wrong, see preprocess.py). `text_lines` is set for PDF
    pages with a text layer, in the pixel coordinates of `image`.
    """

    image: Image.Image
    text_lines: list[Line] | None = None


def iter_pages(data: bytes, render_dpi: int) -> Iterator[PageSource]:
    if not data:
        raise UnreadableDocumentError("the document is empty (0 bytes)")
    if data.lstrip()[:5] == b"%PDF-":
        yield from _iter_pdf_pages(data, render_dpi)
    else:
        yield from _iter_image_pages(data)


def to_grayscale(image: Image.Image) -> Image.Image:
    """Flatten any PIL mode to 8-bit grayscale on a white background (transparency = paper)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        pixels = np.asarray(image, dtype=np.float64)
        peak = pixels.max() or 1.0
        return Image.fromarray((pixels * (255.0 / peak)).astype(np.uint8), "L")
    return image.convert("L")


def _open_image(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise UnreadableDocumentError(
            "the file is not a PDF, TIFF, PNG or JPEG image the OCR engine can read"
        ) from None
    except Image.DecompressionBombError:
        raise UnreadableDocumentError(
            "the image is too large to process safely (its pixel count exceeds the decompression-bomb limit)"
        ) from None
    except OSError as error:
        raise UnreadableDocumentError(f"the image file is damaged and cannot be opened ({error})") from None


def _iter_image_pages(data: bytes) -> Iterator[PageSource]:
    image = _open_image(data)
    with image:
        total = _frame_count(image)
        frames = ImageSequence.Iterator(image)
        for number in itertools.count(1):
            try:
                with libtiff_errors() as complaints:
                    frame = next(frames, None)
                    if frame is None:
                        break
                    page = to_grayscale(frame)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
                raise UnreadableDocumentError(undecodable_page_reason(number, total, error, complaints)) from None
            if complaints:
                raise UnreadableDocumentError(undecodable_page_reason(number, total, None, complaints))
            yield PageSource(image=page)
    if number == 1:
        raise UnreadableDocumentError("the image contains no pages")


def _frame_count(image: Image.Image) -> int | None:
    """The number of pages, when the file's page directory can be walked (it may be the damaged part)."""
    try:
        return int(getattr(image, "n_frames", 1))
    except (OSError, ValueError, SyntaxError, EOFError):
        return None


def undecodable_page_reason(number: int, total: int | None, error: Exception | None, complaints: list[str]) -> str:
    """'page 2 of 3 could not be decoded: ...', naming the decoder's own words."""
    details = "; ".join(([str(error) or type(error).__name__] if error else []) + complaints)
    of_total = f" of {total}" if total else ""
    return f"page {number}{of_total} could not be decoded: the image data is damaged or uses an unsupported encoding ({details})"


def _open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if pdf_declares_no_pages(data):
            raise UnreadableDocumentError("the PDF has no pages") from None
        if pdf_needs_password(data, message):
            raise UnreadableDocumentError("the PDF is encrypted and needs a password") from None
        raise UnreadableDocumentError(f"the PDF is damaged and cannot be opened ({message})") from None


def _iter_pdf_pages(data: bytes, render_dpi: int) -> Iterator[PageSource]:
    document = _open_pdf(data)
    try:
        if len(document) == 0:
            raise UnreadableDocumentError("the PDF has no pages")
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                scale = min(render_dpi / PDF_POINTS_PER_INCH, (MAX_RENDER_PIXELS / (width * height)) ** 0.5)
                image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
                # The text layer's boxes are in unrotated page space; a page shown rotated is OCR'd.
                text_lines = _text_layer_lines(page, scale) if page.get_rotation() == 0 else None
                if text_lines is not None and text_layer_ink_share(image, text_lines) < MIN_TEXT_LAYER_INK_SHARE:
                    text_lines = None
            except pdfium.PdfiumError as error:
                raise UnreadableDocumentError(undecodable_page_reason(index + 1, len(document), error, [])) from None
            finally:
                page.close()
            yield PageSource(image=image, text_lines=text_lines)
    finally:
        document.close()


def text_layer_ink_share(image: Image.Image, lines: list[Line]) -> float:
    """The share of the page's ink that lies under the text layer's words (1.0 on a page without ink).

    A born-digital page draws nearly all its ink as the text layer's glyphs; a scanned page with a
    watermark or recorder's stamp added as text has most of its ink in the scan image, outside them.
    """
    ink = np.asarray(image) < INK_GRAY_LEVEL
    total = int(ink.sum())
    if total == 0:
        return 1.0
    words = [word.box for line in lines for word in line.words]
    margin = WORD_BOX_MARGIN_IN_WORD_HEIGHTS * float(np.median([box.height for box in words]))
    covered = np.zeros_like(ink)
    height, width = ink.shape
    for box in words:
        top, bottom = max(0, int(box.top - margin)), min(height, int(box.bottom + margin) + 1)
        left, right = max(0, int(box.left - margin)), min(width, int(box.right + margin) + 1)
        covered[top:bottom, left:right] = True
    return int((ink & covered).sum()) / total


def _text_layer_lines(page: pdfium.PdfPage, scale: float) -> list[Line] | None:
    """Words and lines from a PDF text layer, in the pixels of the page rendered at `scale`.

    pdfium gives characters in reading order with boxes in PDF points (origin bottom-left) and
    inserts spaces between words; words break at whitespace (glyph boxes are too tight to judge
    spacing), lines at line breaks and at gaps wider than ~2 character heights
    (Textract likewise splits a visual row into separate LINEs at wide gaps).
    """
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_LAYER_CHARS:
            return None
        page_height = page.get_height()
        lines: list[Line] = []
        current_line: list[Word] = []
        chars: list[tuple[str, Box]] = []

        def flush_word() -> None:
            if chars:
                box = Box(
                    min(b.left for _, b in chars),
                    min(b.top for _, b in chars),
                    max(b.right for _, b in chars),
                    max(b.bottom for _, b in chars),
                )
                current_line.append(Word("".join(c for c, _ in chars), box, 99.0))
                chars.clear()

        def flush_line() -> None:
            flush_word()
            if current_line:
                lines.append(Line(list(current_line)))
                current_line.clear()

        for index, ch in enumerate(text[:count]):
            if ch in "\r\n":
                flush_line()
                continue
            if ch.isspace() or ch == "\x00":
                flush_word()
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            box = Box(
                left * scale,
                (page_height - top) * scale,
                right * scale,
                (page_height - bottom) * scale,
            )
            previous = chars[-1][1] if chars else (current_line[-1].box if current_line else None)
            if previous is not None:
                gap = box.left - previous.right
                height = max(box.height, previous.height, 1.0)
                if box.vertical_overlap(previous) < 0.3 or gap > 2.0 * height or gap < -2.0 * height:
                    flush_line()
            chars.append((ch, box))
        flush_line()
        number_paragraphs(lines)
        return lines
    finally:
        textpage.close()


def number_paragraphs(lines: list[Line]) -> None:
    """Group text-layer lines into paragraphs (tesseract does this for OCR'd pages).

    A paragraph continues while each line starts just below the previous one.
    """
    paragraph = 0
    previous: Line | None = None
    for line in lines:
        if previous is None or not (
            0 <= line.box.top - previous.box.bottom <= PARAGRAPH_GAP_IN_LINE_HEIGHTS * previous.box.height
        ):
            paragraph += 1
        line.paragraph = paragraph
        previous = line
