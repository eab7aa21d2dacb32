"""The command line as a newcomer uses it: real OCR, real files, a persistent Dagster instance."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from sample_deeds import sample_paths
from textract_pipeline.sensors.failed_runs import run_documents
from textract_pipeline_tests.fakes import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "textract_pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


HOSTILE_NAME = "[bold red]deed:x:\x1b[2J.pdf"
DOCUMENTS = len(sample_paths()) + 1


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """One `process` run over the shipped samples, shared by the tests that read its results."""
    workdir = tmp_path_factory.mktemp("cli")
    inputs = workdir / "inputs"
    inputs.mkdir()
    for path in sample_paths():
        shutil.copy(path, inputs / path.name)
    pdf = next(path for path in sample_paths() if path.suffix == ".pdf")
    shutil.copy(pdf, inputs / HOSTILE_NAME)  # a name that would restyle or clear the terminal
    (inputs / "readme.txt").write_text("not a scan")
    result = cli("process", str(inputs), "--data-dir", str(workdir / "data"), cwd=workdir)
    return workdir, result


def test_process_runs_every_sample_to_completed(processed):
    workdir, result = processed
    assert result.returncode == 0, result.stdout + result.stderr
    data = workdir / "data"
    for path in sample_paths():
        assert path.stem.replace("_", "-") in result.stdout
    assert result.stdout.count("COMPLETED") == DOCUMENTS
    assert "[bold red]deed:x:\\x1b[2J.pdf" in result.stdout and "\x1b[2J" not in result.stdout
    assert "readme.txt" in result.stdout and "NOT RUN: not a document type" in result.stdout
    outputs = sorted(p.name for p in (data / "processed").rglob("*") if p.is_file())
    for path in sample_paths():
        for kind in ("textract_raw", "v1_schema", "v2_dynamic", "schema_extensions", "v2_summary"):
            assert any(name.startswith(f"{path.stem}_{kind}_") for name in outputs), (path, kind, outputs)
    v1 = json.loads(next((data / "processed").rglob("grant_deed_sample_v1_schema_*.json")).read_text())
    assert v1["record"]["document_type"]["value"] == "grant_deed"


def test_runs_are_recorded_in_the_instance_dagster_dev_reads(processed):
    workdir, _ = processed
    instance = dg.DagsterInstance.from_config(str(workdir / "data" / "dagster_home"))
    runs = instance.get_runs()
    assert sorted(len(run_documents(run, instance)) for run in runs) == [1, 2], "3 new documents, 2 runs at a time"
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
    assert all(run.tags["dagster/sensor_name"] == "incoming_documents_sensor" for run in runs)


def test_each_response_made_by_the_local_engine_records_its_ocr_cpu_time(processed):
    workdir, _ = processed
    instance = dg.DagsterInstance.from_config(str(workdir / "data" / "dagster_home"))
    records = instance.fetch_materializations(dg.AssetKey("textract_raw"), limit=10).records
    made = {
        record.partition_key: record.asset_materialization.metadata["ocr_cpu_seconds"].value
        for record in records
        if not record.asset_materialization.metadata["cache_hit"].value
    }
    assert all(value > 0 for value in made.values()), made
    # The hostile-named copy has the PDF's content: in the PDF's own run it is read from the
    # cache; in the other run, OCR'd at the same time as the PDF, it may be made again.
    pdf_ids = {key for key in instance.get_dynamic_partitions("documents") if not key.startswith("grant-deed")}
    assert len(pdf_ids) == 2, pdf_ids
    if any(pdf_ids <= set(run_documents(run, instance)) for run in instance.get_runs()):
        assert len(made) == len(sample_paths()), made
    else:
        assert len(sample_paths()) <= len(made) <= DOCUMENTS, made


def test_processing_the_same_files_again_runs_nothing(processed):
    workdir, _ = processed
    again = cli("process", str(workdir / "inputs"), "--data-dir", str(workdir / "data"), cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("COMPLETED (already processed)") == DOCUMENTS
    instance = dg.DagsterInstance.from_config(str(workdir / "data" / "dagster_home"))
    assert len(instance.get_runs()) == 2, "no new runs"


def test_status_lists_the_tracking_records(processed):
    workdir, _ = processed
    result = cli("status", "--data-dir", str(workdir / "data"), cwd=workdir)
    assert result.returncode == 0
    assert result.stdout.count("COMPLETED") == DOCUMENTS


def test_a_failed_document_makes_the_exit_status_non_zero(tmp_path):
    bad = tmp_path / "broken.tif"
    bad.write_bytes(b"II*\x00" + b"\x00" * 20)
    result = cli("process", str(bad), "--data-dir", str(tmp_path / "data"), cwd=tmp_path)
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    assert list((tmp_path / "data" / "failed").rglob("*broken.tif_error.json"))


def test_extract_reads_a_real_textract_response(tmp_path):
    response = FIXTURES / "form.png.textract.json"
    result = cli("extract", str(response), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "form.png_schema_extensions.md",
        "form.png_v1_schema.json",
        "form.png_v2_dynamic.json",
        "form.png_v2_summary.md",
    ]
    v2 = json.loads((tmp_path / "out" / "form.png_v2_dynamic.json").read_text())
    assert v2["sections"], "a real form yields V2 sections"


def test_ocr_writes_textract_format_json(tmp_path):
    out = tmp_path / "page.json"
    result = cli("ocr", str(FIXTURES / "single-page-1.png"), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    response = json.loads(out.read_text())
    assert response["DocumentMetadata"]["Pages"] == 1
    assert {"PAGE", "LINE", "WORD"} <= {block["BlockType"] for block in response["Blocks"]}
