"""End to end on the embedded default: N generated documents dropped into incoming/ at once.

    python -m benchmarks.end_to_end [--pages 200] [--workers 2] [--mode process daemon] [--sequential]

Prints, per path, wall seconds until every document is COMPLETED, docs/min, pages/min and
the ratio wall ÷ floor, where the floor is LocalOcrEngine alone over the same pages on the
same number of processes, measured in the same invocation before and after the pipeline runs
(the ratios use the mean of the two, so drift in the machine's speed hits both sides).
`process` is `textract-pipeline process` (a) in a subprocess; `daemon` (b) is a temporary
DAGSTER_HOME with the QueuedRunCoordinator, a code server and `dagster-daemon
run` as subprocesses, the sensor turning uploads into runs; its wall time starts when the
files land, so it includes the wait for the sensor's next tick (minimum interval 30 s).
For (a) it also prints its CPU seconds ÷ the floor's CPU seconds (the work added to the OCR,
whatever the scheduling) and ÷ the CPU seconds its own OCR took (each textract_raw
materialization's `ocr_cpu_seconds`): measured in the same processes at the same moment, that
last ratio does not move when the machine's speed drifts between the floor and the run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine_note, ocr_floor, print_table, status_counts, wait_until_terminal
from benchmarks.corpus import build_corpus, page_total
from textract_pipeline.event_log import event_log_storage_yaml

BIN = Path(sys.executable).parent

DAEMON_INSTANCE = """\
run_coordinator:
  module: dagster
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
concurrency:
  runs:
    max_concurrent_runs: {workers}
run_launcher:
  module: dagster
  class: DefaultRunLauncher
telemetry:
  enabled: false
"""

WORKSPACE = """\
load_from:
  - grpc_server:
      host: 127.0.0.1
      port: {port}
      location_name: textract_pipeline
"""


def run_process(files: list[Path], workers: int, workdir: Path) -> tuple[float, float, float]:
    """(a) `textract-pipeline process` over a folder of the files: wall and CPU seconds of the whole
    command (its worker processes included), and the CPU seconds its OCR engine reported.
    """
    inputs = workdir / "inputs"
    inputs.mkdir()
    for file in files:
        shutil.copy(file, inputs / file.name)
    env = {**os.environ, "TEXTRACT_PIPELINE_PROCESS_WORKERS": str(workers)}
    command = [sys.executable, "-m", "textract_pipeline", "process", str(inputs), "--data-dir", str(workdir / "data")]
    started, cpu_before = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    counts = status_counts(workdir / "data" / "tracking.sqlite")
    if result.returncode != 0 or counts["COMPLETED"] != len(files):
        raise RuntimeError(f"process ended {result.returncode} with {dict(counts)}:\n{result.stdout[-3000:]}")
    return wall, cpu, _ocr_cpu(workdir / "data" / "dagster_home", len(files))


def _ocr_cpu(dagster_home: Path, documents: int) -> float:
    """The summed `ocr_cpu_seconds` of the run's textract_raw materializations."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    records = instance.fetch_materializations(dg.AssetKey("textract_raw"), limit=documents).records
    return sum(record.asset_materialization.metadata["ocr_cpu_seconds"].value for record in records)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _first_sensor_tick(home: Path, timeout: float) -> None:
    import dagster as dg

    deadline = time.monotonic() + timeout
    with dg.DagsterInstance.from_config(str(home)) as instance:
        while time.monotonic() < deadline:
            for state in instance.all_instigator_state():
                if state.name == "incoming_documents_sensor" and instance.get_ticks(
                    state.instigator_origin_id, state.selector_id, limit=1
                ):
                    return
            time.sleep(0.5)
    raise TimeoutError("the daemon never ticked the sensor")


def _first_run_created(home: Path) -> float:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records(order_by="create_timestamp", ascending=True, limit=1)
        return records[0].create_timestamp.timestamp()


def run_daemon(files: list[Path], workers: int, workdir: Path) -> tuple[float, float]:
    """(b) sensor → queued runs → one process per run; (wall from the drop, wall from the first run created)."""
    home, data = workdir / "dagster_home", workdir / "data"
    home.mkdir()
    (data / "incoming").mkdir(parents=True)
    # The event log as in the instance `textract-pipeline process` writes.
    events = event_log_storage_yaml(home / "history" / "runs")
    (home / "dagster.yaml").write_text(DAEMON_INSTANCE.format(workers=workers) + events)
    port = _free_port()
    (workdir / "workspace.yaml").write_text(WORKSPACE.format(port=port))
    env = {**os.environ, "DAGSTER_HOME": str(home), "TEXTRACT_PIPELINE_DATA_DIR": str(data)}
    log = (workdir / "daemon.log").open("w")
    code = subprocess.Popen(
        [
            BIN / "dagster",
            "code-server",
            "start",
            "-m",
            "textract_pipeline.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )
    daemon = subprocess.Popen(
        [BIN / "dagster-daemon", "run", "-w", str(workdir / "workspace.yaml")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )
    try:
        _first_sensor_tick(home, timeout=300)
        for file in files:  # written beside, then renamed in: the sensor never sees half a file
            shutil.copy(file, data / f".tmp-{file.name}")
        dropped = time.time()
        for file in files:
            os.replace(data / f".tmp-{file.name}", data / "incoming" / file.name)
        counts = wait_until_terminal(data / "tracking.sqlite", len(files), timeout=3600)
        finished = time.time()
        if counts["COMPLETED"] != len(files):
            raise RuntimeError(f"daemon runs ended with {dict(counts)}")
        return finished - dropped, finished - _first_run_created(home)
    finally:
        for process in (daemon, code):
            process.terminate()
        for process in (daemon, code):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--mode", nargs="+", choices=["process", "daemon"], default=["process", "daemon"])
    parser.add_argument("--sequential", action="store_true", help="also time `process` with one worker")
    args = parser.parse_args(argv)

    files = build_corpus(args.pages)
    pages, docs = page_total(files), len(files)
    print(f"{docs} documents, {pages} pages; {machine_note()}")
    floors = [_measure_floor(files, pages, args.workers, "before")]

    measured: list[tuple[str, int, float, float | None, float | None]] = []
    runs = [("process", args.workers)] * ("process" in args.mode) + [("process", 1)] * args.sequential
    runs += [("daemon", args.workers)] * ("daemon" in args.mode)
    for mode, workers in runs:
        with tempfile.TemporaryDirectory(prefix=f"bench-{mode}-") as temp:
            if mode == "process":
                wall, process_cpu, ocr_cpu = run_process(files, workers, Path(temp))
                measured.append(("(a) process", workers, wall, process_cpu, ocr_cpu))
            else:
                wall, from_first_run = run_daemon(files, workers, Path(temp))
                measured.append(("(b) daemon, from drop", workers, wall, None, None))
                measured.append(("(b) daemon, from 1st run", workers, from_first_run, None, None))
    floors.append(_measure_floor(files, pages, args.workers, "after"))

    floor, cpu = (sum(values) / len(floors) for values in zip(*floors, strict=True))
    rows: list[list[object]] = [
        ["OCR floor (mean)", args.workers, floor, docs / floor * 60, pages / floor * 60, 1.0, 1.0, "n/a"]
    ]
    for path, workers, wall, process_cpu, ocr_cpu in measured:
        rows.append([path, workers, wall, docs / wall * 60, pages / wall * 60, wall / floor])
        rows[-1] += [process_cpu / cpu, process_cpu / ocr_cpu] if process_cpu and ocr_cpu else ["n/a", "n/a"]
    print_table(
        ["path", "workers", "wall s", "docs/min", "pages/min", "wall ÷ floor", "CPU ÷ floor CPU", "CPU ÷ own OCR CPU"],
        rows,
    )


def _measure_floor(files: list[Path], pages: int, workers: int, when: str) -> tuple[float, float]:
    """The floor, measured before and again after the pipeline runs: their mean is the yardstick,
    so a machine whose speed drifts during the benchmark moves both sides of the ratio."""
    wall, cpu = ocr_floor(files, workers)
    print(f"OCR floor {when}: {wall:.1f} s wall on {workers} processes, {cpu:.1f} CPU s ({cpu / pages:.2f} CPU s/page)")
    return wall, cpu


if __name__ == "__main__":
    main()
