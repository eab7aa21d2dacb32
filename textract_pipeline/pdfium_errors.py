"""Reading PDFium's load errors, shared by upload validation and the local OCR engine."""

import re


def pdf_needs_password(data: bytes, pdfium_message: str) -> bool:
    """Whether PDFium failed to open `data` for want of a password.

    PDFium's error code outlives the call that set it: a PDF it fails to open for another
    reason (an empty page tree) can report the "password" error of an encrypted file opened
    before it. Only a file with an encryption dictionary is taken at its word.
    """
    return "password" in pdfium_message.lower() and re.search(rb"/Encrypt\b", data) is not None


def pdf_declares_no_pages(data: bytes) -> bool:
    """PDFium refuses to open a PDF with an empty page tree; tell that apart from corruption."""
    counts = re.findall(rb"/Count\s+(\d+)", data)
    return bool(counts) and all(int(count) == 0 for count in counts)
