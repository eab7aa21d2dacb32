"""textract_raw: the Textract response for the document's content, cached by SHA-256."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from textract_pipeline.batches import DOCUMENT_ASSET, DocumentOutput, each_document
from textract_pipeline.manifests import SourceDocument, TextractOutput
from textract_pipeline.outputs import output_key, textract_cache_key
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


def _run_or_resume_job(
    source: SourceDocument, document_store: DocumentStore, tracking: TrackingStore, textract: TextractService
) -> TextractJob:
    """Resume this attempt's job if one is under way, else start one."""
    record = tracking.get(source.document_id)
    if (
        record is not None
        and record.status == DocumentStatus.TEXTRACT_STARTED
        and record.attempt_id == source.attempt_id
        and record.textract_job_id
    ):
        return textract.get_analysis(TextractJob(job_id=record.textract_job_id, status=JobStatus.IN_PROGRESS))
    request = AnalysisRequest(
        document_id=source.document_id,
        object_key=source.object_key,
        content_hash=source.content_hash,
        content=document_store.read_bytes(source.object_key),
    )
    job = textract.start_analysis(request)
    tracking.set_status(
        source.document_id, source.attempt_id, DocumentStatus.TEXTRACT_STARTED, textract_job_id=job.job_id
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
    cache_key = textract_cache_key(textract.engine_name, source.content_hash)
    cached = document_store.head(cache_key) is not None
    job: TextractJob | None = None
    if not cached:
        job = _run_or_resume_job(source, document_store, tracking, textract)
        if not job.finished:
            context.log.info(
                f"{source.document_id}: Textract job {job.job_id} is running; its completion requests the next run"
            )
            return None
        if job.status == JobStatus.FAILED:
            raise dg.Failure(
                f"Textract job {job.job_id} failed: {job.status_message or 'no message'}", allow_retries=False
            )
        if job.status == JobStatus.PARTIAL_SUCCESS:
            context.log.warning(f"Textract job {job.job_id} partially succeeded: {job.status_message}")

    with _response_file(document_store, cache_key, job) as path:
        stats = response_stats(path)
        preview = markdown_preview(path, MARKDOWN_PREVIEW_CHARS)
    raw_key = output_key(source.object_key, "textract_raw", source.received_at)
    raw_uri = document_store.copy(cache_key, raw_key)
    output = TextractOutput(
        engine=textract.engine_name,
        job_id=job.job_id if job else "cached",
        cache_key=cache_key,
        output_key=raw_key,
        pages=stats.pages,
        words=stats.words,
        mean_confidence=round(stats.mean_confidence, 2),
    )
    tracking.set_status(
        source.document_id,
        source.attempt_id,
        DocumentStatus.TEXTRACT_COMPLETED,
        outputs={"textract_raw": raw_key},
    )
    metadata = {
        "engine": output.engine,
        "cache_hit": cached,
        "pages": output.pages,
        "words": output.words,
        "mean_ocr_confidence": output.mean_confidence,
        "output": dg.MetadataValue.url(raw_uri),
        "preview": dg.MetadataValue.md(preview),
    }
    if job is not None and job.ocr_cpu_seconds is not None:
        metadata["ocr_cpu_seconds"] = job.ocr_cpu_seconds
    return DocumentOutput(output, metadata)


@contextmanager
def _response_file(document_store: DocumentStore, cache_key: str, job: TextractJob | None) -> Iterator[Path]:
    """A local file of the response: the cached object, or a new job's response, stored under `cache_key` first.

    A new response is read from the file it was stored from, never fetched back from the store.
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
        document_store.write_file(cache_key, path, "application/json")
        yield path


@dg.asset(
    **DOCUMENT_ASSET,
    group_name="ocr",
    kinds={"textract"},
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
    responses = each_document(
        context,
        document_store,
        tracking,
        lambda key: _analyze(context, source_document[key], document_store, tracking, textract),
        sources=source_document,
    )
    if responses:
        yield dg.Output(responses)
