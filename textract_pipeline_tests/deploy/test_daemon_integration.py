"""The production instance, for real: Postgres storage, the run queue, pools, the daemon.

A fresh database on the local PostgreSQL; DAGSTER_HOME holds deploy/dagster.yaml; pool
limits are set with deploy/set-pool-limits.sh; `dagster code-server start` serves the
code location and `dagster-daemon run` loads it through deploy/docker/workspace.yaml,
exactly as in docker-compose. Documents dropped into incoming/ must be picked up by the
sensor and processed to COMPLETED, and the run and step events the instance recorded
must show that the queue limit and the `textract` pool limit held throughout.

The limits are tightened below the production values so that three documents are
enough to make them bind: the run limit (2 instead of 4) and both pools (1 each), so two
runs in progress contend for every pool slot.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2  # a hard dependency (via dagster-postgres): missing must fail, not skip
import pytest
import yaml
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._api.list_repositories import sync_list_repositories_grpc
from dagster._core.errors import DagsterUserCodeProcessError
from dagster._grpc.client import DagsterGrpcClient

from sample_deeds import sample_paths
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.tracking import SqliteTrackingStore

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}

DOCUMENTS = 3
RUN_LIMIT = 2
TEXTRACT_LIMIT = 1
BEDROCK_LIMIT = 1
STARTUP_TIMEOUT = 90
PROCESSING_TIMEOUT = 420


@pytest.fixture
def database() -> Iterator[str]:
    try:
        admin = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
    except psycopg2.OperationalError as error:
        pytest.skip(f"no PostgreSQL reachable at {PG['host']}:{PG['port']} as user {PG['user']}: {error}")
    admin.autocommit = True
    name = f"textract_it_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            # FORCE: a run worker killed at teardown may still hold a connection.
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pick_documents(incoming: Path, count: int) -> list[str]:
    """The shipped samples; if there are fewer than `count`, re-uploads of them under new
    names (distinct documents to the sensor, one Textract call per content)."""
    samples = sample_paths()
    assert samples, "the package ships no sample documents"
    incoming.mkdir(parents=True)
    keys = []
    for index in range(count):
        source = samples[index % len(samples)]
        name = source.name if index < len(samples) else f"{source.stem}_reupload_{index}{source.suffix}"
        shutil.copy(source, incoming / name)
        keys.append(f"incoming/{name}")
    return keys


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals open at one instant; an interval ending at t closes before one starting at t."""
    edges = sorted(
        [(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals], key=lambda e: (e[0], e[1])
    )
    open_now = peak = 0
    for _, delta in edges:
        open_now += delta
        peak = max(peak, open_now)
    return peak


class Processes:
    """Long-running children in their own sessions, so each can be stopped with all it spawned."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.children[name] = process
        return process

    def check_alive(self) -> None:
        for name, process in self.children.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 60) -> str:
        return "\n".join((self.logs / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])

    def stop_all(self) -> None:
        for process in reversed(list(self.children.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.children.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def step_error(event) -> str:
    data = event.dagster_event.event_specific_data
    error = getattr(data, "error", None)
    return error.to_string() if error is not None else ""


def production_instance_yaml() -> dict:
    config = yaml.safe_load((REPO / "deploy" / "dagster.yaml").read_text())
    assert config["run_launcher"]["class"] == "DefaultRunLauncher"
    assert config["concurrency"]["runs"]["max_concurrent_runs"] >= RUN_LIMIT
    config["concurrency"]["runs"]["max_concurrent_runs"] = RUN_LIMIT
    return config


def test_documents_flow_through_daemon_queue_and_pools(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, data, logs = tmp_path / "dagster_home", tmp_path / "data", tmp_path / "logs"
    home.mkdir()
    logs.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(production_instance_yaml()))
    port = free_port()

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DAGSTER_", "TEXTRACT_PIPELINE_"))}
    env.update(
        DAGSTER_HOME=str(home),
        DAGSTER_PG_HOST=PG["host"],
        DAGSTER_PG_PORT=str(PG["port"]),
        DAGSTER_PG_USER=PG["user"],
        DAGSTER_PG_PASSWORD="",
        DAGSTER_PG_DB=database,
        DAGSTER_CODE_SERVER_HOST="127.0.0.1",
        DAGSTER_CODE_SERVER_PORT=str(port),
        TEXTRACT_PIPELINE_PROFILE="local",
        TEXTRACT_PIPELINE_DATA_DIR=str(data),
        # One run per document, as on AWS: three runs compete for two run slots and the pools.
        TEXTRACT_PIPELINE_MAX_DOCUMENTS_PER_RUN="1",
        TEXTRACT_POOL_LIMIT=str(TEXTRACT_LIMIT),
        BEDROCK_POOL_LIMIT=str(BEDROCK_LIMIT),
        DAGSTER_BIN=str(BIN / "dagster"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    object_keys = pick_documents(data / "incoming", DOCUMENTS)

    # The same one-shot step docker-compose runs before anything else.
    pools = subprocess.run(
        ["sh", str(REPO / "deploy" / "set-pool-limits.sh")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pools.returncode == 0, pools.stdout + pools.stderr

    processes = Processes(logs)
    instance = None
    try:
        processes.start(
            "code-server",
            [str(BIN / "dagster"), "code-server", "start", "-m", "textract_pipeline.definitions",
             "-h", "127.0.0.1", "-p", str(port), "--location-name", "textract_pipeline"],
            env,
            tmp_path,
        )  # fmt: skip
        client = DagsterGrpcClient(host="127.0.0.1", port=port)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            processes.check_alive()
            try:
                # Answers once the code is loaded; a load error comes back as an error.
                sync_list_repositories_grpc(client)
                break
            except DagsterUserCodeProcessError as error:
                pytest.fail(f"the code location does not load:\n{error}")
            except Exception:  # noqa: BLE001 - not listening yet
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"code server not serving after {STARTUP_TIMEOUT}s:\n{processes.tail('code-server')}")
            time.sleep(1)

        processes.start(
            "daemon",
            [str(BIN / "dagster-daemon"), "run", "-w", str(REPO / "deploy" / "docker" / "workspace.yaml")],
            env,
            tmp_path,
        )

        # The instance the daemon uses, opened here with the daemon's environment.
        for key, value in env.items():
            if key.startswith("DAGSTER_PG_"):
                monkeypatch.setenv(key, value)
        instance = DagsterInstance.from_config(str(home))
        # Set explicitly by the script, not inherited from `pools.default_limit`.
        limits = {pool.name: (pool.limit, pool.from_default) for pool in instance.event_log_storage.get_pool_limits()}
        assert limits["textract"] == (TEXTRACT_LIMIT, False) and limits["bedrock"] == (BEDROCK_LIMIT, False)

        deadline = time.monotonic() + PROCESSING_TIMEOUT
        while True:
            processes.check_alive()
            runs = instance.get_runs(RunsFilter(job_name="process_documents"))
            if len(runs) >= DOCUMENTS and all(run.is_finished for run in runs):
                break
            if time.monotonic() > deadline:
                states = {run.run_id[:8]: run.status.value for run in runs}
                pytest.fail(f"runs not finished after {PROCESSING_TIMEOUT}s: {states}\n{processes.tail('daemon')}")
            time.sleep(2)

        failed = [run for run in runs if run.status != DagsterRunStatus.SUCCESS]
        assert not failed, "\n".join(
            f"{run.tags.get('dagster/partition')}: {event.message} {step_error(event)}"
            for run in failed
            for event in instance.all_logs(run.run_id)
            if event.is_dagster_event and event.dagster_event.is_failure
        )
        assert len(runs) == DOCUMENTS  # one run per document, none twice

        run_intervals: list[tuple[float, float]] = []
        pool_intervals: dict[str, list[tuple[float, float]]] = {"textract": [], "bedrock": []}
        for run in runs:
            records = instance.all_logs(run.run_id)
            starts: dict[str, float] = {}
            by_type: dict[DagsterEventType, list] = {}
            for record in records:
                if record.is_dagster_event:
                    by_type.setdefault(record.dagster_event.event_type, []).append(record)
            (starting,) = by_type[DagsterEventType.RUN_STARTING]
            (success,) = by_type[DagsterEventType.RUN_SUCCESS]
            run_intervals.append((starting.timestamp, success.timestamp))

            # Which step is in which pool, as Dagster recorded it for this run.
            plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
            pool_of = {step.key: step.pool for step in plan.steps if step.pool}
            assert {"textract", "bedrock"} <= set(pool_of.values()), pool_of
            for record in by_type[DagsterEventType.STEP_START]:
                starts[record.step_key] = record.timestamp
            for record in by_type[DagsterEventType.STEP_SUCCESS]:
                print(
                    f"  {run.run_id[:8]} {record.step_key:26s} {starts[record.step_key] - starting.timestamp:6.1f}s +{record.timestamp - starts[record.step_key]:5.1f}s"
                )
                if pool_of.get(record.step_key) in pool_intervals:
                    pool_intervals[pool_of[record.step_key]].append((starts[record.step_key], record.timestamp))

        first = min(start for start, _ in run_intervals)
        for start, end in sorted(run_intervals):
            print(f"run from +{start - first:5.1f}s to +{end - first:5.1f}s")
        assert len(pool_intervals["textract"]) == DOCUMENTS
        peak_runs = max_overlap(run_intervals)
        peak_textract, peak_bedrock = (max_overlap(pool_intervals[pool]) for pool in ("textract", "bedrock"))
        print(
            f"peak concurrent runs {peak_runs} (limit {RUN_LIMIT}), textract steps {peak_textract}"
            f" (limit {TEXTRACT_LIMIT}), bedrock steps {peak_bedrock} (limit {BEDROCK_LIMIT})"
        )
        assert peak_runs <= RUN_LIMIT
        # Three runs were requested at once: the queue must have let the limit fill up.
        assert peak_runs == RUN_LIMIT
        assert peak_textract <= TEXTRACT_LIMIT
        assert peak_bedrock <= BEDROCK_LIMIT

        # The docker-compose healthchecks, against this instance and code server.
        checks = {
            "daemon": [str(BIN / "dagster-daemon"), "liveness-check"],
            "code-server": [str(BIN / "dagster"), "api", "grpc-health-check", "-p", str(port)],
        }
        running = {
            name: subprocess.Popen(
                argv, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            for name, argv in checks.items()
        }
        for name, check in running.items():
            output, _ = check.communicate(timeout=120)
            assert check.returncode == 0, f"{name} healthcheck failed: {output}"

        tracking = SqliteTrackingStore(path=str(data / "tracking.sqlite"))
        records = {record.object_key: record for record in tracking.list_documents()}
        assert set(records) == set(object_keys)
        assert {key: record.status for key, record in records.items()} == dict.fromkeys(
            object_keys, DocumentStatus.COMPLETED
        )
        partitions = {run.tags["dagster/partition"] for run in runs}
        assert partitions == {record.document_id for record in records.values()}
    finally:
        if instance is not None:
            instance.dispose()
        processes.stop_all()
