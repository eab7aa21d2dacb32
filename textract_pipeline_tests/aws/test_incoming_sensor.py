"""The upload sensor against a moto bucket: thousands of objects in listing mode, and SQS mode."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import boto3
import dagster as dg
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from textract_pipeline.documents import document_id_for_key
from textract_pipeline.records import DocumentRecord, utc_now
from textract_pipeline.resources.document_store import StoredObject, dated_incoming_key
from textract_pipeline.resources.s3_store import S3DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors import listing, run_requests
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.listing import UploadCursor, scan_incoming
from textract_pipeline_tests.aws.conftest import BUCKET, REGION
from textract_pipeline_tests.fakes import ONE_RUN_PER_DOCUMENT

s3_client = S3DocumentStore.get_client  # the real one, for the instrumented replacements below

# Dagster hands the sensor a copy of its resources each tick, so registrations land here.
registered: dict[str, StoredObject] = {}


class RegisteringTracking(TrackingStore):
    """Remembers registrations only: the sensor's one tracking call, without a database per object."""

    def register_upload(self, document_id: str, stored: StoredObject) -> DocumentRecord:
        registered[document_id] = stored
        return DocumentRecord(document_id=document_id, object_key=stored.key, version=stored.version)

    def get(self, document_id):
        stored = registered.get(document_id)
        return stored and DocumentRecord(document_id=document_id, object_key=stored.key, version=stored.version)

    def list_documents(self, status=None):
        raise NotImplementedError

    def start_attempt(self, document_id, attempt_id, **fields):
        raise NotImplementedError

    def set_status(self, document_id, attempt_id, status, reason=None, **fields):
        raise NotImplementedError

    def put_result(self, result):
        raise NotImplementedError

    def query_results(self, **filters):
        raise NotImplementedError


@pytest.fixture
def tracking() -> RegisteringTracking:
    registered.clear()
    return RegisteringTracking()


def tick(store: S3DocumentStore, tracking: TrackingStore, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        cursor=cursor, resources={"document_store": store, "tracking": tracking, "run_batching": ONE_RUN_PER_DOCUMENT}
    )
    return incoming_documents_sensor(context)


def test_thousands_of_objects_and_same_second_uploads_are_each_requested_exactly_once(s3_store, tracking, monkeypatch):
    monkeypatch.setattr(listing, "MAX_LISTED_PER_TICK", 900)
    monkeypatch.setattr(listing, "MAX_RUNS_PER_TICK", 500)
    list_calls: list[tuple[str, str | None]] = []

    def counting_client(store):
        # The sensor gets a fresh resource (and client) each tick: count on every client made.
        client = s3_client(store)
        client.meta.events.register(
            "provide-client-params.s3.ListObjectsV2",
            lambda params, **_: list_calls.append((params["Prefix"], params.get("Delimiter"))),
        )
        return client

    monkeypatch.setattr(S3DocumentStore, "get_client", counting_client)
    s3 = boto3.client("s3", region_name=REGION)
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    # 3,000 objects written straight into moto's bucket (the same second, the same bytes).
    for index in range(3000):
        backend.put_object(BUCKET, f"incoming/batch/scan-{index:05d}.tif", b"II*\x00 scan")
    s3.put_object(Bucket=BUCKET, Key="incoming/batch/readme.txt", Body=b"not a scan")
    new_etag = hashlib.md5(b"II*\x00 new bytes").hexdigest()  # S3's ETag of a single-part upload

    requested: list[str] = []
    per_tick: list[tuple[int, int]] = []
    cursor = None

    def tick_until_quiet(uploads: bool) -> None:
        nonlocal cursor
        for round_number in range(40):
            list_calls.clear()
            result = tick(s3_store, tracking, cursor)
            requested.extend(request.run_key for request in result.run_requests)
            full_pass_calls = sum(1 for call in list_calls if call == ("incoming/", None))
            per_tick.append((len(result.run_requests), full_pass_calls))
            # Each tick also lists incoming/ with a delimiter and one or two hour folders, a page each.
            assert len(list_calls) - full_pass_calls <= 3
            cursor = result.cursor
            parsed = UploadCursor.parse(cursor)
            if uploads and round_number < 4:
                # Uploads between ticks, two per round in the same second, one of them sorting
                # before everything already listed; plus a re-upload of a listed key with new bytes.
                s3.put_object(Bucket=BUCKET, Key=f"incoming/aaa-{round_number}.pdf", Body=b"%PDF-1.7 a")
                s3.put_object(Bucket=BUCKET, Key=f"incoming/zzz-{round_number}.pdf", Body=b"%PDF-1.7 z")
                s3.put_object(
                    Bucket=BUCKET, Key=f"incoming/batch/scan-{round_number:05d}.tif", Body=b"II*\x00 new bytes"
                )
            elif not result.run_requests and parsed.sweep_after is None and parsed.full_pass.sweep_after is None:
                return
        raise AssertionError("the sensor did not settle in 40 ticks")

    tick_until_quiet(uploads=True)
    # The re-uploads in incoming/batch/ (not an hour folder) wait for the next full pass.
    assert not any(run_key.endswith(new_etag) for run_key in requested)
    parsed = UploadCursor.parse(cursor)
    cursor = parsed.model_copy(
        update={"full_pass_at": parsed.full_pass_at - listing.FULL_PASS_INTERVAL}
    ).model_dump_json()
    tick_until_quiet(uploads=False)

    expected = {
        f"{o['Key']}@{o['ETag'].strip(chr(34))}"
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="incoming/")
        for o in page.get("Contents", [])
        if not o["Key"].endswith(".txt")
    }
    originals = {f"incoming/batch/scan-{index:05d}.tif" for index in range(4)}
    assert len(requested) == len(set(requested)), "an object was requested twice"
    # Every current version, plus the first version of the six objects overwritten after being seen.
    assert expected <= set(requested)
    assert {key.split("@")[0] for key in set(requested) - expected} <= originals
    # 3,000 seeded + 8 new keys + 4 re-uploads (each a new version of a seeded key).
    assert len(requested) == 3000 + 8 + 4
    assert all(count <= 500 for count, _ in per_tick)
    # Pages of 500 (the run limit), at most ceil(900 / 500) of them per tick, however big the bucket.
    assert max(calls for _, calls in per_tick) <= 2
    assert len(per_tick) >= 6  # the work was spread over ticks
    assert len(registered) == 3008 and document_id_for_key("incoming/aaa-0.pdf") in registered


@pytest.fixture
def queued_store(s3_store, uploads_queue) -> S3DocumentStore:
    queue_arn = uploads_queue.client.get_queue_attributes(QueueUrl=uploads_queue.url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    boto3.client("s3", region_name=REGION).put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]},
    )
    return S3DocumentStore(bucket=BUCKET, region_name=REGION, uploads_queue_url=uploads_queue.url, queue_wait_seconds=0)


def test_sqs_mode_requests_from_events_and_deletes_them_a_tick_later(queued_store, uploads_queue, tracking):
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="incoming/deed one.tif", Body=b"II*\x00 deed")
    s3.put_object(Bucket=BUCKET, Key="incoming/notes.txt", Body=b"text")
    s3.put_object(Bucket=BUCKET, Key="processed/2026-11-22/out.json", Body=b"{}")
    uploads_queue.send({"Event": "s3:TestEvent", "Bucket": BUCKET})
    uploads_queue.send({"something": "else"})

    first = tick(queued_store, tracking, None)
    assert [r.partition_key for r in first.run_requests] == [document_id_for_key("incoming/deed one.tif")]
    etag = queued_store.head("incoming/deed one.tif").version
    assert first.run_requests[0].run_key == f"incoming/deed one.tif@{etag}"
    assert first.dynamic_partitions_requests[0].partition_keys == [first.run_requests[0].partition_key]
    # Nothing is deleted until the cursor that lists the messages has been stored: every
    # message (three object events, moto's and our test events, the stray one) is in flight.
    pending = UploadCursor.parse(first.cursor).pending_deletes
    assert uploads_queue.visible() == 0 and uploads_queue.in_flight() == len(pending) >= 5

    second = tick(queued_store, tracking, first.cursor)
    assert second.run_requests == []
    assert uploads_queue.in_flight() == 0 and uploads_queue.visible() == 0

    # A redelivered event (or a lost cursor) yields the same run key, which Dagster runs once.
    s3.put_object(Bucket=BUCKET, Key="incoming/deed one.tif", Body=b"II*\x00 deed")
    third = tick(queued_store, tracking, second.cursor)
    assert [r.run_key for r in third.run_requests] == [first.run_requests[0].run_key]


def test_sqs_mode_skips_objects_deleted_before_the_tick(queued_store, uploads_queue, tracking):
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="incoming/gone.pdf", Body=b"%PDF")
    s3.delete_object(Bucket=BUCKET, Key="incoming/gone.pdf")
    result = tick(queued_store, tracking, None)
    assert result.run_requests == [] and registered == {}
    # The event (and moto's configuration test event) are still consumed, a tick later.
    assert len(UploadCursor.parse(result.cursor).pending_deletes) == uploads_queue.in_flight() == 2


def test_a_long_ordered_pass_drops_keys_the_next_pass_will_ignore():
    now = utc_now()
    # Key order and age disagree on purpose: a0 is the oldest, a9 the newest.
    listing = [
        StoredObject(key=f"incoming/a{i}.tif", version="e", size=1, last_modified=now - timedelta(minutes=100 - 10 * i))
        for i in range(10)
    ]
    first = scan_incoming(listing, UploadCursor(), max_listed=5, ordered=True, now=now)
    assert [o.key for o in first.new] == [f"incoming/a{i}.tif" for i in range(5)] and not first.complete
    # a0-a2 are older than (newest seen - lookback): the next pass will not look at them.
    assert sorted(first.cursor.recent_run_keys) == ["incoming/a3.tif@e", "incoming/a4.tif@e"]

    rest = [o for o in listing if o.key > first.cursor.sweep_after]
    second = scan_incoming(rest, first.cursor, max_listed=5, ordered=True, now=now)
    assert [o.key for o in second.new] == [f"incoming/a{i}.tif" for i in range(5, 10)]
    third = scan_incoming([], second.cursor, max_listed=5, ordered=True, now=now)
    assert third.complete and third.new == []
    assert scan_incoming(listing, third.cursor, max_listed=20, ordered=True, now=now).new == []


def test_a_tick_lists_the_top_level_and_current_hour_folders_and_the_full_pass_finds_late_objects(
    s3_store, tracking, monkeypatch
):
    list_calls: list[tuple[str, str | None]] = []

    def recording_client(store):
        client = s3_client(store)
        client.meta.events.register(
            "provide-client-params.s3.ListObjectsV2",
            lambda params, **_: list_calls.append((params["Prefix"], params.get("Delimiter"))),
        )
        return client

    monkeypatch.setattr(S3DocumentStore, "get_client", recording_client)
    s3 = boto3.client("s3", region_name=REGION)
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    now = utc_now()
    # A month of uploads in hour folders, seen by a first full pass.
    old_keys = [dated_incoming_key(f"scan-{hours}.tif", now - timedelta(hours=hours)) for hours in range(2, 720, 7)]
    for key in old_keys:
        backend.put_object(BUCKET, key, b"II*\x00 scan")
    first = tick(s3_store, tracking, None)
    assert len(first.run_requests) == len(old_keys)

    list_calls.clear()
    fresh = dated_incoming_key("fresh.tif")
    back_dated = dated_incoming_key("late.tif", now - timedelta(days=3))
    for key in (fresh, back_dated, "incoming/top.pdf", "incoming/batch/other.pdf"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"II*\x00 " + key.encode())
    second = tick(s3_store, tracking, first.cursor)
    assert sorted(r.tags[run_requests.OBJECT_KEY_TAG] for r in second.run_requests) == sorted(
        [fresh, "incoming/top.pdf"]
    )
    assert list_calls[0] == ("incoming/", "/")
    listed = {prefix for prefix, _ in list_calls[1:]}
    assert fresh.rsplit("/", 1)[0] + "/" in listed and len(listed) <= 2
    assert all(prefix.startswith("incoming/") and len(prefix) == len("incoming/2026/11/22/13/") for prefix in listed)
    assert ("incoming/", None) not in list_calls  # no full pass within the hour

    third = tick(s3_store, tracking, second.cursor)
    assert third.run_requests == []

    list_calls.clear()
    parsed = UploadCursor.parse(third.cursor)
    due = parsed.model_copy(update={"full_pass_at": parsed.full_pass_at - listing.FULL_PASS_INTERVAL})
    fourth = tick(s3_store, tracking, due.model_dump_json())
    assert sorted(r.tags[run_requests.OBJECT_KEY_TAG] for r in fourth.run_requests) == sorted(
        [back_dated, "incoming/batch/other.pdf"]
    )
    assert ("incoming/", None) in list_calls


def test_a_burst_in_the_current_hour_is_spread_over_ticks_and_requested_once(s3_store, tracking, monkeypatch):
    monkeypatch.setattr(listing, "MAX_LISTED_PER_TICK", 50)
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="incoming/first.tif", Body=b"II*\x00 first")
    cursor = tick(s3_store, tracking, None).cursor
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    # Keys of both listings interleave in key order: "incoming/2026/..." sorts between these.
    burst = [dated_incoming_key(f"scan-{index:03d}.tif") for index in range(120)]
    burst += [f"incoming/{prefix}-{index}.pdf" for prefix in ("0", "zz") for index in range(15)]
    for key in burst:
        backend.put_object(BUCKET, key, b"II*\x00 scan")
    requested: list[str] = []
    ticks_with_requests = 0
    for _ in range(20):
        result = tick(s3_store, tracking, cursor)
        assert len(result.run_requests) <= 50
        requested += [request.run_key for request in result.run_requests]
        ticks_with_requests += bool(result.run_requests)
        cursor = result.cursor
        if not result.run_requests and UploadCursor.parse(cursor).sweep_after is None:
            break
    assert len(requested) == len(set(requested)) == len(burst)
    assert ticks_with_requests >= 3  # 150 objects, 50 listed a tick
    assert {run_key.rsplit("@", 1)[0] for run_key in requested} == set(burst)
