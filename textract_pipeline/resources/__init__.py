"""One resource per external service, each with an AWS and an embedded implementation."""

from __future__ import annotations

from typing import Any

from textract_pipeline.io_manager import JsonManifestIOManager
from textract_pipeline.resources.document_store import DocumentStore, LocalDocumentStore
from textract_pipeline.resources.extractor import DeterministicExtractorResource, ExtractorResource
from textract_pipeline.resources.textract import LocalTextract, TextractService
from textract_pipeline.resources.tracking import SqliteTrackingStore, TrackingStore
from textract_pipeline.settings import Settings
from textract_pipeline.validation import DocumentLimits


def _document_store(settings: Settings) -> DocumentStore:
    if settings.store == "local":
        return LocalDocumentStore(root=str(settings.data_dir))
    raise NotImplementedError(f"document store {settings.store!r} is not available yet")


def _tracking(settings: Settings) -> TrackingStore:
    if settings.tracking == "sqlite":
        return SqliteTrackingStore(path=str(settings.tracking_path))
    raise NotImplementedError(f"tracking store {settings.tracking!r} is not available yet")


def _textract(settings: Settings) -> TextractService:
    if settings.ocr == "local":
        return LocalTextract()
    raise NotImplementedError(f"OCR service {settings.ocr!r} is not available yet")


def _extractor(settings: Settings) -> ExtractorResource:
    if settings.extractor == "deterministic":
        return DeterministicExtractorResource()
    raise NotImplementedError(f"extractor {settings.extractor!r} is not available yet")


def build_resources(settings: Settings) -> dict[str, Any]:
    document_store = _document_store(settings)
    return {
        "document_store": document_store,
        "tracking": _tracking(settings),
        "textract": _textract(settings),
        "extractor": _extractor(settings),
        "document_limits": DocumentLimits(max_bytes=settings.max_bytes, max_pages=settings.max_pages),
        "io_manager": JsonManifestIOManager(document_store=document_store),
    }
