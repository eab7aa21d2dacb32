"""textract_raw: the Textract response for the document's content, cached by SHA-256."""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.failures import fail_document_on_error
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
from textract_pipeline.retries import SERVICE_RETRY_POLICY
from textract_pipeline.textract_document import load_document, page_count, word_stats

MARKDOWN_PREVIEW_CHARS = 4000


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


def _markdown_preview(response: dict[str, Any]) -> str:
    markdown = load_document(response).to_markdown()
    return markdown if len(markdown) <= MARKDOWN_PREVIEW_CHARS else markdown[:MARKDOWN_PREVIEW_CHARS] + "\n\n…"


@dg.asset(
    partitions_def=documents_partitions,
    retry_policy=SERVICE_RETRY_POLICY,
    group_name="ocr",
    kinds={"textract"},
    pool="textract",
    output_required=False,
    description="The raw Textract (or local OCR engine) response: PAGE, LINE, WORD, forms, tables, layout.",
)
def textract_raw(
    context: dg.AssetExecutionContext,
    source_document: SourceDocument,
    document_store: DocumentStore,
    tracking: TrackingStore,
    textract: TextractService,
) -> Iterator[dg.Output[TextractOutput]]:
    source = source_document
    cache_key = textract_cache_key(textract.engine_name, source.content_hash)
    with fail_document_on_error(context, document_store, tracking, source.document_id, source.attempt_id):
        cached = document_store.head(cache_key) is not None
        if cached:
            raw_text = document_store.read_text(cache_key)
            response, job_id = json.loads(raw_text), "cached"
        else:
            job = _run_or_resume_job(source, document_store, tracking, textract)
            if not job.finished:
                context.log.info(f"Textract job {job.job_id} is running; its completion requests the next run")
                return
            if job.status == JobStatus.FAILED:
                raise dg.Failure(
                    f"Textract job {job.job_id} failed: {job.status_message or 'no message'}", allow_retries=False
                )
            if job.status == JobStatus.PARTIAL_SUCCESS:
                context.log.warning(f"Textract job {job.job_id} partially succeeded: {job.status_message}")
            response, job_id = job.response or {}, job.job_id
            raw_text = json.dumps(response)
            document_store.write_text(cache_key, raw_text, "application/json")

        raw_key = output_key(source.object_key, "textract_raw", source.received_at)
        raw_uri = document_store.write_text(raw_key, raw_text, "application/json")
        words, mean_confidence = word_stats(response)
        output = TextractOutput(
            engine=textract.engine_name,
            job_id=job_id,
            cache_key=cache_key,
            output_key=raw_key,
            pages=page_count(response),
            words=words,
            mean_confidence=round(mean_confidence, 2),
        )
        preview = _markdown_preview(response)
        tracking.set_status(
            source.document_id,
            source.attempt_id,
            DocumentStatus.TEXTRACT_COMPLETED,
            outputs={"textract_raw": raw_key},
        )
    yield dg.Output(
        output,
        metadata={
            "engine": output.engine,
            "cache_hit": cached,
            "pages": output.pages,
            "words": output.words,
            "mean_ocr_confidence": output.mean_confidence,
            "output": dg.MetadataValue.url(raw_uri),
            "preview": dg.MetadataValue.md(preview),
        },
    )
