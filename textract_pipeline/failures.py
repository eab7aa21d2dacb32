"""Failed documents: status FAILED with a reason, and the original kept under failed/<date>/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

import dagster as dg

from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.document_store import FAILED_PREFIX, DocumentStore
from textract_pipeline.resources.tracking import TrackingStore


def failed_keys(record: DocumentRecord) -> tuple[str, str]:
    """Where the original copy and its error log go; the document id keeps same-named files apart."""
    name = f"{record.document_id}__{PurePosixPath(record.object_key).name}"
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
    if document_store.head(record.object_key) is not None:
        document_store.copy(record.object_key, copy_key)
    log = {
        "document_id": record.document_id,
        "object_key": record.object_key,
        "version": record.version,
        "attempt_id": attempt_id,
        "step": step,
        "reason": reason,
        "failed_at": utc_now().isoformat(),
    }
    document_store.write_text(log_key, json.dumps(log, indent=2), "application/json")
    tracking.set_status(
        record.document_id,
        attempt_id,
        DocumentStatus.FAILED,
        reason=f"{step}: {reason}",
        outputs={"failed_copy": copy_key, "error_log": log_key},
    )


def describe(error: BaseException) -> str:
    """The reason a person reads: the error's own message, or its type when it has none."""
    reason = getattr(error, "reason", None) or getattr(error, "description", None) or str(error)
    return reason or type(error).__name__


@contextmanager
def fail_document_on_error(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_id: str,
    attempt_id: str,
) -> Iterator[None]:
    """Mark the document FAILED (and keep the original) when a step raises, then re-raise."""
    try:
        yield
    except Exception as error:
        record = tracking.get(document_id)
        if record is not None:
            step = context.asset_key.to_user_string()
            record_failure(document_store, tracking, record, attempt_id, step, describe(error))
        raise
