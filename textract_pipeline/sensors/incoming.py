"""The upload sensor: every new object in incoming/ becomes a partition and a run.

Two ways to notice uploads:
- listing (the local store, or a bucket without an uploads queue): passes over incoming/
  with a time watermark and the run keys seen near it, so nothing depends on key order;
  on S3 a pass is spread over ticks, a bounded number of objects per tick.
- SQS (a bucket whose ObjectCreated notifications go to a queue): reads the events, which
  is how large buckets run. Messages are deleted one tick later, once the cursor that
  records them has been stored with the tick's run requests; a message seen twice
  produces the same run key, which Dagster refuses to run twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import unquote_plus

import dagster as dg
from pydantic import BaseModel, Field

from textract_pipeline.documents import (
    document_id_for_key,
    documents_partitions,
    is_supported_key,
)
from textract_pipeline.jobs import process_documents
from textract_pipeline.records import utc_now
from textract_pipeline.resources.aws_clients import QueueMessage
from textract_pipeline.resources.document_store import (
    INCOMING_PREFIX,
    DocumentStore,
    LocalDocumentStore,
    StoredObject,
)
from textract_pipeline.resources.s3_store import S3_MAX_KEYS, S3DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

# Objects can appear with a modification time slightly behind the newest one already seen
# (clock skew, slow uploads); everything this close to the watermark is looked at again.
LOOKBACK = timedelta(minutes=10)
OBJECT_KEY_TAG = "textract_pipeline/object_key"
# Work per tick stays bounded whatever the bucket holds: a pass over 100k keys takes a few
# ticks, and every run request costs a tracking write, so a burst is spread over ticks.
MAX_LISTED_PER_TICK = 20_000
MAX_RUNS_PER_TICK = 500
MAX_EVENTS_PER_TICK = 100


class UploadCursor(BaseModel):
    """Listing: the watermark, the run keys seen near it and an unfinished pass; SQS: messages to delete."""

    watermark: datetime | None = None
    recent_run_keys: dict[str, datetime] = Field(default_factory=dict)
    sweep_after: str | None = None
    sweep_started_at: datetime | None = None
    sweep_max: datetime | None = None
    pending_deletes: list[str] = Field(default_factory=list)

    @classmethod
    def parse(cls, cursor: str | None) -> UploadCursor:
        return cls.model_validate_json(cursor) if cursor else cls()


def run_key_for(stored: StoredObject) -> str:
    """Same object and content version -> same key; a re-upload with new bytes gets a new one."""
    return f"{stored.key}@{stored.version}"


class Scan(BaseModel):
    new: list[StoredObject]
    skipped: list[str]
    cursor: UploadCursor
    complete: bool = True


def _advanced_watermark(
    watermark: datetime | None, sweep_max: datetime | None, started: datetime
) -> datetime | None:
    """Where a pass that saw objects up to `sweep_max` and began at `started` leaves the watermark."""
    if sweep_max is None:
        return watermark
    reached = min(sweep_max, started)
    return max(watermark, reached) if watermark else reached


def scan_incoming(
    objects: Iterable[StoredObject],
    cursor: UploadCursor,
    *,
    max_listed: int | None = None,
    max_new: int | None = None,
    now: datetime | None = None,
    ordered: bool = False,
) -> Scan:
    """Split (part of) a pass over the listing into new and unsupported objects, and advance the cursor.

    `objects` continues the pass where `cursor.sweep_after` left it. The watermark moves only
    when a pass completes, and then no further than the newest object seen or the time the
    pass began, whichever is earlier: an object written behind the pass while it ran is newer
    than that, so the next pass still looks at it. With an `ordered` listing (S3), run keys
    behind the pass that the next pass will ignore anyway are dropped at once, so a long
    pass over an old backlog does not carry every key it has seen in the cursor.
    """
    horizon = cursor.watermark - LOOKBACK if cursor.watermark else None
    started = cursor.sweep_started_at or now or utc_now()
    sweep_max, last_key = cursor.sweep_max, cursor.sweep_after
    new: list[StoredObject] = []
    skipped: list[str] = []
    recent = dict(cursor.recent_run_keys)
    listed, complete = 0, True
    for stored in objects:
        listed += 1
        last_key = stored.key
        sweep_max = max(sweep_max, stored.last_modified) if sweep_max else stored.last_modified
        run_key = run_key_for(stored)
        if (horizon is None or stored.last_modified >= horizon) and run_key not in recent:
            recent[run_key] = stored.last_modified
            if is_supported_key(stored.key):
                new.append(stored)
            else:
                skipped.append(stored.key)
        # Stop without peeking further (that could fetch another page); if this was the
        # last object, the next tick finds the listing empty and completes the pass.
        if (max_listed is not None and listed >= max_listed) or (max_new is not None and len(new) >= max_new):
            complete = False
            break
    if not complete:
        if ordered and sweep_max is not None:
            floor = _advanced_watermark(cursor.watermark, sweep_max, started) - LOOKBACK
            recent = {
                run_key: seen
                for run_key, seen in recent.items()
                if seen >= floor or run_key.rsplit("@", 1)[0] > last_key
            }
        progress = {"sweep_after": last_key, "sweep_started_at": started, "sweep_max": sweep_max}
        next_cursor = cursor.model_copy(update={"recent_run_keys": recent, **progress})
        return Scan(new=new, skipped=skipped, cursor=next_cursor, complete=False)
    watermark = _advanced_watermark(cursor.watermark, sweep_max, started)
    if watermark is not None:
        recent = {key: seen for key, seen in recent.items() if seen >= watermark - LOOKBACK}
    return Scan(new=new, skipped=skipped, cursor=UploadCursor(watermark=watermark, recent_run_keys=recent))


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


def _scan_queue(
    context: dg.SensorEvaluationContext, document_store: S3DocumentStore, cursor: UploadCursor
) -> tuple[list[StoredObject], list[str], UploadCursor]:
    """New objects from the uploads queue; this tick's messages are deleted by the next tick."""
    queue = document_store.uploads_queue()
    assert queue is not None
    refused = queue.delete(cursor.pending_deletes)
    if refused:
        context.log.info(f"{len(refused)} upload events were redelivered before deletion; their run keys dedupe them")
    messages = queue.receive(MAX_EVENTS_PER_TICK)
    new: dict[str, StoredObject] = {}
    skipped: list[str] = []
    for message in messages:
        keys = upload_events(message, document_store.bucket)
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


@dg.sensor(
    job=process_documents,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds a `documents` partition and requests one run per new .tif/.tiff/.pdf object in incoming/.",
)
def incoming_documents_sensor(
    context: dg.SensorEvaluationContext, document_store: DocumentStore, tracking: TrackingStore
) -> dg.SensorResult:
    cursor = UploadCursor.parse(context.cursor)
    if isinstance(document_store, S3DocumentStore) and document_store.uploads_queue_url:
        new, skipped, next_cursor = _scan_queue(context, document_store, cursor)
    else:
        if isinstance(document_store, S3DocumentStore):
            # Pages no bigger than a tick can use: in a backlog most listed objects are new.
            page_size = min(MAX_LISTED_PER_TICK, MAX_RUNS_PER_TICK, S3_MAX_KEYS)
            listing = document_store.list_objects(INCOMING_PREFIX, start_after=cursor.sweep_after, page_size=page_size)
            max_listed: int | None = MAX_LISTED_PER_TICK
        else:
            # The local listing is unordered, so an unfinished pass restarts (run keys dedupe
            # it) and must not be cut by length, only by the number of runs.
            # Objects changed before the lookback horizon are skipped by scan_incoming anyway;
            # filtering them in the walk keeps a tick's cost near a stat per object.
            horizon = cursor.watermark - LOOKBACK if cursor.watermark else None
            if isinstance(document_store, LocalDocumentStore):
                listing = document_store.list_objects(INCOMING_PREFIX, modified_since=horizon)
            else:
                listing = document_store.list_objects(INCOMING_PREFIX)
            max_listed = None
        scan = scan_incoming(
            listing, cursor, max_listed=max_listed, max_new=MAX_RUNS_PER_TICK, ordered=max_listed is not None
        )
        new, skipped, next_cursor = scan.new, scan.skipped, scan.cursor
    for key in skipped:
        context.log.info(f"skipping {key}: not a .tif, .tiff or .pdf object")
    run_requests, partition_keys = [], []
    for stored in new:
        document_id = document_id_for_key(stored.key)
        tracking.register_upload(document_id, stored)
        partition_keys.append(document_id)
        run_requests.append(
            dg.RunRequest(
                run_key=run_key_for(stored),
                partition_key=document_id,
                tags={OBJECT_KEY_TAG: stored.key},
            )
        )
    return dg.SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=[documents_partitions.build_add_request(sorted(set(partition_keys)))]
        if partition_keys
        else [],
        cursor=next_cursor.model_dump_json(),
    )
