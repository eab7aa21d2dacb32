"""Failed documents: status FAILED with a reason, and the original kept under failed/<date>/.

A step that raises is either retried by Dagster (throttling, timeouts, a store write that
broke) or is terminal (bad input, a failed Textract job, output the LLM could not repair).
Only a terminal failure is recorded, so a document that succeeds on retry is never FAILED.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

import dagster as dg

from textract_pipeline.extraction.errors import ExtractionError
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.document_store import FAILED_PREFIX, DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.validation import InvalidDocumentError

# Errors that no retry can cure.
TERMINAL_ERRORS = (InvalidDocumentError, UnreadableDocumentError, ExtractionError)
MAX_NAME_BYTES = 200


def failed_keys(record: DocumentRecord) -> tuple[str, str]:
    """Where the original copy and its error log go; the document id keeps same-named files apart."""
    name = f"{record.document_id}__{PurePosixPath(record.object_key).name}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = record.document_id + PurePosixPath(record.object_key).suffix[:16]
    folder = f"{FAILED_PREFIX}{utc_now():%Y-%m-%d}/"
    return folder + name, folder + name + "_error.json"


def record_failure(
    document_store: DocumentStore,
    tracking: TrackingStore,
    record: DocumentRecord,
    attempt_id: str,
    step: str,
    reason: str,
) -> None:
    copy_key, log_key = failed_keys(record)
    log = {
        "document_id": record.document_id,
        "object_key": record.object_key,
        "version": record.version,
        "attempt_id": attempt_id,
        "step": step,
        "reason": reason,
        "failed_at": utc_now().isoformat(),
        "original_copy": copy_key,
    }
    try:
        document_store.copy(record.object_key, copy_key)
    except Exception as error:  # the original may be gone or unreadable; the log says so
        log["original_copy"] = None
        log["copy_error"] = describe(error)
    document_store.write_text(log_key, json.dumps(log, indent=2, ensure_ascii=False), "application/json")
    outputs = {"error_log": log_key} | ({"failed_copy": copy_key} if log["original_copy"] else {})
    tracking.set_status(
        record.document_id, attempt_id, DocumentStatus.FAILED, reason=f"{step}: {reason}", outputs=outputs
    )


def describe(error: BaseException) -> str:
    """The reason a person reads: the error's own message, or its type when it has none."""
    reason = getattr(error, "reason", None) or getattr(error, "description", None) or str(error)
    return reason or type(error).__name__


def _is_terminal(context: dg.AssetExecutionContext, error: Exception) -> bool:
    if isinstance(error, TERMINAL_ERRORS):
        return True
    if isinstance(error, dg.Failure) and not error.allow_retries:
        return True
    policy = context.op_execution_context.op_def.retry_policy
    return policy is None or context.retry_number >= policy.max_retries


@contextmanager
def fail_document_on_error(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_id: str,
    attempt_id: str,
) -> Iterator[None]:
    """On a terminal error mark the document FAILED and keep the original; retryable errors pass through."""
    try:
        yield
    except Exception as error:
        step = context.asset_key.to_user_string()
        if not _is_terminal(context, error):
            context.log.warning(f"{step} failed (attempt {context.retry_number + 1}), retrying: {describe(error)}")
            raise
        record = tracking.get(document_id)
        if record is not None:
            record_failure(document_store, tracking, record, attempt_id, step, describe(error))
        if isinstance(error, dg.Failure):
            raise
        raise dg.Failure(description=describe(error), allow_retries=False) from error
