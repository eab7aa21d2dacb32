"""The upload sensor: every new object in incoming/ becomes a partition and a run.

Uploads are found from the bucket's notification queue when the store has one
(`upload_queue.py`), else by listing incoming/ (`listing.py`); the runs are cut in
`run_requests.py`.
"""

from __future__ import annotations

import dagster as dg

from textract_pipeline.documents import SUPPORTED_SUFFIXES, document_id_for_key, documents_partitions
from textract_pipeline.jobs import process_documents
from textract_pipeline.records import utc_now
from textract_pipeline.resources.document_store import DocumentStore, StoredObject
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors.listing import UploadCursor, scan_listing
from textract_pipeline.sensors.run_requests import run_requests
from textract_pipeline.sensors.upload_queue import scan_queue

UNREADABLE_NAME = "the file name is not valid UTF-8 (its bytes are shown escaped): rename the file and upload it again"


@dg.sensor(
    job=process_documents,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        f"Adds a `documents` partition per new {', '.join(sorted(SUPPORTED_SUFFIXES))} object in incoming/ and "
        "requests runs for them, new documents batched into runs over ranges of their partitions."
    ),
)
def incoming_documents_sensor(
    context: dg.SensorEvaluationContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    run_batching: RunBatching,
) -> dg.SensorResult:
    cursor = UploadCursor.parse(context.cursor)
    queue = document_store.uploads_queue()
    if queue is not None:
        new, skipped, next_cursor = scan_queue(context, document_store, queue, cursor)
    else:
        new, skipped, next_cursor = scan_listing(document_store, cursor, utc_now())
    for key in skipped:
        context.log.info(f"skipping {key}: not one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    first_seen: dict[str, StoredObject] = {}
    seen_before: dict[str, StoredObject] = {}
    for stored in new:
        document_id = document_id_for_key(stored.key)
        before = tracking.get(document_id)
        if stored.unreadable_name:
            if before is None or before.version != stored.version:
                context.log.warning(f"{stored.key}: {UNREADABLE_NAME}")
                tracking.register_refused(document_id, stored, UNREADABLE_NAME)
            continue
        tracking.register_upload(document_id, stored)
        if before is None:
            first_seen[document_id] = stored
        elif before.version != stored.version or not before.status.is_terminal:
            seen_before[document_id] = stored
        else:
            # This version is done already: a redelivered event, or a listing without a cursor.
            context.log.info(f"{stored.key}: version {stored.version} was already processed ({before.status})")
    partition_keys = sorted({*first_seen, *seen_before})
    return dg.SensorResult(
        run_requests=run_requests(first_seen, seen_before, run_batching),
        dynamic_partitions_requests=[documents_partitions.build_add_request(partition_keys)] if partition_keys else [],
        cursor=next_cursor.model_dump_json(),
    )
