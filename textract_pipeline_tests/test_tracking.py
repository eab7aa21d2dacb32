from datetime import UTC, datetime

import pytest

from textract_pipeline.records import DocumentStatus, ResultRecord
from textract_pipeline.resources.document_store import StoredObject


def stored(key: str = "incoming/deed.tif", version: str = "v1") -> StoredObject:
    return StoredObject(key=key, version=version, size=10, last_modified=datetime.now(UTC))


def test_lifecycle_moves_forward_and_records_history(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "run-a")
    for status in (
        DocumentStatus.TEXTRACT_STARTED,
        DocumentStatus.TEXTRACT_COMPLETED,
        DocumentStatus.EXTRACTED,
        DocumentStatus.COMPLETED,
    ):
        assert tracking.set_status("deed-1", "run-a", status)
    record = tracking.get("deed-1")
    assert record.status == DocumentStatus.COMPLETED
    assert [entry["status"] for entry in record.history] == [
        "RECEIVED",
        "RECEIVED",
        "TEXTRACT_STARTED",
        "TEXTRACT_COMPLETED",
        "EXTRACTED",
        "COMPLETED",
    ]


def test_stale_attempt_cannot_overwrite_newer_attempt(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "old-run")
    tracking.start_attempt("deed-1", "new-run")
    assert tracking.set_status("deed-1", "new-run", DocumentStatus.COMPLETED)
    assert not tracking.set_status("deed-1", "old-run", DocumentStatus.FAILED, reason="late failure")
    assert tracking.get("deed-1").status == DocumentStatus.COMPLETED


def test_completed_is_final_but_failed_can_be_retried(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "run-a")
    assert tracking.set_status("deed-1", "run-a", DocumentStatus.FAILED, reason="throttled")
    assert tracking.set_status("deed-1", "run-a", DocumentStatus.EXTRACTED)
    assert tracking.set_status("deed-1", "run-a", DocumentStatus.COMPLETED)
    assert not tracking.set_status("deed-1", "run-a", DocumentStatus.FAILED)
    assert not tracking.set_status("deed-1", "run-a", DocumentStatus.TEXTRACT_STARTED)
    assert tracking.get("deed-1").reason is None


def test_status_never_moves_backwards_within_an_attempt(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "run-a")
    assert tracking.set_status("deed-1", "run-a", DocumentStatus.EXTRACTED)
    assert not tracking.set_status("deed-1", "run-a", DocumentStatus.TEXTRACT_STARTED)


def test_outputs_accumulate_across_steps(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "run-a")
    tracking.set_status("deed-1", "run-a", DocumentStatus.TEXTRACT_COMPLETED, outputs={"textract_raw": "a.json"})
    tracking.set_status("deed-1", "run-a", DocumentStatus.EXTRACTED, outputs={"v1_schema": "b.json"})
    assert tracking.get("deed-1").outputs == {"textract_raw": "a.json", "v1_schema": "b.json"}


def test_reupload_with_new_version_resets_to_received(tracking):
    tracking.register_upload("deed-1", stored(version="v1"))
    tracking.start_attempt("deed-1", "run-a")
    tracking.set_status("deed-1", "run-a", DocumentStatus.COMPLETED)
    assert tracking.register_upload("deed-1", stored(version="v1")).status == DocumentStatus.COMPLETED
    again = tracking.register_upload("deed-1", stored(version="v2"))
    assert (again.status, again.version, again.attempt_id) == (DocumentStatus.RECEIVED, "v2", None)


def test_unregistered_document_cannot_start(tracking):
    with pytest.raises(KeyError, match="never registered"):
        tracking.start_attempt("nobody", "run-a")


def result(processing_id: str, **fields) -> ResultRecord:
    values = dict(
        processing_id=processing_id,
        timestamp=datetime.now(UTC),
        document_id="deed-1",
        object_key="incoming/deed.tif",
        upload_date="2026-11-21",
        status=DocumentStatus.COMPLETED,
        document_type="grant_deed",
    )
    return ResultRecord(**{**values, **fields})


def test_results_upsert_per_processing_and_query_by_each_index(tracking):
    tracking.register_upload("deed-1", stored())
    tracking.start_attempt("deed-1", "run-a")
    tracking.put_result(result("p-1", sale_price=100.0), "run-a")
    tracking.put_result(result("p-1", sale_price=200.0), "run-a")
    tracking.put_result(result("p-2", object_key="incoming/other.pdf", document_type="quitclaim_deed"), "run-a")
    assert [r.sale_price for r in tracking.query_results(object_key="incoming/deed.tif")] == [200.0]
    assert {r.processing_id for r in tracking.query_results(upload_date="2026-11-21")} == {"p-1", "p-2"}
    assert {r.processing_id for r in tracking.query_results(status=DocumentStatus.COMPLETED)} == {"p-1", "p-2"}
    assert [r.processing_id for r in tracking.query_results(document_type="quitclaim_deed")] == ["p-2"]
    assert tracking.query_results(status=DocumentStatus.FAILED) == []
