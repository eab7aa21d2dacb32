"""`textract-pipeline process` as users and unlucky operators drive it: inputs it must refuse, two commands on one
folder, a run worker killed under it, Ctrl-C."""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from textract_pipeline.cli import main
from textract_pipeline.process import MAX_POLL_SECONDS, POLL_SECONDS, collect_inputs, poll_interval, process_paths
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline_tests.conftest import tiff_bytes
from textract_pipeline_tests.other_user import as_reader_without_write_access

DENSE_TEXT = "WITNESSETH THAT THE GRANTOR FOR AND IN CONSIDERATION OF TEN DOLLARS DOES HEREBY GRANT " * 3


def not_run(inputs_not_run) -> dict[str, tuple[str, bool]]:
    return {Path(item.path).name: (item.reason, item.refused) for item in inputs_not_run}


def test_a_symlink_leading_outside_the_given_paths_is_refused_and_one_inside_is_taken(tmp_path):
    secret = tmp_path / "secret.tif"
    secret.write_bytes(b"root:$6$not-a-document")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "deed.tif").write_bytes(tiff_bytes())
    (inputs / "shadow.tif").symlink_to(secret)
    (inputs / "alias.tif").symlink_to(inputs / "deed.tif")

    accepted, refused = collect_inputs([inputs])

    assert sorted(item.key for item in accepted) == ["incoming/alias.tif", "incoming/deed.tif"]
    reason, is_refusal = not_run(refused)["shadow.tif"]
    assert "symlink to a file outside the given paths" in reason and is_refusal
    assert "root:" not in reason


def test_the_same_name_from_two_folders_is_refused_naming_both_before_anything_is_copied(tmp_path, settings):
    for folder, text in (("a", "FIRST"), ("b", "SECOND")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "deed.tif").write_bytes(tiff_bytes(text=text))

    accepted, refused = collect_inputs([tmp_path / "a", tmp_path / "b"])

    assert accepted == []
    assert [item.refused for item in refused] == [True, True]
    for item in refused:
        assert str(tmp_path / "a" / "deed.tif") in item.reason and str(tmp_path / "b" / "deed.tif") in item.reason
    report = process_paths([tmp_path / "a", tmp_path / "b"], settings)
    assert report.outcomes == [] and len(report.not_run) == 2
    assert not (settings.data_dir / "incoming" / "deed.tif").exists(), "neither is copied"


def test_names_that_are_not_utf8_and_other_files_of_a_folder_are_listed_not_run(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    with open(os.path.join(os.fsencode(inputs), b"caf\xe9.tif"), "wb") as handle:
        handle.write(tiff_bytes())
    (inputs / "notes.txt").write_text("call the escrow officer")
    explicit = tmp_path / "prices.csv"
    explicit.write_text("apn,price\n")

    accepted, refused = collect_inputs([inputs, explicit])

    assert accepted == []
    listed = not_run(refused)
    assert listed["caf\\xe9.tif"] == ("the file name is not valid UTF-8: rename it", True)
    assert listed["notes.txt"][1] is False, "a folder's other files are listed, not held against the run"
    assert listed["prices.csv"][1] is True, "a file named explicitly is a refusal"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "textract_pipeline", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def records(data: Path) -> dict[str, object]:
    return {
        record.object_key: record for record in SqliteTrackingStore(path=str(data / "tracking.sqlite")).list_documents()
    }


def instance_of(data: Path) -> dg.DagsterInstance:
    """The data folder's instance, read as `dagster dev` would (its dagster.yaml left as the command wrote it)."""
    return dg.DagsterInstance.from_config(str(data / "dagster_home"))


def step_start(data: Path, step: str, object_key: str | None = None, timeout: float = 240) -> dg.EventLogEntry:
    """The STEP_START of `step` in a run of the data folder's instance: the run of `object_key`, or any."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (data / "tracking.sqlite").exists() and (data / "dagster_home" / "history" / "runs.db").exists():
            attempts = {record.attempt_id for key, record in records(data).items() if key == (object_key or key)}
            with instance_of(data) as instance:
                for run_id in attempts - {None}:
                    for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START):
                        if event.step_key == step:
                            return event
        time.sleep(0.5)
    raise TimeoutError(f"no run of {object_key or 'any document'} started {step} in {timeout} s")


@pytest.mark.slow
@pytest.mark.integration
def test_two_process_commands_on_one_folder_each_report_their_own_documents(tmp_path):
    data = tmp_path / "data"
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        for index in range(2):
            (tmp_path / name / f"{name}-{index}.tif").write_bytes(tiff_bytes(text=f"GRANT DEED {name} {index}"))

    commands = [
        cli("process", str(tmp_path / name), "--data-dir", str(data), cwd=tmp_path) for name in ("first", "second")
    ]
    outputs = [command.communicate(timeout=600) for command in commands]

    assert [command.returncode for command in commands] == [0, 0], outputs
    for name, (stdout, _) in zip(("first", "second"), outputs, strict=True):
        other = "second" if name == "first" else "first"
        assert stdout.count("COMPLETED") == 2 and f"{other}-0.tif" not in stdout, stdout
    assert any("another daemon serves this data folder" in stdout for stdout, _ in outputs)
    for record in records(data).values():
        statuses = [entry["status"] for entry in record.history]
        assert record.status == DocumentStatus.COMPLETED and statuses.count("COMPLETED") == 1, statuses
    with instance_of(data) as instance:
        run_keys = [run.tags.get("dagster/run_key") for run in instance.get_runs() if "dagster/sensor_name" in run.tags]
    assert len(run_keys) == len(set(run_keys)), "no run ran twice"
    assert list((data / "dagster_home" / "history" / "runs").glob("*-wal")) == [], "no run leaves a write-ahead log"


@pytest.mark.slow
@pytest.mark.integration
def test_the_daemon_launches_runs_through_the_one_code_server_process_started_and_it_exits_after(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(2):
        (inputs / f"deed-{index}.tif").write_bytes(tiff_bytes(text=f"GRANT DEED {index}"))
    data = tmp_path / "data"
    environment = {"TEXTRACT_PIPELINE_MAX_DOCUMENTS_PER_RUN": "1"}
    command = cli("process", str(inputs), "--data-dir", str(data), cwd=tmp_path, env=environment)
    stdout, stderr = command.communicate(timeout=600)

    assert command.returncode == 0 and stdout.count("COMPLETED") == 2, stdout + stderr
    workspace = yaml.safe_load((data / "dagster_home" / "process-workspace.yaml").read_text())
    socket_path = workspace["load_from"][0]["grpc_server"]["socket"]
    with instance_of(data) as instance:
        # The run launcher tags each run with the code server it was launched through.
        launched_by = {json.loads(run.tags[".dagster/grpc_info"])["socket"] for run in instance.get_runs()}
    assert launched_by == {socket_path}, "every run was launched by the code server `process` started"
    assert not Path(socket_path).parent.exists()
    deadline = time.monotonic() + 30
    while any(socket_path in cmdline for cmdline in _command_lines()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(socket_path in cmdline for cmdline in _command_lines()), "the code server exits after the command"


def _command_lines() -> list[str]:
    lines = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
    return lines


@pytest.mark.slow
@pytest.mark.integration
def test_a_run_worker_killed_under_process_fails_its_document_and_the_table_is_printed(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "long.tif").write_bytes(tiff_bytes(pages=8, size=(2550, 3300), text=DENSE_TEXT))
    (inputs / "short.tif").write_bytes(tiff_bytes(text="GRANT DEED SHORT"))
    data = tmp_path / "data"
    environment = {"TEXTRACT_PIPELINE_MAX_DOCUMENTS_PER_RUN": "1", "TEXTRACT_PIPELINE_PROCESS_WORKERS": "2"}
    command = cli("process", str(inputs), "--data-dir", str(data), cwd=tmp_path, env=environment)

    started = step_start(data, "textract_raw", "incoming/long.tif")
    os.kill(started.dagster_event.pid, signal.SIGKILL)  # what the OOM killer does
    stdout, stderr = command.communicate(timeout=600)

    assert command.returncode == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr
    final = records(data)
    assert final["incoming/short.tif"].status == DocumentStatus.COMPLETED
    killed = final["incoming/long.tif"]
    assert killed.status == DocumentStatus.FAILED and killed.reason.startswith("run: run "), killed.reason
    assert "terminated by signal 9 (SIGKILL)" in killed.reason, killed.reason
    assert killed.document_id in stdout and final["incoming/short.tif"].document_id in stdout
    assert (data / killed.outputs["error_log"]).exists() and (data / killed.outputs["failed_copy"]).exists()


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(("signals", "exit_code"), [([signal.SIGINT], 130), ([signal.SIGTERM, signal.SIGTERM], 143)])
def test_an_interrupt_stops_launching_prints_the_table_and_exits_with_the_signal(tmp_path, signals, exit_code):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(3):
        (inputs / f"deed-{index}.tif").write_bytes(tiff_bytes(pages=4, size=(2550, 3300), text=DENSE_TEXT))
    data = tmp_path / "data"
    environment = {"TEXTRACT_PIPELINE_MAX_DOCUMENTS_PER_RUN": "1", "TEXTRACT_PIPELINE_PROCESS_WORKERS": "1"}
    command = cli("process", str(inputs), "--data-dir", str(data), cwd=tmp_path, env=environment)

    running = step_start(data, "textract_raw")
    for number in signals:
        command.send_signal(number)
        time.sleep(1)
    stdout, stderr = command.communicate(timeout=600)

    assert command.returncode == exit_code, stdout + stderr
    assert "Traceback" not in stdout + stderr and stdout.count("deed-") >= 3, stdout
    with instance_of(data) as instance:
        statuses = {run.run_id: run.status for run in instance.get_runs()}
    interrupted = statuses.pop(running.run_id)
    assert set(statuses.values()) == {dg.DagsterRunStatus.QUEUED}, "nothing was launched after the interrupt"
    final = {record.attempt_id: record for record in records(data).values()}
    if len(signals) == 1:  # the run in progress finished its document
        assert interrupted == dg.DagsterRunStatus.SUCCESS and final[running.run_id].status == DocumentStatus.COMPLETED
    else:  # a second signal cancels it, and its document ends FAILED
        assert interrupted == dg.DagsterRunStatus.CANCELED
        assert final[running.run_id].status == DocumentStatus.FAILED and "CANCELED" in final[running.run_id].reason
    queued = [record for record in records(data).values() if record.attempt_id is None]
    assert len(queued) == 2 and all(record.status == DocumentStatus.RECEIVED for record in queued)
    assert "not finished" in stdout


def test_a_read_only_data_folder_is_one_line_naming_it(shared_folder, make_tiff):
    (shared_folder / "deed.tif").write_bytes(make_tiff())
    data = shared_folder / "data"
    data.mkdir(mode=0o555)  # the operator's account may read it, not write it

    def process() -> tuple[int, str]:
        result = CliRunner().invoke(main, ["process", str(shared_folder / "deed.tif"), "--data-dir", str(data)])
        return result.exit_code, result.output

    code, output = as_reader_without_write_access(process)

    assert code == 1 and "Traceback" not in output, output
    (line,) = output.strip().splitlines()
    assert line.startswith(f"Error: cannot write to {data}") and line.endswith("Permission denied"), line


@pytest.mark.slow
def test_a_full_disk_is_one_line_naming_the_file_it_could_not_write(tmp_path):
    scan = io.BytesIO()  # an uncompressed 2 MB scan, larger than the instance's databases
    Image.new("L", (1400, 1500), 255).save(scan, format="TIFF")
    (tmp_path / "deed.tif").write_bytes(scan.getvalue())
    limit = len(scan.getvalue()) // 2

    def small_disk() -> None:  # writes past `limit` bytes fail as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "textract_pipeline", "process", str(tmp_path / "deed.tif"), "--data-dir", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot write to {tmp_path / 'data'}") and "File too large" in line, line


def test_waiting_on_many_documents_polls_less_often_and_the_last_ones_promptly():
    intervals = [poll_interval(waiting) for waiting in (1, 10, 20, 40, 80, 200, 10_000)]
    assert intervals == sorted(intervals)
    assert intervals[0] == intervals[1] == POLL_SECONDS
    assert intervals[-1] == MAX_POLL_SECONDS
    # reads per second stay bounded however many documents wait
    assert max(waiting / poll_interval(waiting) for waiting in range(1, 10_000)) <= 10_000 / MAX_POLL_SECONDS
