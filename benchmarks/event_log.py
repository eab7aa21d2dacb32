"""Cost of one asset event in the event log of each storage the instance can be configured with.

    python -m benchmarks.event_log [--events 200] [--rounds 3] [--storages sqlite postgres]

Every document writes a planned and a done event for each of its assets, so this is a cost
per document and asset. Storages: Dagster's SQLite storages as `textract-pipeline process`
configures them (`textract_pipeline.instance`), and Dagster's Postgres storage on a fresh
database at 127.0.0.1:5432 (dropped afterwards), as a deployment configures it. Each round
runs, on a fresh instance of each kind, a job that logs `--events` partitioned materializations
with a data version tag and one that logs none, and takes the difference; rounds alternate the
storages so drift on a shared machine hits both. The table shows each storage's median per
event and its ratio to SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from benchmarks.common import machine_note, print_table
from textract_pipeline.instance import instance_yaml

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
POSTGRES_STORAGE = """\
storage:
  postgres:
    postgres_url: "postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"
telemetry:
  enabled: false
"""


def events_job(events: int) -> dg.JobDefinition:
    """A job logging `events` materializations of partitions of one asset, each tagged with a data
    version as Dagster tags an @asset's (the storage then also writes the tag to its tags table)."""

    @dg.op
    def log_materializations(context) -> None:
        for index in range(events):
            version = {"dagster/data_version": str(index)}
            context.log_event(dg.AssetMaterialization(asset_key="page", partition=f"p{index}", tags=version))

    @dg.job
    def materialize_pages():
        log_materializations()

    return materialize_pages


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, timeout=120)


@contextlib.contextmanager
def instance_home(storage: str) -> Iterator[str]:
    """A DAGSTER_HOME whose dagster.yaml uses `storage`: "sqlite" or "postgres" (a database of its own)."""
    with tempfile.TemporaryDirectory() as home:
        if storage == "sqlite":
            (Path(home) / "dagster.yaml").write_text(instance_yaml(2))
            yield home
            return
        database = f"bench_event_log_{os.getpid()}_{time.time_ns()}"
        psql(f"CREATE DATABASE {database}")
        try:
            (Path(home) / "dagster.yaml").write_text(POSTGRES_STORAGE.format(database=database))
            yield home
        finally:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def time_events(storage: str, events: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds per event: one job logging `events` events, minus one logging none."""
    with instance_home(storage) as home, dg.DagsterInstance.from_config(home) as instance:
        costs = []
        for count in (0, events):
            job = events_job(count)
            wall, cpu = time.perf_counter(), time.process_time()
            job.execute_in_process(instance=instance, run_config=QUIET_LOGS)
            costs.append((time.perf_counter() - wall, time.process_time() - cpu))
    (empty_wall, empty_cpu), (wall, cpu) = costs
    return (wall - empty_wall) / events * 1000, (cpu - empty_cpu) / events * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--storages", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args(argv)
    print(machine_note())
    measured: dict[str, list[tuple[float, float]]] = {storage: [] for storage in args.storages}
    for _ in range(args.rounds):
        for storage in args.storages:
            measured[storage].append(time_events(storage, args.events))
    medians = {
        storage: (statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs))
        for storage, runs in measured.items()
    }
    first_wall = medians[args.storages[0]][0]
    print_table(
        ["event log storage", "ms/event wall", "ms/event CPU (this process)", f"wall ÷ {args.storages[0]}"],
        [[storage, wall, cpu, wall / first_wall] for storage, (wall, cpu) in medians.items()],
    )
    print(f"{args.events} events per run, median of {args.rounds} alternating rounds")


if __name__ == "__main__":
    main()
