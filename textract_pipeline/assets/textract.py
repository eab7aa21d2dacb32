"""textract_raw: the Textract response for the document's content, cached by SHA-256."""

import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from textract_pipeline.document_steps import (
    DOCUMENT_ASSET,
    DocumentOutput,
    Superseded,
    document_outputs,
    each_document,
    ensure_current,
)
from textract_pipeline.manifests import SourceDocument, TextractOutput
from textract_pipeline.outputs import CACHED_JOB, output_key, textract_cache_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.textract import (
    AnalysisRequest,
    JobStatus,
    TextractJob,
    TextractService,
)
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.textract_document import (
    MARKDOWN_PREVIEW_CHARS,
    markdown_preview,
    response_stats,
    write_response_dict,
)
from textract_pipeline.validation import InvalidDocumentError


class EmptyResponseError(InvalidDocumentError):
    """A response without pages: a misconfigured endpoint, not a document to extract from."""


def _run_or_resume_job(
    source: SourceDocument, document_store: DocumentStore, tracking: TrackingStore, textract: TextractService
) -> TextractJob:
    """Resume this attempt's job if one is under way, else start one."""
    document = source.document
    record = tracking.get(document.document_id)
    if (
        record is not None
        and record.status == DocumentStatus.TEXTRACT_STARTED
        and record.attempt_id == document.attempt_id
        and record.textract_job_id
    ):
        return textract.get_analysis(TextractJob(job_id=record.textract_job_id, status=JobStatus.IN_PROGRESS))
    content = document_store.read_bytes(document.object_key)
    if hashlib.sha256(content).hexdigest() != document.content_hash:
        raise Superseded(f"{document.object_key} no longer holds the bytes this attempt validated")
    request = AnalysisRequest(
        document_id=document.document_id,
        object_key=document.object_key,
        content_hash=document.content_hash,
        content=content,
    )
    job = textract.start_analysis(request)
    tracking.set_status(
        document.document_id, document.attempt_id, DocumentStatus.TEXTRACT_STARTED, textract_job_id=job.job_id
    )
    return job


def _analyze(
    context: dg.AssetExecutionContext,
    source: SourceDocument,
    document_store: DocumentStore,
    tracking: TrackingStore,
    textract: TextractService,
) -> DocumentOutput | None:
    """The document's response from the cache or from Textract; None while its Textract job runs.

    The response is handled as a file, page by page (statistics, preview): a 500-page response
    is never parsed whole here.
    """
    document = source.document
    cache_key = textract_cache_key(textract.engine_name, document.content_hash)
    cached = document_store.head(cache_key) is not None
    job: TextractJob | None = None
    if not cached:
        job = _run_or_resume_job(source, document_store, tracking, textract)
        if not job.finished:
            context.log.info(
                f"{document.document_id}: Textract job {job.job_id} is running; its completion requests the next run"
            )
            return None
        if job.status == JobStatus.FAILED:
            raise dg.Failure(
                f"Textract job {job.job_id} failed: {job.status_message or 'no message'}", allow_retries=False
            )

    with _response_file(document_store, cache_key, job) as path:
        stats = response_stats(path)
        if stats.pages == 0:
            raise EmptyResponseError(
                f"{textract.engine_name} returned no pages for a document of {document.pages} page(s): "
                "check the Textract endpoint and region"
            )
        if stats.words == 0:
            raise EmptyResponseError(
                f"no text was found on any of the {stats.pages} page(s): a blank or unreadable scan"
            )
        preview = markdown_preview(path, MARKDOWN_PREVIEW_CHARS)
        warnings = [_warning_text(warning) for warning in stats.warnings]
        if job is not None:  # only a response worth reading is cached
            document_store.write_file(cache_key, path, "application/json")
    raw_key = output_key(document.object_key, "textract_raw", document.received_at)
    ensure_current(tracking, document)
    raw_uri = document_store.copy(cache_key, raw_key)
    output = TextractOutput(
        document=document,
        engine=textract.engine_name,
        job_id=job.job_id if job else CACHED_JOB,
        cache_key=cache_key,
        output_key=raw_key,
        pages=stats.pages,
        words=stats.words,
        mean_confidence=round(stats.mean_confidence, 2),
    )
    for warning in warnings:
        context.log.warning(f"{document.document_id}: {warning}")
    record = tracking.get(document.document_id)
    tracking.set_status(
        document.document_id,
        document.attempt_id,
        DocumentStatus.TEXTRACT_COMPLETED,
        outputs={"textract_raw": raw_key},
        warnings=[*(record.warnings if record else []), *warnings],
    )
    metadata = {
        "engine": output.engine,
        "cache_hit": cached,
        "pages": output.pages,
        "words": output.words,
        "mean_ocr_confidence": output.mean_confidence,
        "ocr_warnings": "; ".join(warnings) or "none",
        "output": dg.MetadataValue.url(raw_uri),
        "preview": dg.MetadataValue.md(preview),
    }
    if job is not None and job.ocr_cpu_seconds is not None:
        metadata["ocr_cpu_seconds"] = job.ocr_cpu_seconds
    return DocumentOutput({"textract_raw": output}, {"textract_raw": metadata})


def _warning_text(warning: Mapping[str, Any]) -> str:
    """A response warning as a person reads it: what went wrong, and on which pages."""
    pages = ", ".join(str(page) for page in warning.get("Pages") or []) or "unknown"
    return f"{warning.get('ErrorCode', 'WARNING')} on page(s) {pages}"


@contextmanager
def _response_file(document_store: DocumentStore, cache_key: str, job: TextractJob | None) -> Iterator[Path]:
    """A local file of the response: the cached object, or a new job's response (not yet cached).

    A new response is read from the local file it arrived in, never fetched back from the store.
    """
    if job is None:
        with document_store.local_file(cache_key) as path:
            yield path
        return
    with tempfile.TemporaryDirectory(prefix="textract-pipeline-") as folder:
        path = Path(folder) / "response.json"
        if job.response_path is not None:
            shutil.move(job.response_path, path)
        else:
            write_response_dict(path, job.response or {})
        yield path


@dg.asset(
    **DOCUMENT_ASSET,
    group_name="ocr",
    pool="textract",
    output_required=False,
    description="The raw Textract (or local OCR engine) response: PAGE, LINE, WORD, forms, tables, layout.",
)
def textract_raw(
    context: dg.AssetExecutionContext,
    source_document: dict[str, SourceDocument],
    document_store: DocumentStore,
    tracking: TrackingStore,
    textract: TextractService,
) -> Iterator[dg.Output[dict[str, TextractOutput]]]:
    step = each_document(
        context,
        document_store,
        tracking,
        lambda document_id: _analyze(context, source_document[document_id], document_store, tracking, textract),
        inputs=[source_document],
    )
    yield from document_outputs(context, step)
