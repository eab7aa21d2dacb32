"""Finding uploads from the bucket's ObjectCreated notifications (SQS), which is how large buckets run.

Messages are deleted one tick later, once the cursor that records them has been stored with
the tick's run requests; a message seen twice produces the same run key, which Dagster refuses
to run twice.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

import dagster as dg

from textract_pipeline.documents import is_supported_key
from textract_pipeline.resources.document_store import (
    INCOMING_PREFIX,
    DocumentStore,
    QueueMessage,
    StoredObject,
    UploadsQueue,
)
from textract_pipeline.sensors.listing import UploadCursor
from textract_pipeline.sensors.run_requests import run_key_for

MAX_EVENTS_PER_TICK = 100


def upload_events(message: QueueMessage, bucket: str) -> list[str] | None:
    """Object keys an S3 notification reports as created in `bucket`; None if it is not an S3 event."""
    body = message.body or {}
    if body.get("Event") == "s3:TestEvent":
        return []
    records = body.get("Records")
    if not isinstance(records, list):
        return None
    keys = []
    for record in records:
        s3 = record.get("s3", {}) if isinstance(record, dict) else {}
        if (
            record.get("eventSource") == "aws:s3"
            and str(record.get("eventName", "")).startswith("ObjectCreated:")
            and s3.get("bucket", {}).get("name") == bucket
        ):
            keys.append(unquote_plus(s3.get("object", {}).get("key", "")))
    return keys


def scan_queue(
    context: dg.SensorEvaluationContext, document_store: DocumentStore, queue: UploadsQueue, cursor: UploadCursor
) -> tuple[list[StoredObject], list[str], UploadCursor]:
    """New objects from the uploads queue; this tick's messages are deleted by the next tick."""
    refused = queue.messages.delete(cursor.pending_deletes)
    if refused:
        context.log.info(f"{len(refused)} upload events were redelivered before deletion; their run keys dedupe them")
    messages = queue.messages.receive(MAX_EVENTS_PER_TICK)
    new: dict[str, StoredObject] = {}
    skipped: list[str] = []
    for message in messages:
        keys = upload_events(message, queue.bucket)
        if keys is None:
            context.log.warning(f"uploads queue message {message.message_id} is not an S3 event notification")
            continue
        for key in keys:
            if not key.startswith(INCOMING_PREFIX):
                continue
            if not is_supported_key(key):
                skipped.append(key)
                continue
            stored = document_store.head(key)
            if stored is None:
                context.log.info(f"{key} was deleted before it could be registered")
                continue
            new[run_key_for(stored)] = stored
    next_cursor = UploadCursor(pending_deletes=[message.receipt_handle for message in messages])
    return list(new.values()), skipped, next_cursor
