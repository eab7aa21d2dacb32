"""Decide what an uploaded object really is, from its bytes, before paying for OCR."""

from __future__ import annotations

import io
import warnings
from pathlib import PurePosixPath

import dagster as dg
from PIL import Image
from pydantic import BaseModel

from textract_pipeline.pdfium_errors import pdf_declares_no_pages, pdf_needs_password

_MAGIC = (
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
STRIP_OFFSETS, STRIP_BYTE_COUNTS, TILE_OFFSETS, TILE_BYTE_COUNTS = 273, 279, 324, 325
_SUFFIX_MEDIA_TYPES = {
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class InvalidDocumentError(ValueError):
    """The object cannot be processed; `reason` is written for a person, not a stack trace."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DocumentLimits(dg.ConfigurableResource):
    """Limits a document must fit before OCR is paid for; a resource so deployments can tune them."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    max_pixels_per_page: int = 12_000 * 12_000


class ValidatedDocument(BaseModel):
    media_type: str
    pages: int
    warnings: list[str] = []


def sniff_media_type(data: bytes) -> str | None:
    # PDFs may carry a few junk bytes before the header; the spec tolerates 1024.
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    return "application/pdf" if b"%PDF-" in data[:1024] else None


def _check_strips_inside_file(image: Image.Image, size: int) -> None:
    """A cut-off TIFF can still decode (blank rows); its strips reaching past the end give it away."""
    tags = getattr(image, "tag_v2", None)
    if tags is None:
        return
    offsets = tags.get(STRIP_OFFSETS) or tags.get(TILE_OFFSETS) or ()
    counts = tags.get(STRIP_BYTE_COUNTS) or tags.get(TILE_BYTE_COUNTS) or ()
    if any(offset + count > size for offset, count in zip(offsets, counts, strict=False)):
        raise InvalidDocumentError("image is corrupt or truncated: its data ends before the last strip")


def _count_image_pages(data: bytes, limits: DocumentLimits) -> int:
    try:
        with warnings.catch_warnings():
            # Pillow only warns about bombs and damaged directories; here both are errors.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            warnings.simplefilter("error", UserWarning)
            with Image.open(io.BytesIO(data)) as image:
                pages = getattr(image, "n_frames", 1)
                if pages > limits.max_pages:
                    return pages
                for index in range(pages):
                    image.seek(index)
                    width, height = image.size
                    if width * height > limits.max_pixels_per_page:
                        raise InvalidDocumentError(
                            f"page {index + 1} is {width}x{height} pixels, over the limit of "
                            f"{limits.max_pixels_per_page:,} pixels (possible decompression bomb)"
                        )
                    _check_strips_inside_file(image, len(data))
                    image.load()
                return pages
    except InvalidDocumentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidDocumentError(f"image is too large to decode safely: {error}") from error
    except Exception as error:
        raise InvalidDocumentError(f"image is corrupt or truncated: {error}") from error


def _count_pdf_pages(data: bytes) -> int:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        message = str(error)
        if pdf_declares_no_pages(data):
            raise InvalidDocumentError("document has no pages (its PDF page tree is empty)") from error
        if pdf_needs_password(data, message):
            raise InvalidDocumentError("PDF is encrypted (password protected); upload an unprotected copy") from error
        raise InvalidDocumentError(f"PDF is corrupt or unreadable: {message}") from error
    try:
        return len(pdf)
    finally:
        pdf.close()


def validate_document(object_key: str, data: bytes, limits: DocumentLimits) -> ValidatedDocument:
    """Check size, type by magic bytes and page count; a name that lies is only a warning."""
    if not data:
        raise InvalidDocumentError("file is empty (0 bytes)")
    if len(data) > limits.max_bytes:
        raise InvalidDocumentError(f"file is {len(data):,} bytes, over the limit of {limits.max_bytes:,} bytes")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise InvalidDocumentError("file is not a TIFF, PDF, PNG or JPEG: its first bytes match none of them")
    pages = _count_pdf_pages(data) if media_type == "application/pdf" else _count_image_pages(data, limits)
    if pages == 0:
        raise InvalidDocumentError("document has no pages")
    if pages > limits.max_pages:
        raise InvalidDocumentError(f"document has {pages} pages, over the limit of {limits.max_pages}")
    expected = _SUFFIX_MEDIA_TYPES.get(PurePosixPath(object_key).suffix.lower())
    notes = [] if expected in (None, media_type) else [f"name suggests {expected} but the content is {media_type}"]
    return ValidatedDocument(media_type=media_type, pages=pages, warnings=notes)
