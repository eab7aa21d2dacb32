"""What V2 leaves out or mends: page furniture, split values, wrong pairings, unreadable labels.

A schema-free extraction is only useful if every field is a label and value the document really
has. OCR's key-value pairing also returns running headers and footers ("Page 2 of 3", a form's
"(LPB 10-05) / Updated: 04.26.19"), a value cut in two at a line end ("My Comm. Expires Feb" =
"6, 2025"), a key paired with text from another block across the page (a return-to heading with
the recorder's name in the stamp beside it), and handwriting read as noise.
"""

from __future__ import annotations

import re

from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.document_view import KeyValue, PageLine
from textract_pipeline.extraction.rules.layout import Layout

_PAGE_NUMBERING = re.compile(
    r"^\W*(?:page(?:\s*number)?\s*[-:]?\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|of\s*:?\s*\d+)\W*$", re.I
)
_FORM_MARK = re.compile(r"\b(?:Rev\.?\s*\d|Form\s+\w*\d|LPB\s*\d|\.doc\b|Updated\s*:|Page\s+\d+\s+of\s+\d+)", re.I)
_MONTH_TAIL = re.compile(
    r"\s+(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s*$",
    re.I,
)
# "RAJESH D. TORRES III": a printed name under a signature line, which OCR pairs with the signature
_PERSON_NAME = re.compile(r"[A-Za-z]{2,}\s+[A-Z]\.\s+[A-Za-z]{2,}")
_MAX_PAIR_GAP = 0.25  # a value further right of its key than this belongs to another block
_FURNITURE_BAND = 0.1


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def furniture_lines(layout: Layout) -> set[int]:
    """ids of running headers, footers and page numbers: the top or bottom band, repeated or numbering a page."""
    banded = [line for line in layout.lines if line.y < _FURNITURE_BAND or line.y + line.height > 1 - _FURNITURE_BAND]
    pages_by_shape: dict[str, set[int]] = {}
    for line in banded:
        pages_by_shape.setdefault(_shape(line.text), set()).add(line.page)
    return {
        id(line)
        for line in banded
        if len(pages_by_shape[_shape(line.text)]) > 1
        or _PAGE_NUMBERING.match(line.text)
        or _FORM_MARK.search(line.text)
    }


def is_furniture_text(text: str) -> bool:
    return bool(_PAGE_NUMBERING.match(text) or _FORM_MARK.search(text))


def readable_label(label: str) -> bool:
    """A printed label: starts with a capital (or an item number "1."), mostly letters, a few words."""
    text = label.strip(" :")
    letters = sum(c.isalpha() for c in text)
    return (
        len(text) >= 2
        and (text[0].isupper() or re.match(r"\d{1,2}[.)]\s", text) is not None)
        and letters >= 0.6 * sum(c.isalnum() for c in text)
        and len(text.split()) <= 8
        and not _PERSON_NAME.search(text)
    )


def readable_value(value: str) -> bool:
    """Something a person wrote or printed, not an OCR speck ("{", "X_", "and")."""
    text = value.strip()
    alnum = sum(c.isalnum() for c in text)
    return (
        (alnum >= 2 or text.isdigit())
        and alnum >= 0.5 * len(text.replace(" ", ""))
        and text.lower() not in {"and", "or", "the", "of"}
    )


def paired_in_one_block(kv: KeyValue) -> bool:
    return kv.value_x is None or kv.value_x - kv.key_right <= _MAX_PAIR_GAP


def mend_split_date(label: str, value: str) -> tuple[str, str]:
    """ "My Comm. Expires Feb" = "6, 2025" -> ("My Comm. Expires", "Feb 6, 2025"): a date cut at the key's end."""
    tail = _MONTH_TAIL.search(label)
    if tail and not find_dates(value) and find_dates(f"{tail['month']} {value}"):
        return label[: tail.start()].strip(), f"{tail['month']} {value}".strip()
    return label, value


def on_furniture(kv: KeyValue, furniture: list[PageLine]) -> bool:
    """A key-value pair read off a running header or footer."""
    return any(line.page == kv.page and abs(line.y - kv.y) < 0.01 for line in furniture) or is_furniture_text(
        f"{kv.key} {kv.value}"
    )
