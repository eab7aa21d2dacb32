"""The upload sensor: every new object in incoming/ becomes a partition and a run."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import dagster as dg
from pydantic import BaseModel, Field

from textract_pipeline.documents import document_id_for_key, documents_partitions, is_supported_key
from textract_pipeline.jobs import process_documents
from textract_pipeline.resources.document_store import INCOMING_PREFIX, DocumentStore, StoredObject
from textract_pipeline.resources.tracking import TrackingStore

# Objects can appear with a modification time slightly behind the newest one already seen
# (clock skew, slow uploads); everything this close to the watermark is looked at again.
LOOKBACK = timedelta(minutes=10)
OBJECT_KEY_TAG = "textract_pipeline/object_key"


class UploadCursor(BaseModel):
    """Newest modification time seen, plus the run keys seen within the lookback window."""

    watermark: datetime | None = None
    recent_run_keys: dict[str, datetime] = Field(default_factory=dict)

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


def scan_incoming(objects: Iterable[StoredObject], cursor: UploadCursor) -> Scan:
    """Split a listing into new objects and unsupported ones, and advance the cursor."""
    horizon = cursor.watermark - LOOKBACK if cursor.watermark else None
    new, skipped, recent = [], [], dict(cursor.recent_run_keys)
    watermark = cursor.watermark
    for stored in objects:
        if horizon is not None and stored.last_modified < horizon:
            continue
        run_key = run_key_for(stored)
        if run_key in recent:
            continue
        recent[run_key] = stored.last_modified
        watermark = max(watermark, stored.last_modified) if watermark else stored.last_modified
        if is_supported_key(stored.key):
            new.append(stored)
        else:
            skipped.append(stored.key)
    if watermark is not None:
        recent = {key: seen for key, seen in recent.items() if seen >= watermark - LOOKBACK}
    return Scan(new=new, skipped=skipped, cursor=UploadCursor(watermark=watermark, recent_run_keys=recent))


@dg.sensor(
    job=process_documents,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds a `documents` partition and requests one run per new .tif/.tiff/.pdf object in incoming/.",
)
def incoming_documents_sensor(
    context: dg.SensorEvaluationContext, document_store: DocumentStore, tracking: TrackingStore
) -> dg.SensorResult:
    scan = scan_incoming(document_store.list_objects(INCOMING_PREFIX), UploadCursor.parse(context.cursor))
    for key in scan.skipped:
        context.log.info(f"skipping {key}: not a .tif, .tiff or .pdf object")
    run_requests, partition_keys = [], []
    for stored in scan.new:
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
        cursor=scan.cursor.model_dump_json(),
    )
