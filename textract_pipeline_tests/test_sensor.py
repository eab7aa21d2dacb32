import os
import time
from datetime import UTC, datetime, timedelta, timezone

import dagster as dg
import pytest

from textract_pipeline.documents import document_id_for_key
from textract_pipeline.records import DocumentStatus, utc_now
from textract_pipeline.resources.document_store import (
    LocalDocumentStore,
    StoredObject,
    dated_incoming_key,
    incoming_hour_of_key,
)
from textract_pipeline.sensors import listing, run_requests
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.listing import LOOKBACK, UploadCursor, listed_each_tick, scan_incoming, tick_prefixes
from textract_pipeline_tests.fakes import ONE_RUN_PER_DOCUMENT


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def tick(instance, document_store, tracking, cursor=None):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"document_store": document_store, "tracking": tracking, "run_batching": ONE_RUN_PER_DOCUMENT},
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


def test_uploads_after_a_first_tick_over_an_empty_folder_are_found_by_the_next_tick(
    instance, document_store, tracking, make_tiff
):
    first = tick(instance, document_store, tracking)
    assert first.run_requests == []

    document_store.write_bytes(dated_incoming_key("deed.tif"), make_tiff())
    document_store.write_bytes("incoming/flat.tif", make_tiff(text="FLAT"))
    second = tick(instance, document_store, tracking, cursor=first.cursor)

    assert sorted(r.tags["textract_pipeline/object_key"] for r in second.run_requests) == sorted(
        [dated_incoming_key("deed.tif"), "incoming/flat.tif"]
    )
    third = tick(instance, document_store, tracking, cursor=second.cursor)
    assert third.run_requests == []


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


# Dagster hands the sensor a copy of its resources each tick, so listings are recorded here.
listings: list[tuple[str, bool]] = []


class RecordingStore(LocalDocumentStore):
    """The local store, remembering every listing the sensor asks for: (prefix, recursive)."""

    def list_objects(self, prefix, recursive=True, **options):
        listings.append((prefix, recursive))
        return super().list_objects(prefix, recursive, **options)


@pytest.fixture
def recording_store(document_store):
    listings.clear()
    return RecordingStore(root=document_store.root)


def requested_keys(result) -> list[str]:
    return sorted(request.tags[run_requests.OBJECT_KEY_TAG] for request in result.run_requests)


def with_full_pass_due(cursor: str) -> str:
    """The cursor as it would be an hour later: the full pass is due on the next tick."""
    parsed = UploadCursor.parse(cursor)
    return parsed.model_copy(
        update={"full_pass_at": parsed.full_pass_at - listing.FULL_PASS_INTERVAL}
    ).model_dump_json()


def test_dated_incoming_key_is_the_utc_hour_folder():
    at = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert dated_incoming_key("deed one.tif", at) == "incoming/2026/11/21/23/deed one.tif"
    assert dated_incoming_key("a.pdf", at.astimezone(timezone(timedelta(hours=5)))) == "incoming/2026/11/21/23/a.pdf"
    assert incoming_hour_of_key("incoming/2026/11/21/23/deed one.tif") == datetime(2026, 11, 21, 23, tzinfo=UTC)
    assert incoming_hour_of_key("incoming/2026/11/21/23/sub/deed.tif") == datetime(2026, 11, 21, 23, tzinfo=UTC)
    for elsewhere in ("incoming/deed.tif", "incoming/2026/11/21/deed.tif", "incoming/batch/1/2/3/x.tif"):
        assert incoming_hour_of_key(elsewhere) is None
    assert incoming_hour_of_key("incoming/2026/13/21/23/x.tif") is None
    with pytest.raises(ValueError):
        dated_incoming_key("../escape.tif", at)
    # The same file name uploaded in two hours is two documents, with readable ids.
    first, second = (document_id_for_key(dated_incoming_key("deed.tif", at + timedelta(hours=h))) for h in (0, 1))
    assert first != second and first.startswith("deed-") and second.startswith("deed-")


def test_tick_prefixes_cover_the_hours_from_the_horizon_to_just_ahead_of_now():
    now = datetime(2026, 11, 22, 0, 55, tzinfo=UTC)
    assert tick_prefixes(now - timedelta(minutes=70), now) == [
        "incoming/2026/11/21/23/",
        "incoming/2026/11/22/00/",
        "incoming/2026/11/22/01/",  # now + LOOKBACK: an uploader whose clock is a little fast
    ]
    # A sensor stopped for a week lists whole days rather than 170 hours.
    assert tick_prefixes(now - timedelta(days=7), now)[0] == "incoming/2026/11/15/"
    assert len(tick_prefixes(now - timedelta(days=7), now)) == 8


def test_what_the_ticks_see_and_what_is_left_to_the_full_pass():
    def at(key: str, minute: int) -> StoredObject:
        return StoredObject(key=key, version="v", size=1, last_modified=datetime(2026, 11, 21, 12, minute, tzinfo=UTC))

    assert listed_each_tick(at("incoming/deed.tif", 0))
    assert listed_each_tick(at("incoming/2026/11/21/12/deed.tif", 30))
    assert listed_each_tick(at("incoming/2026/11/21/13/deed.tif", 55))  # within LOOKBACK ahead
    assert not listed_each_tick(at("incoming/2026/11/21/13/deed.tif", 30))
    assert listed_each_tick(at("incoming/2026/11/21/11/deed.tif", 5))  # named a few minutes before the hour
    assert not listed_each_tick(at("incoming/2026/11/21/11/deed.tif", 15))  # back-dated
    assert not listed_each_tick(at("incoming/2026/11/20/12/deed.tif", 0))
    assert not listed_each_tick(at("incoming/batch/deed.tif", 0))
    assert not listed_each_tick(at("incoming/2026/11/21/deed.tif", 0))


def test_a_tick_lists_only_the_top_level_and_the_current_hour_folders(instance, recording_store, tracking, make_tiff):
    now = utc_now()
    data = make_tiff()
    old_keys = [dated_incoming_key(f"old-{days}.tif", now - timedelta(days=days)) for days in (1, 3, 30)]
    for key in [*old_keys, "incoming/top.tif", "incoming/batch/a.tif"]:
        recording_store.write_bytes(key, data)

    first = tick(instance, recording_store, tracking)  # no cursor: one full pass requests everything
    assert requested_keys(first) == sorted([*old_keys, "incoming/top.tif", "incoming/batch/a.tif"])
    assert listings == [("incoming/", True)]

    listings.clear()
    fresh = dated_incoming_key("fresh.tif")
    recording_store.write_bytes(fresh, data)
    recording_store.write_bytes("incoming/dropped.pdf", data)
    second = tick(instance, recording_store, tracking, cursor=first.cursor)
    assert requested_keys(second) == sorted([fresh, "incoming/dropped.pdf"])
    watermark = UploadCursor.parse(first.cursor).watermark
    expected = [("incoming/", False)] + [(p, True) for p in tick_prefixes(watermark - LOOKBACK, utc_now())]
    # The prefixes are computed at the tick's own "now", which an hour boundary may separate from ours.
    assert listings[0] == ("incoming/", False) and set(listings[1:]) <= set(expected) | {
        (fresh.rsplit("/", 1)[0] + "/", True)
    }
    assert (fresh.rsplit("/", 1)[0] + "/", True) in listings
    listed = {prefix for prefix, _ in listings}
    assert not listed & {key.rsplit("/", 1)[0] + "/" for key in old_keys}
    assert ("incoming/", True) not in listings  # no full pass: it ran less than an hour ago

    listings.clear()
    third = tick(instance, recording_store, tracking, cursor=second.cursor)
    assert third.run_requests == [] and ("incoming/", True) not in listings


def test_late_objects_outside_the_current_hour_are_found_by_the_full_pass(
    instance, recording_store, tracking, make_tiff
):
    data = make_tiff()
    recording_store.write_bytes("incoming/first.tif", data)
    first = tick(instance, recording_store, tracking)
    assert requested_keys(first) == ["incoming/first.tif"]

    back_dated = dated_incoming_key("late.tif", utc_now() - timedelta(days=2))
    fresh = dated_incoming_key("fresh.tif")
    for key in (back_dated, "incoming/batch/7/sub.pdf", fresh, "incoming/top.tif"):
        recording_store.write_bytes(key, data)
    second = tick(instance, recording_store, tracking, cursor=first.cursor)
    assert requested_keys(second) == sorted([fresh, "incoming/top.tif"])

    listings.clear()
    third = tick(instance, recording_store, tracking, cursor=with_full_pass_due(second.cursor))
    # Only what the ticks could not see; what they already requested is not requested again.
    assert requested_keys(third) == sorted([back_dated, "incoming/batch/7/sub.pdf"])
    assert ("incoming/", True) in listings
    full_pass_at = UploadCursor.parse(third.cursor).full_pass_at
    assert full_pass_at > UploadCursor.parse(second.cursor).full_pass_at

    # The next full pass does not request them again either.
    fourth = tick(instance, recording_store, tracking, cursor=with_full_pass_due(third.cursor))
    assert fourth.run_requests == []


def test_in_place_rewrites_are_found_by_the_tick_in_the_current_hour_else_by_the_full_pass(
    instance, document_store, tracking, make_tiff
):
    current, old = dated_incoming_key("current.tif"), dated_incoming_key("old.tif", utc_now() - timedelta(hours=5))
    for key in (current, old, "incoming/top.tif"):
        document_store.write_bytes(key, make_tiff())
    first = tick(instance, document_store, tracking)
    assert len(first.run_requests) == 3
    time.sleep(0.01)
    for key in (current, old, "incoming/top.tif"):
        path = document_store._path(key)
        stat = path.stat()
        path.write_bytes(make_tiff(text="REWRITTEN"))  # in place, as `cp` over it, keeping the old mtime
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = tick(instance, document_store, tracking, cursor=first.cursor)
    assert requested_keys(second) == sorted([current, "incoming/top.tif"])
    assert {r.run_key for r in second.run_requests}.isdisjoint(r.run_key for r in first.run_requests)
    third = tick(instance, document_store, tracking, cursor=with_full_pass_due(second.cursor))
    assert requested_keys(third) == [old]


def test_each_object_is_either_the_ticks_or_the_full_pass_s_even_when_a_tick_lists_its_folder(document_store):
    now = utc_now()
    back_dated = dated_incoming_key("back-dated.tif", now - timedelta(hours=2))
    current = dated_incoming_key("current.tif", now)
    for key in (back_dated, current):
        document_store.write_bytes(key, b"II*\x00 scan")
    # A sensor stopped for three hours: its next tick lists the back-dated object's folder too.
    stopped = now - timedelta(hours=3)
    cursor = UploadCursor(watermark=stopped, full_pass=listing.ListingPass(watermark=stopped), full_pass_at=utc_now())
    assert back_dated.rsplit("/", 1)[0] + "/" in tick_prefixes(stopped - LOOKBACK, utc_now())
    new, _, cursor = listing.scan_listing(document_store, cursor, utc_now())
    assert [o.key for o in new] == [current]
    due = cursor.model_copy(update={"full_pass_at": cursor.full_pass_at - listing.FULL_PASS_INTERVAL})
    new, _, cursor = listing.scan_listing(document_store, due, utc_now())
    assert [o.key for o in new] == [back_dated]
    new, _, _ = listing.scan_listing(document_store, cursor, utc_now())
    assert new == []


def test_a_name_that_is_not_utf8_is_recorded_failed_and_stops_nothing_else(
    instance, document_store, tracking, make_tiff
):
    incoming = os.path.join(os.fsencode(document_store.root), b"incoming")
    os.makedirs(incoming)
    with open(os.path.join(incoming, b"caf\xe9.tif"), "wb") as handle:  # a name from a Windows share
        handle.write(make_tiff())
    document_store.write_bytes("incoming/good.png", make_tiff(text="GRANT DEED AS PNG NAME"))

    result = tick(instance, document_store, tracking)

    assert requested_keys(result) == ["incoming/good.png"], "PNG is read; the bad name does not stop the tick"
    (refused,) = [record for record in tracking.list_documents() if record.object_key != "incoming/good.png"]
    assert refused.object_key == "incoming/caf\\xe9.tif"
    assert refused.status == DocumentStatus.FAILED and "not valid UTF-8" in refused.reason
    again = tick(instance, document_store, tracking, result.cursor)
    assert again.run_requests == [] and tracking.get(refused.document_id).history == refused.history
    ledger_objects = {stored.key for stored in document_store.list_objects("incoming/")}
    assert refused.object_key in ledger_objects, "the ledger sees it under the same escaped key"
