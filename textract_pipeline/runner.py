"""Drive the sensor and the document runs in this process, against a persistent instance.

`textract-pipeline process` uses this: the same sensor and job the daemon would use, and
runs tagged as the sensor's own so a daemon started later never runs them again.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG
from pydantic import BaseModel

from textract_pipeline.definitions import build_definitions
from textract_pipeline.documents import documents_partitions
from textract_pipeline.jobs import process_documents
from textract_pipeline.records import DocumentRecord
from textract_pipeline.resources.document_store import INCOMING_PREFIX, DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors.incoming import OBJECT_KEY_TAG, incoming_documents_sensor
from textract_pipeline.settings import Settings

INSTANCE_YAML = """\
# Written by textract-pipeline: local SQLite storage under this folder, shared with `dagster dev`.
telemetry:
  enabled: false
"""


RUNNER_PID_TAG = "textract_pipeline/runner_pid"
RUNNER_HOST_TAG = "textract_pipeline/runner_host"
# Step events still go to the instance (and the UI); only the terminal echo is trimmed.
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


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
    if not config.exists():
        config.write_text(INSTANCE_YAML)
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


def _needs_run(instance: dg.DagsterInstance, run_key: str) -> bool:
    """True unless a run for this key finished or is still alive in another process.

    A run left STARTED by a `process` that was killed is marked failed and run again;
    the tracking store's attempts make the new run supersede it cleanly.
    """
    runs = instance.get_runs(
        filters=dg.RunsFilter(tags={RUN_KEY_TAG: run_key, SENSOR_NAME_TAG: incoming_documents_sensor.name})
    )
    for run in runs:
        if run.is_finished:
            return False
        owner = run.tags.get(RUNNER_PID_TAG)
        if owner is None or (run.tags.get(RUNNER_HOST_TAG) == socket.gethostname() and _process_alive(int(owner))):
            return False
        instance.report_run_failed(run, f"abandoned: process {owner} that ran it is gone; running it again")
    return True


def process_paths(
    paths: Iterable[Path],
    settings: Settings,
    on_planned: Callable[[int], None] = lambda total: None,
    on_done: Callable[[DocumentOutcome], None] = lambda outcome: None,
) -> list[DocumentOutcome]:
    """Upload files to incoming/, tick the sensor once, and run every run it requests."""
    definitions = build_definitions(settings)
    resources = definitions.resources
    document_store: DocumentStore = resources["document_store"]
    tracking: TrackingStore = resources["tracking"]
    instance = open_instance(settings)

    upload(document_store, input_files(paths))
    context = dg.build_sensor_context(
        instance=instance,
        sensor_name=incoming_documents_sensor.name,
        resources={"document_store": document_store, "tracking": tracking},
    )
    result = incoming_documents_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(documents_partitions.name, list(request.partition_keys))

    pending = [request for request in result.run_requests or [] if _needs_run(instance, request.run_key)]
    on_planned(len(pending))
    job = definitions.resolve_job_def(process_documents.name)
    outcomes = []
    for request in pending:
        started = time.perf_counter()
        run = job.execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            tags={
                **request.tags,
                RUN_KEY_TAG: request.run_key,
                SENSOR_NAME_TAG: incoming_documents_sensor.name,
                RUNNER_PID_TAG: str(os.getpid()),
                RUNNER_HOST_TAG: socket.gethostname(),
            },
            raise_on_error=False,
            run_config=QUIET_LOGS,
        )
        outcome = DocumentOutcome(
            document_id=request.partition_key,
            object_key=request.tags.get(OBJECT_KEY_TAG, ""),
            run_id=run.run_id,
            run_succeeded=run.success,
            seconds=round(time.perf_counter() - started, 2),
            record=tracking.get(request.partition_key),
        )
        outcomes.append(outcome)
        on_done(outcome)
    return outcomes
