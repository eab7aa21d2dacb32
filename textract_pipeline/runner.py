"""Drive the sensor and the document runs from this process, against a persistent instance.

`textract-pipeline process` uses this: the same sensor and job the daemon would use, and
runs tagged as the sensor's own so a daemon started later never runs them again. New
documents run in the sensor's batches (one run over a range of their partitions, see
batches.py), one batch per worker at a time; the runs are shared out over a pool of worker
processes (one per core by default), each of which imports the code, opens the instance and
loads the OCR engine once and then runs `execute_in_process` for run after run.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG
from pydantic import BaseModel

from textract_pipeline.batches import partition_lookups_read_once
from textract_pipeline.definitions import build_definitions
from textract_pipeline.documents import documents_partitions
from textract_pipeline.event_log import event_log_storage_yaml
from textract_pipeline.jobs import process_documents
from textract_pipeline.records import DocumentRecord
from textract_pipeline.resources.document_store import INCOMING_PREFIX, DocumentStore, UnsafeKeyError
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors.incoming import OBJECT_KEY_TAG, incoming_documents_sensor
from textract_pipeline.settings import Settings

INSTANCE_YAML = """\
# Written by textract-pipeline: local SQLite storage under this folder, shared with `dagster dev`.
telemetry:
  enabled: false
# One laptop, two cores: the local OCR engine (pool `textract`) and the extractor (pool
# `bedrock`) each run at most two steps at once, and at most two runs are in progress.
concurrency:
  runs:
    max_concurrent_runs: 2
  pools:
    default_limit: 2
# Dagster's SQLite event log, keeping each file's connection open (textract_pipeline/event_log.py).
# Same files as Dagster's default; this folder's own history/runs (move the folder: update it).
"""


RUNNER_PID_TAG = "textract_pipeline/runner_pid"
RUNNER_HOST_TAG = "textract_pipeline/runner_host"
# Step events still go to the instance (and the UI); only the terminal echo is trimmed.
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
WORKERS_ENV = "TEXTRACT_PIPELINE_PROCESS_WORKERS"


class DocumentOutcome(BaseModel):
    document_id: str
    object_key: str
    run_id: str
    run_succeeded: bool
    seconds: float
    record: DocumentRecord | None


def open_instance(settings: Settings) -> dg.DagsterInstance:
    """The persistent instance under the data folder (DAGSTER_HOME for `dagster dev`)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    events_dir = (home / "history" / "runs").resolve()
    if not config.exists():
        config.write_text(INSTANCE_YAML + event_log_storage_yaml(events_dir))
    configured = (yaml.safe_load(config.read_text()) or {}).get("event_log_storage", {}).get("config", {})
    if isinstance(configured.get("base_dir"), str) and Path(configured["base_dir"]).resolve() != events_dir:
        raise ValueError(
            f"{config} keeps Dagster's event log in {configured['base_dir']}, outside this instance "
            f"(was the data folder moved?): set event_log_storage's base_dir to {events_dir}"
        )
    return dg.DagsterInstance.from_config(str(home))


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, and the files directly inside given folders, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(child for child in path.iterdir() if child.is_file() and not child.name.startswith("."))
            )
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path} is neither a file nor a folder")
    return files


def upload(document_store: DocumentStore, files: Iterable[Path]) -> None:
    """Copy files into incoming/; identical content already there is left alone, so it is not run again."""
    for file in files:
        key, data = INCOMING_PREFIX + file.name, file.read_bytes()
        existing = document_store.head(key)
        if existing is None or existing.size != len(data) or document_store.read_bytes(key) != data:
            document_store.write_bytes(key, data)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _needs_run(instance: dg.DagsterInstance, run_key: str, abandoned: set[str]) -> bool:
    """True unless a run for this key finished (other than abandoned) or is still alive in another process."""
    if run_key in abandoned:
        return True
    runs = instance.get_runs(
        filters=dg.RunsFilter(tags={RUN_KEY_TAG: run_key, SENSOR_NAME_TAG: incoming_documents_sensor.name})
    )
    return not any(run.is_finished or _owner_alive(run) for run in runs)


def _owner_alive(run: dg.DagsterRun) -> bool:
    owner = run.tags.get(RUNNER_PID_TAG)
    return owner is None or run.tags.get(RUNNER_HOST_TAG) != socket.gethostname() or _process_alive(int(owner))


def _fail_abandoned_runs(instance: dg.DagsterInstance) -> set[str]:
    """Mark failed the runs left STARTED by a `process` on this host that was killed; return their run keys.

    Their documents are not COMPLETED, so the sensor requests them again (a new version or an
    unfinished one runs on its own); the tracking store's attempts make the new runs supersede
    the dead ones cleanly.
    """
    started = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED], tags={SENSOR_NAME_TAG: incoming_documents_sensor.name}
        )
    )
    abandoned = set()
    for run in started:
        if not _owner_alive(run):
            owner = run.tags[RUNNER_PID_TAG]
            instance.report_run_failed(run, f"abandoned: process {owner} that ran it is gone; its documents run again")
            # Without a daemon nobody else hands back the pool slots its steps held.
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            abandoned.add(run.tags[RUN_KEY_TAG])
    return abandoned


def process_paths(
    paths: Iterable[Path],
    settings: Settings,
    on_planned: Callable[[int], None] = lambda total: None,
    on_done: Callable[[DocumentOutcome], None] = lambda outcome: None,
    workers: int | None = None,
) -> list[DocumentOutcome]:
    """Upload files to incoming/, tick the sensor once, and run every run it requests, `workers` at a time."""
    workers = workers or default_workers()
    settings = settings.model_copy(update={"parallel_runs": workers})
    definitions = build_definitions(settings)
    resources = definitions.resources
    document_store: DocumentStore = resources["document_store"]
    tracking: TrackingStore = resources["tracking"]
    instance = open_instance(settings)

    upload(document_store, input_files(paths))
    abandoned = _fail_abandoned_runs(instance)
    context = dg.build_sensor_context(
        instance=instance,
        sensor_name=incoming_documents_sensor.name,
        resources={key: resources[key] for key in ("document_store", "tracking", "run_batching")},
    )
    result = incoming_documents_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(documents_partitions.name, list(request.partition_keys))

    pending = [request for request in result.run_requests or [] if _needs_run(instance, request.run_key, abandoned)]
    partition_order = instance.get_dynamic_partitions(documents_partitions.name)
    planned = [_plan(request, partition_order, document_store, tracking) for request in pending]
    on_planned(sum(len(run.document_ids) for run in planned))
    workers = min(workers, len(planned))
    if workers <= 1:
        job = definitions.resolve_job_def(process_documents.name)
        outcomes = []
        for run in planned:
            for outcome in _execute(job, instance, tracking, run, os.getpid()):
                outcomes.append(outcome)
                on_done(outcome)
        return outcomes
    return _run_in_pool(planned, settings, workers, on_done)


class PlannedRun(BaseModel):
    """A run request the sensor made, in a form a worker process can receive."""

    document_ids: list[str]
    run_key: str
    tags: dict[str, str]
    size: int


def _plan(
    request: dg.RunRequest, partition_order: list[str], document_store: DocumentStore, tracking: TrackingStore
) -> PlannedRun:
    """The documents a request covers (one partition or a range of them) and their bytes."""
    if request.partition_key is not None:
        document_ids = [request.partition_key]
    else:
        key_range = request.partition_key_range
        assert key_range is not None, "the upload sensor requests a partition or a range of partitions"
        first, last = partition_order.index(key_range.start), partition_order.index(key_range.end)
        document_ids = partition_order[first : last + 1]
    records = [tracking.get(document_id) for document_id in document_ids]
    size = sum(_object_size(document_store, record.object_key) for record in records if record is not None)
    return PlannedRun(document_ids=document_ids, run_key=request.run_key, tags=dict(request.tags), size=size)


def _object_size(document_store: DocumentStore, key: str) -> int:
    """Bytes of the object, to schedule big runs first; 0 when it cannot be looked at."""
    try:
        stored = document_store.head(key)
    except UnsafeKeyError:
        return 0
    return stored.size if stored else 0


def default_workers() -> int:
    """One worker per core this process may use: OCR is CPU-bound and single-threaded per page."""
    configured = os.environ.get(WORKERS_ENV)
    return int(configured) if configured else len(os.sched_getaffinity(0))


def _execute(
    job: dg.JobDefinition, instance: dg.DagsterInstance, tracking: TrackingStore, planned: PlannedRun, owner: int
) -> list[DocumentOutcome]:
    started = time.perf_counter()
    single = planned.document_ids[0] if len(planned.document_ids) == 1 else None
    with partition_lookups_read_once(instance):
        run = job.execute_in_process(
            instance=instance,
            partition_key=single,
            tags={
                **planned.tags,
                RUN_KEY_TAG: planned.run_key,
                SENSOR_NAME_TAG: incoming_documents_sensor.name,
                RUNNER_PID_TAG: str(owner),
                RUNNER_HOST_TAG: socket.gethostname(),
            },
            raise_on_error=False,
            run_config=QUIET_LOGS,
        )
    seconds = round(time.perf_counter() - started, 2)
    outcomes = []
    for document_id in planned.document_ids:
        record = tracking.get(document_id)
        outcomes.append(
            DocumentOutcome(
                document_id=document_id,
                object_key=record.object_key if record else planned.tags.get(OBJECT_KEY_TAG, ""),
                run_id=run.run_id,
                run_succeeded=run.success,
                seconds=seconds,
                record=record,
            )
        )
    return outcomes


# Per worker process: the job, the instance and the tracking store, built once by _start_worker.
_worker: dict[str, object] = {}


def _exit_when_orphaned(owner: int) -> None:
    """A worker whose `process` was killed stops too, so the next `process` can take its runs over."""
    while os.getppid() == owner:
        time.sleep(0.5)
    os._exit(1)


def _start_worker(settings: Settings, owner: int) -> None:
    threading.Thread(target=_exit_when_orphaned, args=(owner,), daemon=True).start()
    definitions = build_definitions(settings)
    _worker.update(
        job=definitions.resolve_job_def(process_documents.name),
        instance=open_instance(settings),
        tracking=definitions.resources["tracking"],
        owner=owner,
    )


def _run_in_worker(planned: PlannedRun) -> list[DocumentOutcome]:
    return _execute(_worker["job"], _worker["instance"], _worker["tracking"], planned, _worker["owner"])


def _run_in_pool(
    planned: list[PlannedRun], settings: Settings, workers: int, on_done: Callable[[DocumentOutcome], None]
) -> list[DocumentOutcome]:
    """Largest runs first, so the last ones to finish are short and no core idles long at the end.

    Workers are spawned, not forked: this process has an open instance and threads.
    """
    context = multiprocessing.get_context("spawn")
    done: dict[str, DocumentOutcome] = {}
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(settings, os.getpid())
    ) as pool:
        futures = [pool.submit(_run_in_worker, run) for run in sorted(planned, key=lambda run: -run.size)]
        for future in as_completed(futures):
            for outcome in future.result():
                done[outcome.document_id] = outcome
                on_done(outcome)
    return [done[document_id] for run in planned for document_id in run.document_ids]
