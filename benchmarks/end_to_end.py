"""End to end on the embedded default: N documents through `process` and through a running daemon.

    python -m benchmarks.end_to_end [--pages 200 | --files DIR] [--workers 2] [--mode process daemon]
        [--baseline GIT_REF] [--repeat 1] [--sequential]

The documents are `--pages` pages of generated deeds (benchmarks/corpus.py) or the documents in
`--files DIR`. Prints, per path, wall seconds until every document is COMPLETED or FAILED,
docs/min, pages/min and wall ÷ floor, where the floor is LocalOcrEngine alone over the same
files on the same number of processes, measured in the same invocation before and after the
paths run (the ratios use the mean of the two, so drift in the machine's speed hits both sides).

(a) `process` is `textract-pipeline process` in a subprocess. Its CPU seconds are those of the
whole process tree (the command, the daemon, the code servers, the run processes), shown ÷ the
floor's CPU and ÷ the CPU its own OCR took (each textract_raw materialization's
`ocr_cpu_seconds`): measured in the same processes at the same moment, that last ratio does not
move when the machine's speed drifts. A second table gives its fixed cost, from the run records:
seconds from the command's start until the sensor made the first run and until that run's
process began, and from the last run's end until the command returned. `--baseline GIT_REF`
runs (a) a second time, just before, with the `textract_pipeline` package as committed at that
ref: a before/after comparison in one invocation.

(b) `daemon` is a temporary DAGSTER_HOME (the instance `process` writes) with a code server and
`dagster-daemon run` as subprocesses, started and ticked once before the files land; its wall
time starts when they land, so it includes the wait for the sensor's next tick (minimum
interval 30 s), and a second row starts at the first run's creation.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from benchmarks.common import (
    ProcessTreeSampler,
    machine_note,
    ocr_floor,
    print_table,
    status_counts,
    wait_until_terminal,
)
from benchmarks.corpus import build_corpus, page_total
from textract_pipeline.documents import is_supported_key
from textract_pipeline.instance import open_instance
from textract_pipeline.settings import Settings
from textract_pipeline.validation import DocumentLimits, validate_document

BIN = Path(sys.executable).parent

WORKSPACE = """\
load_from:
  - grpc_server:
      host: 127.0.0.1
      port: {port}
      location_name: textract_pipeline
"""


class ProcessRun(NamedTuple):
    """What (a) measured: whole-command wall and CPU, its OCR's CPU, and where the fixed cost went."""

    wall: float
    cpu: float
    ocr_cpu: float
    to_first_run_created: float  # command start -> the sensor's first tick made a run
    to_first_run_started: float  # command start -> the first run's process had imported and began
    after_last_run: float  # the last run ended -> the command returned (daemon shutdown)
    runs: int  # each run is a process that imports the code location
    cpu_by_kind: dict[str, tuple[float, int]]  # CPU seconds and process count by what the process was
    statuses: Counter


def run_process(files: list[Path], workers: int, workdir: Path, code: Path | None = None) -> ProcessRun:
    """(a) `textract-pipeline process` over a folder of the files, in a subprocess.

    `code`: a folder holding another version of the `textract_pipeline` package to run instead
    (put first on PYTHONPATH, which the daemon, code server and runs inherit).
    """
    inputs = workdir / "inputs"
    inputs.mkdir(parents=True)
    for file in files:
        shutil.copy(file, inputs / file.name)
    env = {**os.environ, "TEXTRACT_PIPELINE_PROCESS_WORKERS": str(workers)}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "textract_pipeline", "process", str(inputs), "--data-dir", str(workdir / "data")]
    started, started_at = time.perf_counter(), time.time()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=workdir
    ) as popen:
        tree = ProcessTreeSampler(popen.pid)
        tree.start()
        output, _ = popen.communicate(timeout=3600)
    wall, ended_at = time.perf_counter() - started, time.time()
    tree.join()
    counts = status_counts(workdir / "data" / "tracking.sqlite")
    if popen.returncode not in (0, 1) or counts["COMPLETED"] + counts["FAILED"] != len(files):
        raise RuntimeError(f"process ended {popen.returncode} with {dict(counts)}:\n{output[-3000:]}")
    home = workdir / "data" / "dagster_home"
    runs, first_created, first_started, last_ended = _run_timeline(home)
    return ProcessRun(
        wall=wall,
        cpu=tree.cpu_seconds(),
        ocr_cpu=_ocr_cpu(home, len(files)),
        to_first_run_created=first_created - started_at,
        to_first_run_started=first_started - started_at,
        after_last_run=ended_at - last_ended,
        runs=runs,
        cpu_by_kind=cpu_by_kind(tree),
        statuses=counts,
    )


PROCESS_KINDS = {  # a phrase of the command line -> the kind of process
    "textract_pipeline process": "process command",
    "dagster-daemon run": "daemon",
    " api grpc ": "code servers",
    "textract_pipeline.ocr.isolation": "OCR engine children",
    "multiprocessing.spawn import spawn_main": "run processes",
}


def cpu_by_kind(tree: ProcessTreeSampler) -> dict[str, tuple[float, int]]:
    """CPU seconds and number of processes of each kind under the command; the rest are Dagster's
    helpers (compute log tails, orphan watchers, resource trackers)."""
    found: dict[str, tuple[float, int]] = {kind: (0.0, 0) for kind in [*PROCESS_KINDS.values(), "other"]}
    for process in tree.processes.values():
        kind = next((kind for phrase, kind in PROCESS_KINDS.items() if phrase in process.command), "other")
        seconds, count = found[kind]
        found[kind] = (seconds + process.cpu_seconds, count + 1)
    return found


def _run_timeline(dagster_home: Path) -> tuple[int, float, float, float]:
    """(runs, first run created, first run started, last run ended), times as Unix times, from the run records."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_run_records()
        return (
            len(runs),
            min(record.create_timestamp.timestamp() for record in runs),
            min(record.start_time for record in runs if record.start_time is not None),
            max(record.end_time for record in runs if record.end_time is not None),
        )


@contextlib.contextmanager
def code_at(ref: str) -> Iterator[Path]:
    """The `textract_pipeline` package as committed at git `ref`, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="bench-code-") as folder:
        repository = Path(__file__).parents[1]
        archive = subprocess.run(
            ["git", "archive", ref, "textract_pipeline"], capture_output=True, check=True, cwd=repository
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        yield Path(folder)


def _ocr_cpu(dagster_home: Path, documents: int) -> float:
    """The summed `ocr_cpu_seconds` of the run's textract_raw materializations."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.fetch_materializations(dg.AssetKey("textract_raw"), limit=documents).records
        return sum(record.asset_materialization.metadata["ocr_cpu_seconds"].value for record in records)


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
    data = workdir / "data"
    (data / "incoming").mkdir(parents=True)
    settings = Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": str(data)})
    # The instance `process` writes, its databases created here: the code server, the daemon and
    # this process each creating them at once can stamp the schema twice and fail.
    open_instance(settings, workers).dispose()
    home = settings.dagster_home
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
        wait_until_terminal(data / "tracking.sqlite", len(files), timeout=3600)
        finished = time.time()
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


def input_files(folder: Path | None, pages: int) -> tuple[list[Path], int]:
    """The documents to run and their page total: a folder's supported files, or the generated corpus."""
    if folder is None:
        files = build_corpus(pages)
        return files, page_total(files)
    files = sorted(path for path in folder.iterdir() if path.is_file() and is_supported_key(path.name))
    limits = DocumentLimits()
    return files, sum(validate_document(path.name, path.read_bytes(), limits).pages for path in files)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of generated deeds")
    parser.add_argument("--files", type=Path, help="run the documents in this folder instead of generated deeds")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--mode", nargs="+", choices=["process", "daemon"], default=["process", "daemon"])
    parser.add_argument("--sequential", action="store_true", help="also time `process` with one worker")
    parser.add_argument("--baseline", metavar="GIT_REF", help="also time `process` with the package at this commit")
    parser.add_argument("--repeat", type=int, default=1, help="run each path this many times, alternating")
    args = parser.parse_args(argv)

    files, pages = input_files(args.files, args.pages)
    docs = len(files)
    print(f"{docs} documents, {pages} pages; {machine_note()}")
    floors = [_measure_floor(files, pages, args.workers, "before")]

    measured: list[tuple[str, int, float, ProcessRun | None]] = []
    runs = [("process", args.workers)] * ("process" in args.mode) + [("process", 1)] * args.sequential
    runs += [("daemon", args.workers)] * ("daemon" in args.mode)
    with contextlib.ExitStack() as stack:
        baseline = stack.enter_context(code_at(args.baseline)) if args.baseline else None
        for _ in range(args.repeat):
            for mode, workers in runs:
                with tempfile.TemporaryDirectory(prefix=f"bench-{mode}-") as temp:
                    if mode == "daemon":
                        wall, from_first_run = run_daemon(files, workers, Path(temp))
                        measured.append(("(b) daemon, from drop", workers, wall, None))
                        measured.append(("(b) daemon, from 1st run", workers, from_first_run, None))
                        continue
                    if baseline is not None:  # the same files just before, so the two share the load
                        run = run_process(files, workers, Path(temp) / "baseline", baseline)
                        measured.append((f"(a) process at {args.baseline}", workers, run.wall, run))
                    run = run_process(files, workers, Path(temp) / "current")
                    measured.append(("(a) process", workers, run.wall, run))
    floors.append(_measure_floor(files, pages, args.workers, "after"))

    floor, cpu = (sum(values) / len(floors) for values in zip(*floors, strict=True))
    rows: list[list[object]] = [
        ["OCR floor (mean)", args.workers, floor, docs / floor * 60, pages / floor * 60, 1.0, 1.0, "n/a"]
    ]
    for path, workers, wall, run in measured:
        rows.append([path, workers, wall, docs / wall * 60, pages / wall * 60, wall / floor])
        rows[-1] += [run.cpu / cpu, run.cpu / run.ocr_cpu] if run and run.ocr_cpu else ["n/a", "n/a"]
    print_table(
        ["path", "workers", "wall s", "docs/min", "pages/min", "wall ÷ floor", "CPU ÷ floor CPU", "CPU ÷ own OCR CPU"],
        rows,
    )
    process_runs = [(path, workers, run) for path, workers, _, run in measured if run is not None]
    if process_runs:
        print("fixed cost of (a), seconds from the command's start or to its end:")
        print_table(
            [
                "path",
                "workers",
                "to 1st run created",
                "to 1st run started",
                "after last run",
                "fixed s",
                "fixed ÷ wall",
                "runs",
                "statuses",
            ],
            [
                [
                    path,
                    workers,
                    run.to_first_run_created,
                    run.to_first_run_started,
                    run.after_last_run,
                    run.to_first_run_started + run.after_last_run,
                    (run.to_first_run_started + run.after_last_run) / run.wall,
                    run.runs,
                    " ".join(f"{status} {count}" for status, count in sorted(run.statuses.items())),
                ]
                for path, workers, run in process_runs
            ],
        )

        kinds = list(process_runs[0][2].cpu_by_kind)
        print("CPU seconds of (a) by process (number of processes):")
        print_table(
            ["path", *kinds],
            [
                [path, *(f"{seconds:.1f} ({count})" for seconds, count in run.cpu_by_kind.values())]
                for path, _, run in process_runs
            ],
        )


def _measure_floor(files: list[Path], pages: int, workers: int, when: str) -> tuple[float, float]:
    """The floor, measured before and again after the pipeline runs: their mean is the yardstick,
    so a machine whose speed drifts during the benchmark moves both sides of the ratio."""
    wall, cpu = ocr_floor(files, workers)
    print(f"OCR floor {when}: {wall:.1f} s wall on {workers} processes, {cpu:.1f} CPU s ({cpu / pages:.2f} CPU s/page)")
    return wall, cpu


if __name__ == "__main__":
    main()
