"""Failed documents: status FAILED with a reason, and the original kept under failed/<date>/.

A step that raises is either retried by Dagster (throttling, timeouts, a store write that
broke) or is terminal (bad input, a failed Textract job, output the LLM could not repair).
Only a terminal failure is recorded, so a document that succeeds on retry is never FAILED.
"""

import errno
import json
import sys
from pathlib import PurePosixPath

import dagster as dg
from botocore.exceptions import BotoCoreError, ClientError

from textract_pipeline.extraction.errors import ExtractionError
from textract_pipeline.extraction.llm import ModelUnavailableError
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.document_store import FAILED_PREFIX, DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.textract_document import MalformedResponseError
from textract_pipeline.validation import InvalidDocumentError


def _llm_transport_errors() -> tuple[type[Exception], ...]:
    """The OpenAI SDK's connection, rate-limit and server errors, if the SDK was loaded (an error from it
    cannot exist otherwise, and importing it costs a run process most of a second)."""
    openai = sys.modules.get("openai")
    if openai is None:
        return ()
    return (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)


# Errors that no retry can cure.
TERMINAL_ERRORS = (InvalidDocumentError, UnreadableDocumentError, ExtractionError, MalformedResponseError)
# Errors a retry can cure: connections and timeouts (OSError covers both, and a store write that broke), a model
# that did not answer.
TRANSIENT_ERRORS = (OSError, BotoCoreError, ModelUnavailableError)
TRANSIENT_AWS_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "LimitExceededException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalServerError",
        "InternalFailure",
        "SlowDown",
        "RequestTimeout",
    }
)
# The folder is missing, read-only or full, or the path is not a file: the same next time.
PERMANENT_OS_ERRORS = frozenset({errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EISDIR})
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
    """FAILED with `reason`, the original copied beside an error log; nothing if a newer attempt owns the document.

    The copy is taken only while the object still holds the version that failed: a newer upload
    under the same name is its own document attempt, and its bytes are not this failure's.
    """
    current = tracking.get(record.document_id)
    if current is None or current.attempt_id != attempt_id:
        return
    copy_key, log_key = failed_keys(current)
    log = {
        "document_id": current.document_id,
        "object_key": current.object_key,
        "version": current.version,
        "attempt_id": attempt_id,
        "step": step,
        "reason": reason,
        "failed_at": utc_now().isoformat(),
        "original_copy": None,
    }
    try:
        stored = document_store.head(current.object_key)
        if stored is None or stored.version != current.version:
            log["copy_error"] = "the object no longer holds the version that failed (deleted or replaced)"
        else:
            document_store.copy(current.object_key, copy_key)
            log["original_copy"] = copy_key
    except Exception as error:  # the original may be unreadable; the log says so
        log["copy_error"] = describe(error)
    document_store.write_text(log_key, json.dumps(log, indent=2, ensure_ascii=False), "application/json")
    outputs = {"error_log": log_key} | ({"failed_copy": copy_key} if log["original_copy"] else {})
    tracking.set_status(
        current.document_id, attempt_id, DocumentStatus.FAILED, reason=f"{step}: {reason}", outputs=outputs
    )


def describe(error: BaseException) -> str:
    """The reason a person reads: the error's own message, or its type when it has none."""
    reason = getattr(error, "reason", None) or getattr(error, "description", None) or str(error)
    return reason or type(error).__name__


def is_retryable(error: BaseException) -> bool:
    """True for what can succeed on a second try: throttling, timeouts, a connection that broke.

    Anything else (bad input, a refused answer, a bug that divides by zero) fails the same way
    every time, so it fails the document at once instead of after three backoffs.
    """
    if isinstance(error, TERMINAL_ERRORS):
        return False
    if isinstance(error, dg.Failure):
        return error.allow_retries
    if isinstance(error, ClientError):
        error_info = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return error_info.get("Code") in TRANSIENT_AWS_CODES or status >= 500
    if isinstance(error, OSError) and error.errno in PERMANENT_OS_ERRORS:
        return False
    return isinstance(error, (*TRANSIENT_ERRORS, *_llm_transport_errors()))
