import json
from datetime import timedelta

import dagster as dg

from textract_pipeline import retention
from textract_pipeline.definitions import defs
from textract_pipeline.documents import documents_partitions
from textract_pipeline.records import DocumentStatus, ResultRecord, utc_now
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.retention import RetentionConfig, partition_retention


def _document(tracking, document_id, status, days_ago, monkeypatch):
    """A tracking record whose last status change was `days_ago` days ago."""
    at = utc_now() - timedelta(days=days_ago)
    monkeypatch.setattr("textract_pipeline.resources.tracking.utc_now", lambda: at)
    stored = StoredObject(key=f"incoming/{document_id}.tif", version="v1", size=1, last_modified=at)
    tracking.register_upload(document_id, stored)
    tracking.start_attempt(document_id, "run-1")
    if status != DocumentStatus.RECEIVED:
        tracking.set_status(document_id, "run-1", status)
    monkeypatch.undo()


def _sweep(instance, document_store, tracking, days):
    return partition_retention.execute_in_process(
        instance=instance,
        resources={"document_store": document_store, "tracking": tracking},
        run_config=dg.RunConfig(ops={"archive_old_partitions": RetentionConfig(archive_after_days=days)}),
    )


def test_old_finished_documents_lose_their_partition_and_keep_their_records(
    instance, document_store, tracking, monkeypatch
):
    _document(tracking, "old-done", DocumentStatus.COMPLETED, 100, monkeypatch)
    _document(tracking, "old-failed", DocumentStatus.FAILED, 200, monkeypatch)
    _document(tracking, "old-stuck", DocumentStatus.RECEIVED, 100, monkeypatch)
    _document(tracking, "new-done", DocumentStatus.COMPLETED, 1, monkeypatch)
    tracking.put_result(
        ResultRecord(
            processing_id="old-done-1",
            timestamp=utc_now(),
            document_id="old-done",
            object_key="incoming/old-done.tif",
            upload_date="2026-08-01",
            status=DocumentStatus.COMPLETED,
        ),
        "run-1",
    )
    instance.add_dynamic_partitions(
        documents_partitions.name, ["old-done", "old-failed", "old-stuck", "new-done", "untracked"]
    )

    result = _sweep(instance, document_store, tracking, days=90)

    assert result.success and result.output_for_node("archive_old_partitions") == 2
    assert sorted(instance.get_dynamic_partitions(documents_partitions.name)) == ["new-done", "old-stuck", "untracked"]
    assert tracking.get("old-done").status == DocumentStatus.COMPLETED
    assert [r.document_id for r in tracking.query_results(object_key="incoming/old-done.tif")] == ["old-done"]
    (manifest_key,) = [o.key for o in document_store.list_objects(retention.ARCHIVE_PREFIX)]
    manifest = json.loads(document_store.read_text(manifest_key))
    assert [(m["document_id"], m["object_key"]) for m in manifest] == [
        ("old-failed", "incoming/old-failed.tif"),
        ("old-done", "incoming/old-done.tif"),
    ]

    again = _sweep(instance, document_store, tracking, days=90)
    assert again.output_for_node("archive_old_partitions") == 0
    assert len(list(document_store.list_objects(retention.ARCHIVE_PREFIX))) == 1


def test_a_sweep_is_bounded_and_takes_the_oldest_first(tracking, monkeypatch):
    for index in range(5):
        _document(tracking, f"doc-{index}", DocumentStatus.COMPLETED, 10 + index, monkeypatch)
    records = tracking.list_documents()
    expired = retention.expired_documents(records, {r.document_id for r in records}, utc_now(), limit=2)
    assert [r.document_id for r in expired] == ["doc-4", "doc-3"]


def test_the_retention_job_and_schedule_are_in_the_code_location():
    assert defs.resolve_job_def("partition_retention")
    assert defs.resolve_schedule_def("daily_retention_schedule").job_name == "partition_retention"
