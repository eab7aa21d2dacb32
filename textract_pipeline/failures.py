"""Failed documents: status FAILED with a reason, and the original kept under failed/<date>/.

A step that raises is either retried by Dagster (throttling, timeouts, a store write that
broke) or is terminal (bad input, a failed Textract job, output the LLM could not repair).
Only a terminal failure is recorded, so a document that succeeds on retry is never FAILED.
"""

import json
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


def is_terminal(context: dg.AssetExecutionContext, error: Exception, retry_number: int) -> bool:
    """True when no retry can help: bad input, a refused answer, or the retries are used up."""
    if isinstance(error, TERMINAL_ERRORS):
        return True
    if isinstance(error, dg.Failure) and not error.allow_retries:
        return True
    policy = context.op_execution_context.op_def.retry_policy
    return policy is None or retry_number >= policy.max_retries
