"""The embedded Dagster instance under the data folder: what `process` and `dagster dev` share.

Dagster's own SQLite storages under `dagster_home/`, its queued run coordinator with one run
per core, pool limits for the `textract` and `bedrock` steps, and run monitoring, which frees
the pool slots of runs that ended abnormally. The file is written by `textract-pipeline` and
marked so on its first line; remove that line to keep your own edits.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import dagster as dg

from textract_pipeline.settings import Settings

MARKER = "# Written by textract-pipeline"

INSTANCE_YAML = """\
{marker} (delete this line to keep your own edits): the embedded default's instance.
telemetry:
  enabled: false
# Runs wait in Dagster's queue and start {runs} at a time, one per core: the local OCR engine is
# single-threaded per page. The daemon looks at the queue every second.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
concurrency:
  runs:
    max_concurrent_runs: {runs}
  pools:
    default_limit: {runs}
# A run whose process died frees its pool slots; a run that never starts is failed.
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  poll_interval_seconds: 5
  free_slots_after_run_end_seconds: 10
# No asset here has an automation condition or a freshness policy: the daemon threads that
# evaluate those would only compete with the runs for the cores.
auto_materialize:
  enabled: false
  use_sensors: false
freshness:
  enabled: false
"""


def parallel_runs() -> int:
    """One run at a time per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def instance_yaml(runs: int) -> str:
    return INSTANCE_YAML.format(marker=MARKER, runs=runs)


def prepare_instance(settings: Settings, runs: int | None = None) -> Path:
    """Write `dagster_home/dagster.yaml` unless someone else's edits are in it; returns the folder."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = instance_yaml(runs or parallel_runs())
    if not config.exists() or (config.read_text().startswith(MARKER) and config.read_text() != wanted):
        config.write_text(wanted)
    return home


def open_instance(settings: Settings, runs: int | None = None) -> dg.DagsterInstance:
    """The persistent instance under the data folder (DAGSTER_HOME for `dagster dev`).

    Dagster creates its SQLite databases on first use, and two processes doing that at once can
    both stamp the schema version; a lock file makes the first one create them alone.
    """
    home = prepare_instance(settings, runs)
    with (home / "instance.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        instance = dg.DagsterInstance.from_config(str(home))
        instance.get_runs(limit=1)
        instance.get_dynamic_partitions("documents")
        instance.all_instigator_state()
    return instance
