"""Every asset alone, each group and all of them, backfilled the way a data engineer does it.

`dagster dev` on the embedded default (webserver, daemon, code server); three uploads processed by
the sensor's runs; then partition backfills launched over GraphQL exactly as the UI's
"Materialize… → Launch backfill" sends them, and `dagster asset materialize` from the command
line. Each must succeed on every partition, rewrite that asset's outputs, and leave its checks
evaluated on the partition they checked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import requests

from textract_pipeline.instance import prepare_instance
from textract_pipeline.outputs import OUTPUT_EXTENSIONS
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.settings import Settings
from textract_pipeline_tests.conftest import tiff_bytes
from textract_pipeline_tests.test_webserver import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent
DOCUMENTS = 3
# Each document asset's output file kind (see outputs.OUTPUT_EXTENSIONS); source_document and
# document_result write none of their own.
OUTPUT_KIND = {
    "textract_raw": "textract_raw",
    "v1_schema": "v1_schema",
    "v2_dynamic": "v2_dynamic",
    "schema_extensions_report": "schema_extensions",
    "v2_summary_report": "v2_summary",
}
CHECKS = {"v1_schema": {"v1_matches_schema", "v1_confident_values"}, "document_result": {"document_completed"}}
# Selections that continue the documents' current attempts: they may run at the same time.
CONTINUING = [
    ["textract_raw"],
    ["v1_schema"],
    ["v2_dynamic"],
    ["schema_extensions_report"],
    ["v2_summary_report"],
    ["document_result"],
    ["v1_schema", "v2_dynamic"],  # group extraction
    ["schema_extensions_report", "v2_summary_report"],  # group reports
]
ALL_ASSETS = [
    "source_document",
    "textract_raw",
    "v1_schema",
    "v2_dynamic",
    "schema_extensions_report",
    "v2_summary_report",
    "document_result",
]

LAUNCH = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
STATUS = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } ... on PythonError { message } }
}
"""


class DagsterDev:
    def __init__(self, url: str, home: Path, data: Path) -> None:
        self.url, self.home, self.data = url, home, data

    def graphql(self, query: str, variables: dict) -> dict:
        response = requests.post(f"{self.url}/graphql", json={"query": query, "variables": variables}, timeout=120)
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    def launch_backfill(self, assets: list[str], partitions: list[str]) -> str:
        params = {"assetSelection": [{"path": [asset]} for asset in assets], "partitionNames": partitions}
        launched = self.graphql(LAUNCH, {"params": params})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        return launched["backfillId"]

    def wait_for_backfill(self, backfill_id: str, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.graphql(STATUS, {"id": backfill_id})["partitionBackfillOrError"]["status"]
            if status not in ("REQUESTED", "CANCELING", "FAILING"):
                return status
            time.sleep(1)
        raise TimeoutError(f"backfill {backfill_id} did not finish in {timeout} s")


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory) -> Iterator[DagsterDev]:
    root = tmp_path_factory.mktemp("backfills")
    settings = Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": str(root / "data")})
    home = prepare_instance(settings, runs=2)
    incoming = settings.data_dir / "incoming"
    incoming.mkdir(parents=True)
    for index in range(DOCUMENTS):
        (incoming / f"deed-{index}.tif").write_bytes(tiff_bytes(text=f"GRANT DEED NUMBER {index}"))
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "TEXTRACT_PIPELINE_DATA_DIR": str(settings.data_dir),
        "TEXTRACT_PIPELINE_RETRY_DELAY_SECONDS": "0",
    }
    log = (root / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [BIN / "dagster", "dev", "-m", "textract_pipeline.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        dev = DagsterDev(f"http://127.0.0.1:{port}", home, settings.data_dir)
        tracking = SqliteTrackingStore(path=str(settings.tracking_path))
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert process.poll() is None, (root / "dagster-dev.log").read_text()[-3000:]
            statuses = (
                [record.status for record in tracking.list_documents()] if settings.tracking_path.exists() else []
            )
            if len(statuses) == DOCUMENTS and all(status.is_terminal for status in statuses):
                break
            time.sleep(1)
        else:
            pytest.fail(f"the sensor's runs did not finish: {(root / 'dagster-dev.log').read_text()[-3000:]}")
        assert all(record.status == DocumentStatus.COMPLETED for record in tracking.list_documents())
        yield dev
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def document_ids(dev: DagsterDev) -> list[str]:
    with dg.DagsterInstance.from_config(str(dev.home)) as instance:
        return sorted(instance.get_dynamic_partitions("documents"))


def output_times(dev: DagsterDev, kind: str) -> dict[str, float]:
    return {
        path.name: path.stat().st_mtime
        for path in (dev.data / "processed").rglob(f"*_{kind}_*.{OUTPUT_EXTENSIONS[kind]}")
    }


def backfill_events(dev: DagsterDev, backfill_id: str) -> tuple[list[dg.DagsterRun], list[dg.EventLogEntry]]:
    with dg.DagsterInstance.from_config(str(dev.home)) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
        events = [event for run in runs for event in instance.all_logs(run.run_id)]
    return runs, events


def assert_backfilled(dev: DagsterDev, backfill_id: str, assets: list[str], partitions: list[str], since: float):
    """Every run succeeded; every selected asset materialized every partition; its files and checks are new."""
    runs, events = backfill_events(dev, backfill_id)
    assert runs and all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs), [r.status for r in runs]
    materialized: dict[str, set[str]] = {}
    checked: dict[str, dict[str, bool]] = {}
    for event in events:
        if event.dagster_event is None:
            continue
        if event.dagster_event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.dagster_event.step_materialization_data.materialization
            materialized.setdefault(materialization.asset_key.to_user_string(), set()).add(materialization.partition)
            assert "status" not in materialization.metadata, materialization.metadata
        if event.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.dagster_event.event_specific_data
            checked.setdefault(evaluation.check_name, {})[evaluation.partition] = evaluation.passed
    assert {asset: materialized.get(asset) for asset in assets} == {asset: set(partitions) for asset in assets}
    assert set(materialized) == set(assets)
    for asset in assets:
        if asset in OUTPUT_KIND:
            times = output_times(dev, OUTPUT_KIND[asset])
            assert len(times) == len(partitions) and min(times.values()) >= since, (asset, times)
        for check_name in CHECKS.get(asset, ()):
            assert set(checked.get(check_name, {})) == set(partitions), (check_name, checked)
    assert checked.get("document_completed", {}) == (
        {p: True for p in partitions} if "document_result" in assets else {}
    )
    assert all(checked.get("v1_matches_schema", {}).values())


def test_each_asset_alone_and_each_group_backfill_every_partition(dagster_dev):
    partitions = document_ids(dagster_dev)
    assert len(partitions) == DOCUMENTS
    since = time.time()
    launched = {tuple(assets): dagster_dev.launch_backfill(assets, partitions) for assets in CONTINUING}
    for assets, backfill_id in launched.items():
        assert dagster_dev.wait_for_backfill(backfill_id) == "COMPLETED_SUCCESS", assets
    for assets, backfill_id in launched.items():
        assert_backfilled(dagster_dev, backfill_id, list(assets), partitions, since)


def test_source_document_alone_then_everything_backfill_every_partition(dagster_dev):
    partitions = document_ids(dagster_dev)
    tracking = SqliteTrackingStore(path=str(dagster_dev.data / "tracking.sqlite"))
    for assets in (["source_document"], ALL_ASSETS):
        since = time.time()
        backfill_id = dagster_dev.launch_backfill(assets, partitions)
        assert dagster_dev.wait_for_backfill(backfill_id) == "COMPLETED_SUCCESS", assets
        assert_backfilled(dagster_dev, backfill_id, assets, partitions, since)
        runs, _ = backfill_events(dagster_dev, backfill_id)
        attempts = {tracking.get(partition).attempt_id for partition in partitions}
        assert attempts <= {run.run_id for run in runs}, "a source_document run starts the documents' attempts"
    assert all(tracking.get(partition).status == DocumentStatus.COMPLETED for partition in partitions)


def test_the_command_line_materializes_one_asset_of_one_document(dagster_dev):
    partition = document_ids(dagster_dev)[0]
    env = {**os.environ, "DAGSTER_HOME": str(dagster_dev.home), "TEXTRACT_PIPELINE_DATA_DIR": str(dagster_dev.data)}
    command = [BIN / "dagster", "asset", "materialize", "-m", "textract_pipeline.definitions"]
    result = subprocess.run(
        [*command, "--select", "v1_schema", "--partition", partition],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with dg.DagsterInstance.from_config(str(dagster_dev.home)) as instance:
        (run,) = instance.get_runs(limit=1)
        assert run.status == dg.DagsterRunStatus.SUCCESS and run.tags["dagster/partition"] == partition
        evaluations = [
            event.dagster_event.event_specific_data
            for event in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        ]
    assert {(e.check_name, e.partition) for e in evaluations} == {
        ("v1_matches_schema", partition),
        ("v1_confident_values", partition),
    }
