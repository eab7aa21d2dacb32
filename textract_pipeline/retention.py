"""Partition retention: old documents leave the `documents` partitions, their records stay.

At 100k documents a month the dynamic partitions would grow by 1.2M a year, far past what
Dagster's UI and partition-status queries handle well. A finished document older than the
configured age is archived: its id ↔ object key mapping and final status go to a JSON
manifest under `archive/partitions/`, then its partition is deleted. The tracking and
results records are untouched, so `query_results`, `textract-pipeline status` and the
`processing_ledger` still show it; a later re-upload of the same key adds the partition again.
Documents still in progress, and partitions the tracking store does not know, are left alone.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

ARCHIVE_PREFIX = "archive/partitions/"
DELETE_THREADS = 8


class RetentionConfig(dg.Config):
    archive_after_days: float = 90.0
    # Bounds one sweep (each partition is one delete); the daily schedule catches up on a backlog.
    max_per_sweep: int = 100_000


def expired_documents(
    records: list[DocumentRecord], partition_keys: set[str], cutoff: datetime, limit: int
) -> list[DocumentRecord]:
    """Finished documents with a partition whose last status change is before `cutoff`, oldest first."""
    expired = [
        record
        for record in records
        if record.status.is_terminal and record.updated_at < cutoff and record.document_id in partition_keys
    ]
    return sorted(expired, key=lambda record: record.updated_at)[:limit]


@dg.op(
    description="Archive finished documents older than the configured age: manifest first, then delete their partitions."
)
def archive_old_partitions(
    context: dg.OpExecutionContext, config: RetentionConfig, document_store: DocumentStore, tracking: TrackingStore
) -> dg.Output[int]:
    instance = context.instance
    partition_keys = set(instance.get_dynamic_partitions(documents_partitions.name))
    finished = tracking.list_documents(DocumentStatus.COMPLETED) + tracking.list_documents(DocumentStatus.FAILED)
    now = utc_now()
    expired = expired_documents(
        finished, partition_keys, now - timedelta(days=config.archive_after_days), config.max_per_sweep
    )
    if not expired:
        return dg.Output(0, metadata={"archived": 0, "partitions_left": len(partition_keys)})
    manifest_key = f"{ARCHIVE_PREFIX}{now:%Y-%m-%d}/{context.run_id}.json"
    manifest = [
        {
            "document_id": record.document_id,
            "object_key": record.object_key,
            "status": record.status.value,
            "updated_at": record.updated_at.isoformat(),
            "outputs": record.outputs,
        }
        for record in expired
    ]
    # Written before any partition goes, so an interrupted sweep never loses the mapping.
    uri = document_store.write_text(manifest_key, json.dumps(manifest, indent=1), "application/json")
    # One statement and commit per partition (Dagster has no bulk delete): overlap the round trips.
    with ThreadPoolExecutor(DELETE_THREADS) as pool:
        list(
            pool.map(
                partial(instance.delete_dynamic_partition, documents_partitions.name), (r.document_id for r in expired)
            )
        )
    context.log.info(f"archived {len(expired)} documents older than {config.archive_after_days} days to {manifest_key}")
    return dg.Output(
        len(expired),
        metadata={
            "archived": len(expired),
            "partitions_left": len(partition_keys) - len(expired),
            "manifest": dg.MetadataValue.url(uri),
        },
    )


@dg.job(description="Delete the `documents` partitions of finished documents past the retention age; records stay.")
def partition_retention() -> None:
    archive_old_partitions()


daily_retention_schedule = dg.ScheduleDefinition(
    name="daily_retention_schedule",
    job=partition_retention,
    cron_schedule="30 3 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
