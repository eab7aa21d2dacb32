"""The code location as a data engineer sees it: served by the Dagster webserver, read over GraphQL."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[1]
QUERY = """
{
  assetNodes { assetKey { path } groupName isPartitioned }
  repositoriesOrError {
    ... on RepositoryConnection { nodes { name sensors { name sensorState { status } } } }
  }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def webserver(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path / "data"),
    }
    (tmp_path / "dagster_home").mkdir()
    (tmp_path / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "dagster_webserver", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"webserver exited: {process.stdout.read().decode()[-3000:]}")
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail("webserver did not answer within 120 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_webserver_serves_the_assets_and_the_running_sensor(webserver):
    response = requests.post(f"{webserver}/graphql", json={"query": QUERY}, timeout=60)
    response.raise_for_status()
    data = response.json()["data"]
    assets = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}
    assert {name: node["groupName"] for name, node in assets.items()} == {
        "source_document": "ingest",
        "textract_raw": "ocr",
        "v1_schema": "extraction",
        "v2_dynamic": "extraction",
        "schema_extensions_report": "reports",
        "v2_summary_report": "reports",
        "document_result": "tracking",
        "processing_ledger": "tracking",
    }
    assert [name for name, node in assets.items() if not node["isPartitioned"]] == ["processing_ledger"]
    sensors = {
        s["name"]: s["sensorState"]["status"] for repo in data["repositoriesOrError"]["nodes"] for s in repo["sensors"]
    }
    assert sensors["incoming_documents_sensor"] == "RUNNING"
