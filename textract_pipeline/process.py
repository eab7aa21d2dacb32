"""`textract-pipeline process`: put files into incoming/ and see them through Dagster's own daemon.

The documents run exactly as in a deployment: `dagster-daemon run` ticks the upload sensor, the
queued run coordinator starts the runs (one per core, pool limits held), the code server runs
each in its own process, and run monitoring frees what a dead run held. What this module adds is
small: choosing and uploading the files, starting a code server and the daemon if no daemon serves the data
folder already, waiting until every uploaded version is COMPLETED or FAILED, and stopping
cleanly on Ctrl-C / SIGTERM.

Two `process` commands on one data folder cooperate: one owns the daemon (a lock file), the
other only uploads and waits, and takes the daemon over if the first ends before it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, NoReturn

import dagster as dg
from pydantic import BaseModel

from textract_pipeline.documents import SUPPORTED_SUFFIXES, document_id_for_key, is_supported_key
from textract_pipeline.instance import open_instance, parallel_runs
from textract_pipeline.records import DocumentRecord
from textract_pipeline.resources import build_resources
from textract_pipeline.resources.document_store import INCOMING_PREFIX, DocumentStore, readable_key
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors.failed_runs import fail_unfinished_documents
from textract_pipeline.settings import ENV_PREFIX, Settings

WORKERS_ENV = ENV_PREFIX + "PROCESS_WORKERS"
POLL_SECONDS = 0.5
# Each poll reads every waiting document's record: with many waiting, poll less often (the
# last few documents are polled at POLL_SECONDS again, so the command still ends promptly).
MAX_POLL_SECONDS = 2.0
DOCUMENTS_PER_POLL_SECOND = 40
# A live daemon writes a heartbeat every few seconds; older than this, it is gone.
HEARTBEAT_FRESH = timedelta(seconds=60)
# The sensor ticks as soon as the daemon is up; an upload not registered after this is not coming.
REGISTRATION_TIMEOUT = timedelta(minutes=3)
DAEMON_STOP_SECONDS = 60
CODE_SERVER_PROBE_SECONDS = 0.05
WORKSPACE_YAML = """\
# Written by textract-pipeline process: the daemon's code location is the code server it started.
load_from:
  - grpc_server:
      socket: {socket}
      location_name: textract_pipeline.definitions
"""


class InputFile(BaseModel):
    path: Path
    key: str


class NotRun(BaseModel):
    """A file given to `process` that it did not run, and why; `refused` ones make the command fail."""

    path: str  # the file's name, escaped where it is not UTF-8
    reason: str
    refused: bool = True


class DocumentOutcome(BaseModel):
    document_id: str
    object_key: str
    path: str  # the file's name, as the table shows it
    seconds: float
    already_processed: bool = False
    record: DocumentRecord | None


class ProcessReport(BaseModel):
    outcomes: list[DocumentOutcome]
    not_run: list[NotRun]
    interrupted_by: int | None = None
    dagster_home: Path


def default_workers() -> int:
    configured = os.environ.get(WORKERS_ENV)
    return int(configured) if configured else parallel_runs()


def shown(path: Path | str) -> str:
    """A path as text a terminal can show: bytes that are not UTF-8 escaped."""
    return readable_key(str(path))


def collect_inputs(paths: Iterable[Path]) -> tuple[list[InputFile], list[NotRun]]:
    """The files to upload: given files, and the files directly inside given folders.

    Refused, each with its reason: files of a type the pipeline does not read, names that are not
    UTF-8, symlinks that lead outside the given paths, and two different files that would land
    under the same name in incoming/ (both are named; neither is uploaded).
    """
    given = [Path(path) for path in paths]
    roots = [path.resolve() for path in given if path.is_dir() and not path.is_symlink()]
    roots += [path.resolve() for path in given if path.is_file() and not path.is_symlink()]
    candidates: list[Path] = []
    for path in given:
        if path.is_dir() and not path.is_symlink():
            candidates.extend(sorted(child for child in path.iterdir() if not child.name.startswith(".")))
        else:
            candidates.append(path)
    accepted: dict[str, InputFile] = {}
    not_run: list[NotRun] = []
    clashes: dict[str, list[Path]] = {}
    for path in candidates:
        reason = _refusal(path, roots)
        if reason:
            # A folder's other entries (a README, truth files, sub-folders) are listed, not held against the run.
            inside_folder = path not in given
            other_entry = path.is_dir() or (path.is_file() and not is_supported_key(path.name))
            skipped = inside_folder and not path.is_symlink() and other_entry
            not_run.append(NotRun(path=shown(path.name), reason=reason, refused=not skipped))
            continue
        key = INCOMING_PREFIX + path.name
        earlier = accepted.get(key)
        if earlier is not None and earlier.path.resolve() != path.resolve():
            clashes.setdefault(key, [earlier.path]).append(path)
        elif earlier is None:
            accepted[key] = InputFile(path=path, key=key)
    for key, clashing in clashes.items():
        accepted.pop(key)
        names = " and ".join(shown(path) for path in clashing)
        for path in clashing:
            reason = f"same file name as another input ({names}): rename one"
            not_run.append(NotRun(path=shown(path.name), reason=reason))
    return list(accepted.values()), not_run


def _refusal(path: Path, roots: list[Path]) -> str | None:
    if path.is_symlink():
        target = path.resolve()
        if not any(target == root or target.is_relative_to(root) for root in roots):
            return "a symlink to a file outside the given paths: refused"
    if path.is_dir():
        return "a folder: only the files directly inside the given folders are taken"
    if not path.is_file():
        return "not a regular file"
    if readable_key(path.name) != path.name:
        return "the file name is not valid UTF-8: rename it"
    if not is_supported_key(path.name):
        return f"not a document type the pipeline reads ({', '.join(sorted(SUPPORTED_SUFFIXES))})"
    return None


class Expected(BaseModel):
    """An uploaded file and the object version `process` waits to see finished."""

    input: InputFile
    document_id: str
    version: str


def upload(document_store: DocumentStore, inputs: Iterable[InputFile]) -> list[Expected]:
    """Copy files into incoming/; identical content already there is left alone, so it does not run again."""
    expected = []
    for item in inputs:
        data = item.path.read_bytes()
        existing = document_store.head(item.key)
        if existing is None or existing.size != len(data) or document_store.read_bytes(item.key) != data:
            document_store.write_bytes(item.key, data)
        stored = document_store.head(item.key)
        assert stored is not None, f"{item.key} vanished right after it was written"
        expected.append(Expected(input=item, document_id=document_id_for_key(item.key), version=stored.version))
    return expected


def _live_daemon(instance: dg.DagsterInstance) -> bool:
    """Whether a daemon (another `process`, `dagster dev`, a deployment) is serving this instance."""
    now = time.time()
    return any(
        now - heartbeat.timestamp < HEARTBEAT_FRESH.total_seconds()
        for heartbeat in instance.get_daemon_heartbeats().values()
    )


def _on_parent_death(number: int) -> Callable[[], None]:
    """Linux: the child gets signal `number` if `process` is killed, so it never runs on unattended."""

    def arrange() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, number)  # PR_SET_PDEATHSIG

    return arrange


class DaemonOwner:
    """Holds the data folder's daemon lock and, while held, a code server and a `dagster-daemon run` of its own.

    The code server is started first and the daemon's workspace points at it. A daemon left to
    start its own code server replaces it every minute (and re-imports the code location) for
    as long as `process` runs; this one imports it once. Runs are launched by the code server,
    so it is stopped with SIGINT, which makes it wait for the runs it started before it exits.
    """

    def __init__(self, settings: Settings, workers: int) -> None:
        self._settings = settings
        self._workers = workers
        self._lock: IO[str] | None = None
        self.daemon: subprocess.Popen | None = None
        self._code_server: subprocess.Popen | None = None
        self._socket_folder: Path | None = None
        self._log: IO[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self._settings.dagster_home / "process-daemon.log"

    @property
    def workspace_path(self) -> Path:
        return self._settings.dagster_home / "process-workspace.yaml"

    def try_own(self, instance: dg.DagsterInstance) -> bool:
        """Take the lock if free, then start a daemon unless another one already serves the folder.

        Called again while another daemon serves it: once that one stops beating, this one starts.
        """
        if self._lock is None:
            handle = (self._settings.dagster_home / "process.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            self._lock = handle
        if self.daemon is None and not _live_daemon(instance):
            self._start()
        return True

    def _start(self) -> None:
        # The code location reads its settings from the environment: hand it this command's.
        chosen = {ENV_PREFIX + name.upper(): str(value) for name, value in self._settings.model_dump().items()}
        environment = {
            **os.environ,
            **{name: value for name, value in chosen.items() if value != "None"},
            "DAGSTER_HOME": str(self._settings.dagster_home),
            ENV_PREFIX + "PARALLEL_RUNS": str(self._workers),
        }
        self._log = self.log_path.open("ab")
        # A socket path must stay short (108 bytes): not under the data folder.
        self._socket_folder = Path(tempfile.mkdtemp(prefix="textract-pipeline-"))
        socket_path = self._socket_folder / "code.sock"
        bin_folder = Path(sys.executable).parent
        self._code_server = self._spawn(
            [
                bin_folder / "dagster",
                "api",
                "grpc",
                "-m",
                "textract_pipeline.definitions",
                "--socket",
                str(socket_path),
            ],
            environment,
            signal.SIGINT,
        )
        self._wait_for_code_server(socket_path)
        self.workspace_path.write_text(WORKSPACE_YAML.format(socket=json.dumps(str(socket_path))))
        self.daemon = self._spawn(
            [bin_folder / "dagster-daemon", "run", "-w", str(self.workspace_path)], environment, signal.SIGTERM
        )

    def _spawn(self, command: list[Path | str], environment: dict[str, str], on_parent_death: int) -> subprocess.Popen:
        return subprocess.Popen(
            command,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches `process` alone, which decides what stops
            preexec_fn=_on_parent_death(on_parent_death),
        )

    def _wait_for_code_server(self, socket_path: Path) -> None:
        assert self._code_server is not None
        while True:
            if self._code_server.poll() is not None:
                self._failed("the code server", self._code_server)
            with socket.socket(socket.AF_UNIX) as probe:
                with contextlib.suppress(OSError):
                    probe.connect(str(socket_path))
                    return
            time.sleep(CODE_SERVER_PROBE_SECONDS)

    def _failed(self, what: str, child: subprocess.Popen) -> NoReturn:
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{what} exited with {child.returncode}; its log ends:\n{tail}")

    def check(self) -> None:
        for what, child in (("dagster-daemon", self.daemon), ("the code server", self._code_server)):
            if child is not None and child.poll() is not None:
                self._failed(what, child)

    def stop_launching(self) -> None:
        """Ask the daemon to stop (no more ticks or launches) without waiting; started runs go on."""
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.terminate()

    def stop(self, instance: dg.DagsterInstance) -> None:
        """Stop the daemon (no more ticks or launches; runs already started finish) and release the lock.

        Its heartbeats are wiped, so the next `process` need not wait for them to go stale. The code
        server exits by itself once the runs it launched have ended.
        """
        if self.daemon is not None:
            if self.daemon.poll() is None:
                self.daemon.terminate()
                try:
                    self.daemon.wait(DAEMON_STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    self.daemon.kill()
                    self.daemon.wait()
            instance.wipe_daemon_heartbeats()
        self.daemon = None
        if self._code_server is not None:
            # Not waited for: the runs it still serves (another `process`'s documents) may take long.
            # Nothing connects to it again, so its socket can go now.
            if self._code_server.poll() is None:
                self._code_server.send_signal(signal.SIGINT)
            self._code_server = None
        if self._socket_folder is not None:
            shutil.rmtree(self._socket_folder, ignore_errors=True)
            self._socket_folder = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None


class _Signals:
    """Ctrl-C and SIGTERM as a count the waiting loop reads, instead of exceptions at random places."""

    def __init__(self) -> None:
        self.received: list[int] = []

    @contextlib.contextmanager
    def caught(self) -> Iterator[_Signals]:
        previous = {number: signal.signal(number, self._on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _on_signal(self, number: int, frame: object) -> None:
        self.received.append(number)


def process_paths(
    paths: Iterable[Path],
    settings: Settings,
    workers: int | None = None,
    on_planned: Callable[[int], None] = lambda total: None,
    on_done: Callable[[DocumentOutcome], None] = lambda outcome: None,
    on_notice: Callable[[str], None] = lambda message: None,
) -> ProcessReport:
    """Upload the files, have a daemon run them, and report each once its version is COMPLETED or FAILED."""
    workers = workers or default_workers()
    resources = build_resources(settings)
    document_store: DocumentStore = resources["document_store"]
    tracking: TrackingStore = resources["tracking"]
    instance = open_instance(settings, runs=workers)
    inputs, not_run = collect_inputs(paths)
    expected = upload(document_store, inputs)
    on_planned(len(expected))
    owner = DaemonOwner(settings, workers)
    signals = _Signals()
    with signals.caught():
        try:
            outcomes = _wait(expected, tracking, instance, owner, signals, on_done, on_notice)
            if signals.received:
                owner.stop_launching()
                outcomes = _interrupted(expected, outcomes, instance, document_store, tracking, signals, on_notice)
        finally:
            owner.stop(instance)
    by_id = {outcome.document_id: outcome for outcome in outcomes}
    return ProcessReport(
        outcomes=[by_id[item.document_id] for item in expected if item.document_id in by_id],
        not_run=not_run,
        interrupted_by=signals.received[0] if signals.received else None,
        dagster_home=settings.dagster_home,
    )


def _finished(record: DocumentRecord | None, item: Expected) -> bool:
    return record is not None and record.version == item.version and record.status.is_terminal


def _wait(
    expected: list[Expected],
    tracking: TrackingStore,
    instance: dg.DagsterInstance,
    owner: DaemonOwner,
    signals: _Signals,
    on_done: Callable[[DocumentOutcome], None],
    on_notice: Callable[[str], None],
) -> list[DocumentOutcome]:
    started = time.monotonic()
    outcomes: list[DocumentOutcome] = []
    waiting = {item.document_id: item for item in expected}
    before = {item.document_id: tracking.get(item.document_id) for item in expected}
    for document_id, item in list(waiting.items()):
        if _finished(before[document_id], item):  # this very content was processed before
            outcomes.append(_outcome(item, before[document_id], 0.0, already_processed=True))
            on_done(outcomes[-1])
            del waiting[document_id]
    told_waiting = False
    registration_deadline = None
    while waiting and not signals.received:
        if owner.daemon is None:
            if owner.try_own(instance) and registration_deadline is None:
                registration_deadline = time.monotonic() + REGISTRATION_TIMEOUT.total_seconds()
            elif owner.daemon is None and not told_waiting:
                on_notice("another daemon serves this data folder (`process` or `dagster dev`): waiting for it")
                told_waiting = True
        owner.check()
        # One read per waiting document and poll: every read is a transaction on the file the runs write.
        records = {document_id: tracking.get(document_id) for document_id in waiting}
        for document_id, item in list(waiting.items()):
            if _finished(records[document_id], item):
                outcomes.append(_outcome(item, records[document_id], time.monotonic() - started))
                on_done(outcomes[-1])
                del waiting[document_id]
        unregistered = [
            item for item in waiting.values() if (records[item.document_id] or item).version != item.version
        ]
        if registration_deadline and unregistered and time.monotonic() > registration_deadline:
            raise RuntimeError(
                f"the upload sensor did not register {len(unregistered)} file(s) in {REGISTRATION_TIMEOUT}: "
                "is incoming_documents_sensor stopped in the Dagster UI?"
            )
        time.sleep(poll_interval(len(waiting)))
    return outcomes


def poll_interval(waiting: int) -> float:
    """Seconds between two reads of `waiting` documents' records: about DOCUMENTS_PER_POLL_SECOND reads a second."""
    return min(MAX_POLL_SECONDS, max(POLL_SECONDS, waiting / DOCUMENTS_PER_POLL_SECOND))


def _outcome(
    item: Expected, record: DocumentRecord | None, seconds: float, already_processed: bool = False
) -> DocumentOutcome:
    return DocumentOutcome(
        document_id=item.document_id,
        object_key=item.input.key,
        path=shown(item.input.path.name),
        seconds=round(seconds, 1),
        already_processed=already_processed,
        record=record,
    )


def _interrupted(
    expected: list[Expected],
    outcomes: list[DocumentOutcome],
    instance: dg.DagsterInstance,
    document_store: DocumentStore,
    tracking: TrackingStore,
    signals: _Signals,
    on_notice: Callable[[str], None],
) -> list[DocumentOutcome]:
    """After Ctrl-C: the daemon is stopping, so nothing new starts; runs in progress finish.

    A second Ctrl-C cancels them through Dagster's run launcher; their unfinished documents end
    FAILED. Queued runs stay queued for the next daemon (`process` again, or `dagster dev`).
    """
    running = instance.get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    )
    if running:
        on_notice(f"stopping: {len(running)} run(s) in progress will finish; Ctrl-C again cancels them")
    stopped = list(running)
    canceled = False
    while running:
        if len(signals.received) > 1 and not canceled:
            for run in running:
                instance.run_launcher.terminate(run.run_id)
            canceled = True
        time.sleep(POLL_SECONDS)
        running = [
            run for run in (instance.get_run_by_id(run.run_id) for run in running) if run and not run.is_finished
        ]
    for run in stopped:  # no daemon is left to run the ended-run sensors for these
        ended = instance.get_run_by_id(run.run_id)
        if ended is not None and ended.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
            reason = f"run {run.run_id} ended {ended.status.value} after an interrupt"
            fail_unfinished_documents(instance, ended, reason, document_store, tracking)
    done = {outcome.document_id for outcome in outcomes}
    for item in expected:
        record = tracking.get(item.document_id)
        if item.document_id not in done:
            outcomes.append(_outcome(item, record, 0.0))
    return outcomes
