"""Sensor tick time with 1k, 10k and 100k objects under incoming/ and 10 new ones per tick.

    python -m benchmarks.sensor_ticks [--sizes 1000 10000 100000] [--ticks 3]
        [--stores local s3 s3-queue] [--flat-s3-max 10000] [--raw-moto] [--no-full-pass]

Layouts: "hour folders" spreads the N old objects over 30 days of hour folders
(incoming/YYYY/MM/DD/HH/, as `dated_incoming_key` names uploads: 100k a month is ~140 an
hour), and the 10 new ones go into the current hour's folder; "flat" puts all N directly in
incoming/ (and the new ones too), the slow case. Stores: the local folder; a moto S3 bucket
in listing mode; the same bucket with an uploads queue (S3 ObjectCreated -> SQS, moto),
which never lists (layout "any"). Each row: median over `--ticks` rounds that each put 10
new objects and tick until all 10 are found, with the real SQLite tracking store
registering them (a tick's cost is mostly those 10 registrations). "hourly full pass" rows: the ticks (and their summed seconds) of one full
pass over incoming/ finding nothing new, which the sensor makes every FULL_PASS_INTERVAL.

Old objects are made old by shortening the sensor's LOOKBACK to one second and waiting past
it, since a file's ctime cannot be set back. moto runs in process (`mock_aws`); objects are
seeded straight into its backend, and notifications are configured after seeding, so the
queue holds only the new uploads. moto's ListObjectsV2 scans and sorts the whole bucket on
every call (~0.3 s a call at 100k keys, whatever the prefix); S3 looks keys up in an index,
so unless `--raw-moto` is given the benchmark swaps in a bisect over a sorted copy of the
bucket's key names that returns the same pages. The flat S3 rows stop at `--flat-s3-max`
objects: each tick then lists the whole bucket, 0.5 ms a key in moto.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import dagster as dg

from benchmarks.common import machine_note, print_table
from textract_pipeline.records import utc_now
from textract_pipeline.resources.document_store import INCOMING_PREFIX, LocalDocumentStore, dated_incoming_key
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.sensors import listing
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.listing import ListingPass, UploadCursor

NEW_PER_TICK = 10
MAX_TICKS_PER_ROUND = 20
TIFF = b"II*\x00 scan"
MONTH = timedelta(days=30)
HOURLY, FLAT = "hour folders", "flat"

_instance: dg.DagsterInstance | None = None


def _tick(store, tracking, cursor: str | None) -> tuple[float, dg.SensorResult]:
    """One evaluation, on an instance as the daemon has one (an ephemeral one built per call costs seconds)."""
    global _instance
    _instance = _instance or dg.DagsterInstance.ephemeral()
    resources = {"document_store": store, "tracking": tracking, "run_batching": RunBatching()}
    context = dg.build_sensor_context(instance=_instance, cursor=cursor, resources=resources)
    started = time.perf_counter()
    result = incoming_documents_sensor(context)
    return time.perf_counter() - started, result


def seed_keys(size: int, layout: str, now: datetime) -> list[str]:
    """`size` keys, in hour folders a month deep (as uploaded over the last 30 days) or flat."""
    if layout == FLAT:
        return [f"{INCOMING_PREFIX}scan-{index:06d}.tif" for index in range(size)]
    step = MONTH / size
    return [dated_incoming_key(f"scan-{index:06d}.tif", now - index * step) for index in range(size)]


def new_key(layout: str, round_number: int, index: int) -> str:
    name = f"new-r{round_number}-{index}.tif"
    return INCOMING_PREFIX + name if layout == FLAT else dated_incoming_key(name)


def _seen_cursor(full_pass_due: bool = False) -> str:
    """The cursor of a sensor that has seen every object written so far (and made its full pass)."""
    time.sleep(1.1)
    now = utc_now()
    full_pass_at = now - 2 * listing.FULL_PASS_INTERVAL if full_pass_due else now
    return UploadCursor(
        watermark=now, full_pass=ListingPass(watermark=now), full_pass_at=full_pass_at
    ).model_dump_json()


def _put(s3: Any, bucket: str, key: str) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=TIFF)


def _cursor_busy(cursor: str) -> bool:
    parsed = UploadCursor.parse(cursor)
    return parsed.sweep_started_at is not None or parsed.full_pass.sweep_started_at is not None


def _rounds(store, tracking, put: Callable[[str], None], layout: str, ticks: int) -> tuple[float, float]:
    """Per round: put 10 new objects, tick until all are found; (median seconds, median ticks) per round.

    Round -1 warms up (clients, the tracking database) and is not counted.
    """
    cursor = _seen_cursor()
    seconds, counts = [], []
    for round_number in range(-1, ticks):
        time.sleep(1.1)  # the objects seen last round fall behind the 1 s lookback
        for index in range(NEW_PER_TICK):
            put(new_key(layout, round_number, index))
        found, spent, n = 0, 0.0, 0
        while n < MAX_TICKS_PER_ROUND:
            elapsed, result = _tick(store, tracking, cursor)
            spent, n, cursor = spent + elapsed, n + 1, result.cursor
            found += sum(len(request.partition_keys) for request in result.dynamic_partitions_requests or [])
            if found >= NEW_PER_TICK and not _cursor_busy(cursor):
                break
        assert found == NEW_PER_TICK, f"found {found} new objects in {n} ticks, expected {NEW_PER_TICK}"
        if round_number >= 0:
            seconds.append(spent)
            counts.append(n)
    return statistics.median(seconds), statistics.median(counts)


def _full_pass(store, tracking) -> tuple[float, int]:
    """(seconds, ticks) of one full pass over incoming/ that finds nothing new."""
    cursor = _seen_cursor(full_pass_due=True)
    before = UploadCursor.parse(cursor).full_pass_at
    spent, n = 0.0, 0
    while n < 1000:
        elapsed, result = _tick(store, tracking, cursor)
        spent, n, cursor = spent + elapsed, n + 1, result.cursor
        assert not result.dynamic_partitions_requests, "a full pass over old objects found something new"
        if UploadCursor.parse(cursor).full_pass_at != before:
            return spent, n
    raise AssertionError("the full pass did not complete in 1000 ticks")


def local_rows(sizes: list[int], ticks: int, workdir: Path, full_pass: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for layout in (HOURLY, FLAT):
        for size in sizes:
            root = workdir / f"local-{layout.replace(' ', '-')}-{size}"
            folders: set[Path] = set()
            for key in seed_keys(size, layout, utc_now()):
                path = root / key
                if path.parent not in folders:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(path.parent)
                path.write_bytes(TIFF)
            store = LocalDocumentStore(root=str(root))
            tracking = SqliteTrackingStore(path=str(root / "tracking.sqlite"))
            seconds, count = _rounds(store, tracking, partial(store.write_bytes, data=TIFF), layout, ticks)
            rows.append(["local folder", layout, size, count, seconds])
            if full_pass and layout == HOURLY:
                seconds, count = _full_pass(store, tracking)
                rows.append(["local folder: hourly full pass", layout, size, count, seconds])
    return rows


@contextmanager
def indexed_moto_listing() -> Iterator[None]:
    """moto's ListObjectsV2 answered from a sorted index of key names, as S3 answers it: same pages."""
    from moto.s3.models import FakeDeleteMarker, S3Backend

    original = S3Backend.list_objects_v2
    index: dict[int, tuple[int, list[str]]] = {}

    def names(bucket: Any) -> list[str]:
        cached = index.get(id(bucket))
        if cached is None or cached[0] != len(bucket.keys):
            cached = (len(bucket.keys), sorted(bucket.keys.keys()))
            index[id(bucket)] = cached
        return cached[1]

    def list_objects_v2(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys):
        keys, prefix = names(bucket), prefix or ""
        limit = self._pagination_tokens.get(continuation_token) if continuation_token else start_after
        position = bisect_right(keys, limit) if limit and limit >= prefix else bisect_left(keys, prefix)
        results: list[Any] = []
        while position < len(keys) and keys[position].startswith(prefix) and len(results) <= max_keys:
            name = keys[position]
            rest = name[len(prefix) :]
            if delimiter and delimiter in rest:
                folder = prefix + rest.split(delimiter)[0] + delimiter
                if not limit or folder > limit:
                    results.append(folder)
                # Past every key in the folder: they all sort below the folder with its last character raised.
                position = bisect_left(keys, folder[:-1] + chr(ord(folder[-1]) + 1))
                continue
            key = bucket.keys[name]
            if not isinstance(key, FakeDeleteMarker):
                results.append(key)
            position += 1
        return self._truncate_result(results, max_keys)

    S3Backend.list_objects_v2 = list_objects_v2
    try:
        yield
    finally:
        S3Backend.list_objects_v2 = original


def s3_rows(
    sizes: list[int], ticks: int, with_queue: bool, flat_max: int, raw_moto: bool, full_pass: bool
) -> list[list[object]]:
    import boto3
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    from textract_pipeline.resources.s3_store import S3DocumentStore

    layouts = ["any"] if with_queue else [HOURLY, FLAT]
    rows: list[list[object]] = []
    for layout in layouts:
        for size in sizes:
            if layout == FLAT and size > flat_max:
                continue
            with mock_aws(), tempfile.TemporaryDirectory() as temp, ExitStack() as stack:
                if not raw_moto:
                    stack.enter_context(indexed_moto_listing())
                bucket, region = f"bench-{size}", "us-east-1"
                s3 = boto3.client("s3", region_name=region)
                s3.create_bucket(Bucket=bucket)
                backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
                for key in seed_keys(size, FLAT if layout == FLAT else HOURLY, utc_now()):
                    backend.put_object(bucket, key, TIFF)  # straight into moto's backend, as if uploaded long ago
                queue_url = None
                if with_queue:  # after seeding: the queue holds only the new uploads' events
                    sqs = boto3.client("sqs", region_name=region)
                    queue_url = sqs.create_queue(QueueName="uploads")["QueueUrl"]
                    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
                        "QueueArn"
                    ]
                    s3.put_bucket_notification_configuration(
                        Bucket=bucket,
                        NotificationConfiguration={
                            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]
                        },
                    )
                    sqs.purge_queue(QueueUrl=queue_url)  # moto's s3:TestEvent
                store = S3DocumentStore(
                    bucket=bucket, region_name=region, uploads_queue_url=queue_url, queue_wait_seconds=0
                )
                tracking = SqliteTrackingStore(path=str(Path(temp) / "tracking.sqlite"))

                put = partial(_put, s3, bucket)
                seconds, count = _rounds(store, tracking, put, HOURLY if layout == "any" else layout, ticks)
                label = "S3 + uploads queue" if with_queue else "S3 listing"
                rows.append([label, layout, size, count, seconds])
                if full_pass and layout == HOURLY:
                    seconds, count = _full_pass(store, tracking)
                    rows.append(["S3 listing: hourly full pass", layout, size, count, seconds])
    return rows


@contextmanager
def benchmark_setting() -> Iterator[None]:
    """moto credentials and no endpoint override (nothing leaves the process), and a 1 s LOOKBACK; restored after."""
    environ, lookback = dict(os.environ), listing.LOOKBACK
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    listing.LOOKBACK = timedelta(seconds=1)
    try:
        yield
    finally:
        listing.LOOKBACK = lookback
        os.environ.clear()
        os.environ.update(environ)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--ticks", type=int, default=3)
    parser.add_argument("--stores", nargs="+", choices=["local", "s3", "s3-queue"], default=["local", "s3", "s3-queue"])
    parser.add_argument("--flat-s3-max", type=int, default=10_000, help="largest flat S3 bucket to measure")
    parser.add_argument("--raw-moto", action="store_true", help="keep moto's whole-bucket scan per list call")
    parser.add_argument("--no-full-pass", action="store_true", help="skip the hourly full pass rows")
    args = parser.parse_args(argv)
    full_pass = not args.no_full_pass
    print(machine_note())
    rows: list[list[object]] = []
    with benchmark_setting(), tempfile.TemporaryDirectory(prefix="bench-sensor-") as temp:
        if "local" in args.stores:
            rows += local_rows(args.sizes, args.ticks, Path(temp), full_pass)
        if "s3" in args.stores:
            rows += s3_rows(args.sizes, args.ticks, False, args.flat_s3_max, args.raw_moto, full_pass)
        if "s3-queue" in args.stores:
            rows += s3_rows(args.sizes, args.ticks, True, args.flat_s3_max, args.raw_moto, full_pass)
    by_row: dict[tuple[str, str], float] = {}
    groups = list(dict.fromkeys((store, layout) for store, layout, *_ in rows))
    rows.sort(key=lambda row: (groups.index((row[0], row[1])), row[2]))
    table = []
    for store, layout, size, ticks, seconds in rows:
        base = by_row.setdefault((store, layout), seconds)
        table.append([store, layout, size, ticks, seconds, seconds / base])
    print(machine_note())
    print_table(["store", "layout", "objects", "ticks to find 10 new", "seconds", "÷ smallest"], table)


if __name__ == "__main__":
    main()
