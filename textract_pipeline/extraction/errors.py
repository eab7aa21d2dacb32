"""The one exception extraction raises when it cannot produce a valid record."""


class ExtractionError(Exception):
    """Extraction failed; ``reason`` is written for the person reading the failure log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
