"""libtiff's error messages, caught while a page is decoded.

Pillow decodes compressed TIFF pages with libtiff. For some damage (a bad Group 4 code word) libtiff
only calls its error handler, which prints a line on stderr, and hands back a partly decoded page
that Pillow accepts as whole. Here the handler is replaced, once per process, by one that collects
the messages of the thread decoding inside `libtiff_errors()`; outside it, messages go to stderr
as before. Without Linux's /proc the handler is left alone and nothing is collected.
"""

from __future__ import annotations

import ctypes
import platform
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import PIL.Image  # noqa: F401  (loads Pillow's libtiff, so it can be found in the process map)

_collecting = threading.local()
_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)
# va_list is handed on as the pointer the handler receives: true of the x86-64 and arm64 Linux ABIs.
_CAN_FORMAT = platform.machine() in ("x86_64", "AMD64", "aarch64", "arm64")


def _loaded_libtiffs() -> list[ctypes.CDLL]:
    """Every libtiff in the process (Pillow's wheel brings its own copy; other wheels may bring more)."""
    if sys.platform != "linux":
        return []
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libtiff" in line and "/" in line}
    except OSError:
        return []
    return [ctypes.CDLL(path) for path in sorted(paths)]


def _message(module: bytes | None, fmt: bytes | None, arguments: int | None) -> str:
    text = (fmt or b"").decode(errors="replace")
    if _CAN_FORMAT and fmt and arguments:
        buffer = ctypes.create_string_buffer(512)
        _LIBC.vsnprintf(buffer, len(buffer), fmt, ctypes.c_void_p(arguments))
        text = buffer.value.decode(errors="replace")
    return f"{module.decode(errors='replace')}: {text}" if module else text


def _on_error(module: bytes | None, fmt: bytes | None, arguments: int | None) -> None:
    message = _message(module, fmt, arguments)
    collected = getattr(_collecting, "messages", None)
    if collected is None:
        print(message, file=sys.stderr)
    else:
        collected.append(message)


_LIBC = ctypes.CDLL(None)
_CALLBACK = _HANDLER(_on_error)  # kept referenced for as long as libtiff may call it
for _libtiff in _loaded_libtiffs():
    _libtiff.TIFFSetErrorHandler.restype = ctypes.c_void_p
    _libtiff.TIFFSetErrorHandler(_CALLBACK)


@contextmanager
def libtiff_errors() -> Iterator[list[str]]:
    """The list of libtiff error messages raised by this thread inside the block."""
    messages: list[str] = []
    outer = getattr(_collecting, "messages", None)
    _collecting.messages = messages
    try:
        yield messages
    finally:
        _collecting.messages = outer
