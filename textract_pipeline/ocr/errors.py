"""The one error the OCR engine raises for input it cannot read."""

from __future__ import annotations


class UnreadableDocumentError(Exception):
    """The bytes are not a document the engine can read; `reason` is meant for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
