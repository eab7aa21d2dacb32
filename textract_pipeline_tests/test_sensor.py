import os
import time
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from textract_pipeline.documents import document_id_for_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.sensors.incoming import (
    UploadCursor,
    incoming_documents_sensor,
    scan_incoming,
)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def tick(instance, document_store, tracking, cursor=None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"document_store": document_store, "tracking": tracking}
    )
    return incoming_documents_sensor(context)


def test_new_file_same_file_again_new_bytes_and_unsupported_suffix(instance, document_store, tracking, make_tiff):
    document_store.write_bytes("incoming/deed one.tif", make_tiff())
    document_store.write_bytes("incoming/notes.txt", b"not a scan")

    first = tick(instance, document_store, tracking)
    document_id = document_id_for_key("incoming/deed one.tif")
    assert [r.partition_key for r in first.run_requests] == [document_id]
    assert first.dynamic_partitions_requests[0].partition_keys == [document_id]
    record = tracking.get(document_id)
    assert (record.object_key, record.status) == ("incoming/deed one.tif", DocumentStatus.RECEIVED)

    again = tick(instance, document_store, tracking, cursor=first.cursor)
    assert again.run_requests == []

    time.sleep(0.01)
    document_store.write_bytes("incoming/deed one.tif", make_tiff(text="CORRECTED DEED"))
    reupload = tick(instance, document_store, tracking, cursor=again.cursor)
    assert [r.partition_key for r in reupload.run_requests] == [document_id]
    assert reupload.run_requests[0].run_key != first.run_requests[0].run_key


def test_run_keys_are_deterministic_without_a_cursor(instance, document_store, tracking, make_tiff):
    document_store.write_bytes("incoming/a.pdf", make_tiff())
    keys = [[r.run_key for r in tick(instance, document_store, tracking).run_requests] for _ in range(2)]
    assert keys[0] == keys[1] and len(keys[0]) == 1


def test_same_second_uploads_are_not_lost(instance, document_store, tracking, make_tiff):
    data = make_tiff()
    document_store.write_bytes("incoming/first.tif", data)
    first = tick(instance, document_store, tracking)
    document_store.write_bytes("incoming/second.tif", data)
    same_time = os.stat(document_store._path("incoming/first.tif")).st_mtime
    os.utime(document_store._path("incoming/second.tif"), (same_time, same_time))
    second = tick(instance, document_store, tracking, cursor=first.cursor)
    assert [r.partition_key for r in second.run_requests] == [document_id_for_key("incoming/second.tif")]


def stored(key: str, minutes_ago: float) -> StoredObject:
    at = datetime(2026, 11, 21, 12, 0, tzinfo=UTC) - timedelta(minutes=minutes_ago)
    return StoredObject(key=key, version="v1", size=1, last_modified=at)


def test_lookback_rescans_recent_objects_only_and_keeps_the_cursor_bounded():
    first = scan_incoming([stored("incoming/old.tif", 60), stored("incoming/a.tif", 0)], UploadCursor())
    assert [o.key for o in first.new] == ["incoming/old.tif", "incoming/a.tif"]
    assert list(first.cursor.recent_run_keys) == ["incoming/a.tif@v1"]

    # A late object stamped 5 minutes behind the watermark is still found; the old one is not repeated.
    listing = [stored("incoming/old.tif", 60), stored("incoming/a.tif", 0), stored("incoming/late.tif", 5)]
    second = scan_incoming(listing, first.cursor)
    assert [o.key for o in second.new] == ["incoming/late.tif"]
    assert scan_incoming(listing, second.cursor).new == []
