"""`documents` partitions at scale on a Postgres-backed instance: 10k and 100k partitions.

    python -m benchmarks.partitions [--sizes 10000 100000] [--materialized 1000]

For each size, in a fresh database on 127.0.0.1:5432 (dropped afterwards):
- sensor tick: the incoming sensor finding 10 new objects (requested as runs over ranges of
  their partitions) plus the daemon's part, adding their partitions to the instance;
- partition status through the webserver: the GraphQL query the asset page makes for
  `source_document`'s partition stats and statuses (first call, then a cached second call),
  against a `dagster-webserver` subprocess;
- a retention sweep (`partition_retention`) archiving the oldest 10% of the documents.
`--materialized` partitions get a materialization event each (a real run per partition
would take hours); tracking records are bulk-inserted for the same reason.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import dagster as dg

from benchmarks.common import machine_note, print_table
from textract_pipeline.documents import documents_partitions
from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.retention import RetentionConfig, partition_retention
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.listing import UploadCursor
from textract_pipeline.sensors.run_requests import BATCH_SIZE_TAG

BIN = Path(sys.executable).parent
INSTANCE = """\
storage:
  postgres:
    postgres_url: "postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"
telemetry:
  enabled: false
"""
STATUS_QUERY = """
query PartitionStatus {
  assetNodeOrError(assetKey: {path: ["source_document"]}) {
    ... on AssetNode {
      partitionStats { numMaterialized numPartitions numFailed numMaterializing }
      assetPartitionStatuses {
        ... on DefaultPartitionStatuses { materializedPartitions failedPartitions unmaterializedPartitions }
      }
    }
  }
}
"""


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, timeout=120)


def seed(instance: dg.DagsterInstance, tracking: SqliteTrackingStore, size: int, materialized: int) -> None:
    """`size` partitions and finished tracking records; the first 10% a hundred days old."""
    keys = [f"scan-{index:06d}-0000beef" for index in range(size)]
    for start in range(0, size, 10_000):
        instance.add_dynamic_partitions(documents_partitions.name, keys[start : start + 10_000])
    now = utc_now()
    with tracking._transaction() as connection:  # one bulk insert, the rows _save would write
        rows = []
        for index, key in enumerate(keys):
            updated = now - timedelta(days=100 if index < size // 10 else 1)
            record = DocumentRecord(
                document_id=key,
                object_key=f"incoming/batch/{key}.tif",
                version="v1",
                status=DocumentStatus.COMPLETED,
                received_at=updated,
                updated_at=updated,
            )
            rows.append((key, record.object_key, record.status.value, updated.isoformat(), record.model_dump_json()))
        connection.executemany(
            "INSERT OR REPLACE INTO documents (document_id, object_key, status, updated_at, body) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    for key in keys[-materialized:]:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key="source_document", partition=key))


def sensor_tick(instance: dg.DagsterInstance, store: LocalDocumentStore, tracking: SqliteTrackingStore) -> float:
    time.sleep(1.1)
    cursor = UploadCursor(watermark=utc_now() - timedelta(minutes=20)).model_dump_json()
    for index in range(10):
        store.write_bytes(f"incoming/new/{time.time_ns()}-{index}.tif", b"II*\x00 scan")
    started = time.perf_counter()
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"document_store": store, "tracking": tracking, "run_batching": RunBatching()},
    )
    result = incoming_documents_sensor(context)
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    elapsed = time.perf_counter() - started
    added = [key for request in result.dynamic_partitions_requests for key in request.partition_keys]
    covered = sum(int(request.tags.get(BATCH_SIZE_TAG, 1)) for request in result.run_requests)
    assert len(added) == covered == 10, f"{len(added)} partitions added, runs cover {covered} documents"
    return elapsed


def graphql_seconds(port: int) -> float:
    body = json.dumps({"query": STATUS_QUERY}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    elapsed = time.perf_counter() - started
    node = answer["data"]["assetNodeOrError"]
    assert node["partitionStats"]["numPartitions"] > 0, answer
    return elapsed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def webserver(home: Path, data: Path, log: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "TEXTRACT_PIPELINE_DATA_DIR": str(data)}
    process = subprocess.Popen(
        [BIN / "dagster-webserver", "-m", "textract_pipeline.definitions", "-h", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5):
                return process, port
        except OSError:
            time.sleep(1)
    process.kill()
    raise TimeoutError("the webserver did not come up")


def run_size(size: int, materialized: int, workdir: Path) -> list[object]:
    database = f"bench_partitions_{os.getpid()}_{size}"
    psql(f"CREATE DATABASE {database}")
    home, data = workdir / f"home-{size}", workdir / f"data-{size}"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE.format(database=database))
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            store = LocalDocumentStore(root=str(data))
            tracking = SqliteTrackingStore(path=str(data / "tracking.sqlite"))
            started = time.perf_counter()
            seed(instance, tracking, size, materialized)
            seeded = time.perf_counter() - started
            tick = sensor_tick(instance, store, tracking)
            process, port = webserver(home, data, workdir / f"webserver-{size}.log")
            try:
                first, second = graphql_seconds(port), graphql_seconds(port)
            finally:
                process.terminate()
                process.wait(timeout=60)
            started = time.perf_counter()
            result = partition_retention.execute_in_process(
                instance=instance,
                resources={"document_store": store, "tracking": tracking, "run_batching": RunBatching()},
                run_config=dg.RunConfig(ops={"archive_old_partitions": RetentionConfig(archive_after_days=90)}),
            )
            sweep = time.perf_counter() - started
            archived = result.output_for_node("archive_old_partitions")
            left = len(instance.get_dynamic_partitions(documents_partitions.name))
            return [size, seeded, tick, first, second, archived, sweep, left]
    finally:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--materialized", type=int, default=1000)
    args = parser.parse_args(argv)
    print(machine_note())
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-partitions-") as temp:
        for size in args.sizes:
            rows.append(run_size(size, args.materialized, Path(temp)))
    print_table(
        ["partitions", "seed s", "sensor tick s", "GraphQL status s (1st)", "(2nd)", "archived", "sweep s", "left"],
        rows,
    )


if __name__ == "__main__":
    main()
