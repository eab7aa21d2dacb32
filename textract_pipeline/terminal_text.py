"""Untrusted strings (object keys, reasons) made safe to print in a terminal table.

File names come from uploaders: one may hold escape sequences that clear the screen or
move the cursor, Rich markup (``[bold]``, ``[/]``) that restyles the table or makes Rich
raise MarkupError, or bytes that are not UTF-8. Every such value is shown as text.
"""

from __future__ import annotations

from rich.text import Text

# os.fsdecode / surrogateescape map an undecodable byte 0xXY to the lone surrogate U+DCXY.
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)


def _visible(char: str) -> str:
    if char.isprintable():
        return char
    code = ord(char)
    if code in _SURROGATE_ESCAPES:
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def escaped(value: str) -> str:
    """``value`` with every non-printable character written as its escape (``\\x1b``, ``\\n``, ``\\xe9``)."""
    return "".join(_visible(char) for char in value)


def safe_text(value: object) -> Text:
    """A Rich ``Text`` cell: no markup, no emoji codes, no control characters are interpreted."""
    return Text(escaped(str(value)))
