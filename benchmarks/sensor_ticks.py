"""Sensor tick time with 1k, 10k and 100k objects under incoming/ and 10 new ones per tick.

    python -m benchmarks.sensor_ticks [--sizes 1000 10000 100000] [--ticks 3]

Stores: the local folder; a moto S3 bucket in listing mode (a pass is spread over ticks of
at most MAX_LISTED_PER_TICK keys, so the time to notice an upload is the whole pass); and
the same bucket with an uploads queue (S3 ObjectCreated → SQS, moto). Old objects are made
old by shortening the sensor's LOOKBACK to one second and waiting past it, since a file's
ctime cannot be set back. Each row: median over `--ticks` ticks that each find 10 new
objects, with the real SQLite tracking store registering them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

import dagster as dg

from benchmarks.common import machine_note, print_table
from textract_pipeline.records import utc_now
from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.sensors import incoming
from textract_pipeline.sensors.incoming import UploadCursor, incoming_documents_sensor

NEW_PER_TICK = 10
TIFF = b"II*\x00 scan"


_instance: dg.DagsterInstance | None = None


def _tick(store, tracking, cursor: str | None) -> tuple[float, dg.SensorResult]:
    """One evaluation, on an instance as the daemon has one (an ephemeral one built per call costs seconds)."""
    global _instance
    _instance = _instance or dg.DagsterInstance.ephemeral()
    context = dg.build_sensor_context(
        instance=_instance, cursor=cursor, resources={"document_store": store, "tracking": tracking}
    )
    started = time.perf_counter()
    result = incoming_documents_sensor(context)
    return time.perf_counter() - started, result


def _put(s3, bucket: str, key: str) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=TIFF)


def _seen_cursor() -> str:
    """The cursor of a sensor that has already seen every object written so far."""
    time.sleep(1.1)
    return UploadCursor(watermark=utc_now()).model_dump_json()


def _ticks_finding_new(store, tracking, cursor: str, put, ticks: int) -> tuple[list[float], list[int]]:
    """Per round: put 10 new objects, tick until a pass completes; (seconds per round, ticks per round)."""
    seconds, counts = [], []
    for round_number in range(ticks):
        time.sleep(1.1)  # the objects seen last round fall behind the 1 s lookback
        for index in range(NEW_PER_TICK):
            put(f"incoming/new/r{round_number}-{index}.tif")
        found, spent, n = 0, 0.0, 0
        while n < 100:
            elapsed, result = _tick(store, tracking, cursor)
            spent, n, cursor = spent + elapsed, n + 1, result.cursor
            found += len(result.run_requests)
            if UploadCursor.parse(cursor).sweep_after is None and found >= NEW_PER_TICK:
                break
        assert found == NEW_PER_TICK, f"found {found} new objects, expected {NEW_PER_TICK}"
        seconds.append(spent)
        counts.append(n)
    return seconds, counts


def local_rows(sizes: list[int], ticks: int, workdir: Path) -> list[list[object]]:
    rows = []
    for size in sizes:
        root = workdir / f"local-{size}"
        folder = root / "incoming" / "batch"
        folder.mkdir(parents=True)
        for index in range(size):
            (folder / f"scan-{index:06d}.tif").write_bytes(TIFF)
        store = LocalDocumentStore(root=str(root))
        tracking = SqliteTrackingStore(path=str(root / "tracking.sqlite"))
        seconds, counts = _ticks_finding_new(
            store, tracking, _seen_cursor(), partial(store.write_bytes, data=TIFF), ticks
        )
        rows.append(["local folder", size, statistics.median(counts), statistics.median(seconds)])
    return rows


def s3_rows(sizes: list[int], ticks: int, with_queue: bool) -> list[list[object]]:
    import boto3
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    from textract_pipeline.resources.s3_store import S3DocumentStore

    rows = []
    for size in sizes:
        with mock_aws(), tempfile.TemporaryDirectory() as temp:
            bucket, region = f"bench-{size}", "us-east-1"
            s3 = boto3.client("s3", region_name=region)
            s3.create_bucket(Bucket=bucket)
            queue_url = None
            if with_queue:
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
            backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
            for index in range(size):  # straight into moto's backend: fast, as if uploaded long ago
                backend.put_object(bucket, f"incoming/batch/scan-{index:06d}.tif", TIFF)
            if queue_url:  # moto notifies even for these; the sensor is past them
                boto3.client("sqs", region_name=region).purge_queue(QueueUrl=queue_url)
            store = S3DocumentStore(
                bucket=bucket, region_name=region, uploads_queue_url=queue_url, queue_wait_seconds=0
            )
            tracking = SqliteTrackingStore(path=str(Path(temp) / "tracking.sqlite"))
            seconds, counts = _ticks_finding_new(store, tracking, _seen_cursor(), partial(_put, s3, bucket), ticks)
            label = "S3 + uploads queue" if with_queue else "S3 listing"
            rows.append([label, size, statistics.median(counts), statistics.median(seconds)])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--ticks", type=int, default=3)
    parser.add_argument("--stores", nargs="+", choices=["local", "s3", "s3-queue"], default=["local", "s3", "s3-queue"])
    args = parser.parse_args(argv)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    incoming.LOOKBACK = timedelta(seconds=1)
    print(machine_note())
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-sensor-") as temp:
        if "local" in args.stores:
            rows += local_rows(args.sizes, args.ticks, Path(temp))
    if "s3" in args.stores:
        rows += s3_rows(args.sizes, args.ticks, with_queue=False)
    if "s3-queue" in args.stores:
        rows += s3_rows(args.sizes, args.ticks, with_queue=True)
    by_store: dict[str, float] = {}
    table = []
    for store, size, ticks, seconds in rows:
        base = by_store.setdefault(store, seconds)
        table.append([store, size, ticks, seconds, seconds / base])
    print_table(["store", "objects", "ticks to find 10 new", "seconds", "÷ smallest"], table)


if __name__ == "__main__":
    main()
