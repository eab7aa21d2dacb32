"""Document analysis: Amazon Textract in AWS, the local OCR engine offline.

Both speak in jobs so the asset code is the same: the local engine finishes its job at
once, Textract's async jobs report completion later (SNS -> SQS, or polling).
"""

from __future__ import annotations

import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import dagster as dg
from pydantic import BaseModel

from textract_pipeline.textract_document import write_response

# Names Amazon Textract in cache keys; its analyses are the ones billed.
AWS_TEXTRACT_ENGINE = "aws-textract"


class JobStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    PARTIAL_SUCCESS = "PARTIAL_SUCCESS"


class AnalysisRequest(BaseModel):
    document_id: str
    object_key: str
    content_hash: str
    content: bytes


class TextractJob(BaseModel):
    """A job and, once it succeeded, its response: in memory, or as a file too long to hold.

    `response_path` is a local file in the Textract JSON format that the caller takes over.
    """

    job_id: str
    status: JobStatus
    status_message: str | None = None
    response: dict[str, Any] | None = None
    response_path: str | None = None
    ocr_cpu_seconds: float | None = None  # the embedded engine's CPU time; the service does not say

    @property
    def finished(self) -> bool:
        return self.status != JobStatus.IN_PROGRESS


class TextractService(dg.ConfigurableResource, ABC):
    """Start an AnalyzeDocument-equivalent job and read its merged response."""

    @property
    @abstractmethod
    def engine_name(self) -> str:
        """Names the engine in cache keys, so local and AWS responses never mix."""

    @abstractmethod
    def start_analysis(self, request: AnalysisRequest) -> TextractJob: ...

    @abstractmethod
    def get_analysis(self, job: TextractJob) -> TextractJob:
        """The job's current state; a finished job comes back unchanged."""


class LocalTextract(TextractService):
    """The embedded OCR engine, reused across documents."""

    dpi: int = 300

    @property
    def engine_name(self) -> str:
        return "local-ocr"

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        """OCR page by page into a temporary file: a long scan's blocks are never all in memory.

        The engine runs in a child process (`IsolatedOcrEngine`), so a crash of tesseract fails this
        document with `UnreadableDocumentError` instead of ending the run. Pages with warnings (ink
        but no text) make the job PARTIAL_SUCCESS, as Textract reports pages it could not analyze.
        """
        from textract_pipeline.ocr.engine import MODEL_VERSION
        from textract_pipeline.ocr.isolation import shared_isolated_engine
        from textract_pipeline.ocr.page_stream import warnings_summary

        handle, path = tempfile.mkstemp(prefix="textract-pipeline-", suffix=".json")
        os.close(handle)
        pages = shared_isolated_engine(self.dpi).analyze_pages(request.content)
        extra: dict[str, Any] = {"AnalyzeDocumentModelVersion": MODEL_VERSION}

        def pages_then_warnings() -> Iterator[tuple[int, list[dict[str, Any]]]]:
            yield from pages
            if pages.warnings:
                extra["Warnings"] = pages.warnings

        try:
            write_response(path, pages_then_warnings(), extra=extra)
        except BaseException:
            os.unlink(path)
            raise
        return TextractJob(
            job_id=f"local-{request.content_hash[:16]}",
            status=JobStatus.PARTIAL_SUCCESS if pages.warnings else JobStatus.SUCCEEDED,
            status_message=warnings_summary(pages.warnings) or None,
            response_path=path,
            ocr_cpu_seconds=round(pages.cpu_seconds, 3),
        )

    def get_analysis(self, job: TextractJob) -> TextractJob:
        return job
