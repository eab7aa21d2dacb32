"""Cost of one asset event in the embedded instance's event log: Dagster's SQLite storage vs ours.

    python -m benchmarks.event_log [--events 200] [--rounds 3]

Each round runs, on a fresh instance of each kind, a job that logs `--events` partitioned
materializations with a data version tag (what each document's assets write, twice per
asset), and times the job's wall and CPU seconds. Rounds alternate the two storages so drift
on a shared machine hits both; the table shows each storage's median per event and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import dagster as dg

from benchmarks.common import machine_note, print_table
from textract_pipeline.event_log import PooledSqliteEventLogStorage
from textract_pipeline.runner import QUIET_LOGS

STORAGES = {
    "Dagster's SqliteEventLogStorage": "dagster._core.storage.event_log.SqliteEventLogStorage",
    "PooledSqliteEventLogStorage": f"{PooledSqliteEventLogStorage.__module__}.{PooledSqliteEventLogStorage.__name__}",
}


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


def time_events(storage: str, events: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds per event: one job logging `events` events, minus one logging none."""
    module, _, name = storage.rpartition(".")
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "dagster.yaml").write_text(
            "telemetry:\n  enabled: false\n"
            f"event_log_storage:\n  module: {module}\n  class: {name}\n"
            f"  config:\n    base_dir: {Path(home) / 'history' / 'runs'}\n"
        )
        instance = dg.DagsterInstance.from_config(home)
        costs = []
        for count in (0, events):
            job = events_job(count)
            wall, cpu = time.perf_counter(), time.process_time()
            job.execute_in_process(instance=instance, run_config=QUIET_LOGS)
            costs.append((time.perf_counter() - wall, time.process_time() - cpu))
        instance.dispose()
    (empty_wall, empty_cpu), (wall, cpu) = costs
    return (wall - empty_wall) / events * 1000, (cpu - empty_cpu) / events * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(machine_note())
    measured: dict[str, list[tuple[float, float]]] = {label: [] for label in STORAGES}
    for _ in range(args.rounds):
        for label, storage in STORAGES.items():
            measured[label].append(time_events(storage, args.events))
    medians = {
        label: (statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs))
        for label, runs in measured.items()
    }
    stock_cpu = medians["Dagster's SqliteEventLogStorage"][1]
    print_table(
        ["event log storage", "ms/event wall", "ms/event CPU", "CPU ÷ Dagster's"],
        [[label, wall, cpu, cpu / stock_cpu] for label, (wall, cpu) in medians.items()],
    )
    print(f"{args.events} events per run, median of {args.rounds} alternating rounds")


if __name__ == "__main__":
    main()
