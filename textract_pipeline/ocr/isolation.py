"""The OCR engine in a long-lived child process, so a crash of tesseract fails one document, not the caller.

Tesseract is C++: a page it cannot handle can end the whole process with SIGSEGV or an abort, and
the kernel's OOM killer ends a process that grows too large. `IsolatedOcrEngine` runs a
`LocalOcrEngine` in a child process (started on first use, tesseract loaded once there) and asks it
for one page at a time. When the child dies, the document being read fails with
`UnreadableDocumentError("the OCR engine crashed (signal 11, SIGSEGV) on page N ...")` and the next
document starts a fresh child. A page that overruns its time budget by `KILL_MARGIN_SECONDS` (the
engine's own deadline does not reach into tesseract's layout analysis) has its child killed and its
document failed the same way.

The interface is `LocalOcrEngine`'s: `analyze(data)` and `analyze_pages(data)`, lazily and page by
page, with the same `PageStream` (`warnings`, and `cpu_seconds` including the child's CPU).
"""

from __future__ import annotations

import functools
import itertools
import signal
import subprocess
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Iterator
from multiprocessing.connection import Connection, Pipe
from typing import Any

from textract_pipeline.ocr.budget import PAGE_TIME_BUDGET_SECONDS, PageTimeoutError, exceeded_reason
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.page_stream import PageBlocks, PageStream, collect_response

# A child that has not answered this long after its page's budget ran out is stuck where the
# deadline does not reach (layout analysis) and is killed.
KILL_MARGIN_SECONDS = 10.0
# Loading Python, numpy, OpenCV and tesseract in a fresh process.
STARTUP_SECONDS = 60.0
_ERRORS_BY_KIND = {"unreadable": UnreadableDocumentError, "timeout": PageTimeoutError}


class IsolatedOcrEngine:
    """`LocalOcrEngine`'s interface, run in a child process that is restarted after a crash."""

    def __init__(
        self, dpi: int = 300, languages: str = "eng", page_time_budget: float | None = PAGE_TIME_BUDGET_SECONDS
    ) -> None:
        self.dpi = dpi
        self.languages = languages
        self.page_time_budget = page_time_budget
        self._lock = threading.Lock()  # one request and its reply at a time
        self._worker: _Worker | None = None
        self._document_ids = itertools.count(1)
        self._abandoned: list[tuple[_Worker, int]] = []  # closed at the next request, never from a finalizer

    @property
    def worker_pid(self) -> int | None:
        """The child's process id, once it runs (for operators and tests)."""
        return self._worker.process.pid if self._worker is not None and self._worker.alive else None

    def analyze(self, data: bytes) -> dict[str, Any]:
        from textract_pipeline.ocr.engine import MODEL_VERSION

        return collect_response(self.analyze_pages(data), MODEL_VERSION)

    def analyze_pages(self, data: bytes) -> PageStream:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise UnreadableDocumentError(f"expected the document's bytes, got {type(data).__name__}")
        document = bytes(data)
        return PageStream(lambda stream: self._read_document(document, stream))

    def _read_document(self, data: bytes, stream: PageStream) -> Iterator[PageBlocks]:
        document_id = next(self._document_ids)
        with self._lock:
            worker = self._running_worker()
            try:
                worker.send(("open", document_id, data))
            except OSError:
                raise UnreadableDocumentError(worker.death_reason(1)) from None
        del data
        finished = False
        try:
            for page_number in itertools.count(1):
                with self._lock:
                    self._close_abandoned()
                    if not worker.alive and worker.last_document_id != document_id:
                        raise UnreadableDocumentError(
                            "the OCR engine crashed while reading another document and was restarted; "
                            "this document was not finished"
                        )
                    worker.last_document_id = document_id
                    reply = self._exchange(worker, ("next", document_id), page_number)
                kind, payload, child_cpu = reply
                stream.cpu_seconds += child_cpu
                if kind == "page":
                    yield payload
                elif kind == "end":
                    stream.warnings.extend(payload)
                    finished = True
                    return
                elif kind in _ERRORS_BY_KIND:
                    finished = True
                    raise _ERRORS_BY_KIND[kind](payload)
                else:
                    finished = True
                    raise RuntimeError(f"the OCR engine failed on page {page_number}:\n{payload}")
        finally:
            if not finished:
                self._abandoned.append((worker, document_id))

    def _exchange(self, worker: _Worker, request: tuple, page_number: int) -> tuple[str, Any, float]:
        """Send one request and wait for its reply; a dead or stuck child fails the document."""
        limit = None if self.page_time_budget is None else self.page_time_budget + KILL_MARGIN_SECONDS
        try:
            worker.send(request)
            if worker.wait(limit):
                return worker.receive()
        except (EOFError, OSError):
            raise UnreadableDocumentError(worker.death_reason(page_number)) from None
        worker.kill()
        raise PageTimeoutError(exceeded_reason(page_number, self.page_time_budget or 0.0))

    def _running_worker(self) -> _Worker:
        if self._worker is None or not self._worker.alive:
            self._worker = _Worker.start(self.dpi, self.languages, self.page_time_budget)
        return self._worker

    def _close_abandoned(self) -> None:
        while self._abandoned:
            worker, document_id = self._abandoned.pop()
            if worker.alive:
                try:
                    worker.send(("close", document_id))
                except OSError:
                    pass

    def close(self) -> None:
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None


class _Worker:
    """One child process and the parent's end of its pipe."""

    def __init__(self, process: subprocess.Popen, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self._ready = False
        self.last_document_id: int | None = None  # the document whose page was asked for last
        weakref.finalize(self, _stop, process, connection)

    @classmethod
    def start(cls, dpi: int, languages: str, page_time_budget: float | None) -> _Worker:
        parent_end, child_end = Pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(child_end.fileno()), str(dpi), languages, str(page_time_budget or 0)],
            pass_fds=(child_end.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        child_end.close()
        return cls(process, parent_end)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: tuple) -> None:
        self.connection.send(request)

    def wait(self, seconds: float | None) -> bool:
        """Whether a reply (or the end of the pipe) arrived in time; startup has its own allowance."""
        if not self._ready:
            if not self.connection.poll(STARTUP_SECONDS):
                return False
            self.connection.recv()  # the child's "ready": tesseract is loaded
            self._ready = True
        return self.connection.poll(seconds)

    def receive(self) -> tuple[str, Any, float]:
        return self.connection.recv()

    def death_reason(self, page_number: int) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.process.returncode
        self.connection.close()
        if code is not None and code < 0:
            how = f"crashed (signal {-code}, {signal.Signals(-code).name})"
        else:
            how = f"exited unexpectedly (status {code})"
        return f"the OCR engine {how} on page {page_number}; the document cannot be read"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()

    def stop(self) -> None:
        _stop(self.process, self.connection)


def _stop(process: subprocess.Popen, connection: Connection) -> None:
    """Close the pipe (the child exits when it reads its end), then make sure it did."""
    connection.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@functools.cache
def shared_isolated_engine(dpi: int = 300) -> IsolatedOcrEngine:
    """One isolated engine per process and dpi: Dagster rebuilds resources per run, tesseract should load once."""
    return IsolatedOcrEngine(dpi=dpi)


def serve(connection: Connection, dpi: int, languages: str, page_time_budget: float | None) -> None:
    """The child's loop: open documents, read one page per request, until the parent closes the pipe."""
    from textract_pipeline.ocr.engine import LocalOcrEngine

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it decides what to finish
    engine = LocalOcrEngine(dpi=dpi, languages=languages, page_time_budget=page_time_budget)
    connection.send(("ready", None, time.process_time()))
    documents: dict[int, PageStream] = {}
    while True:
        try:
            kind, document_id, *rest = connection.recv()
        except EOFError:
            return
        if kind == "open":
            documents[document_id] = engine.analyze_pages(rest[0])
        elif kind == "close":
            documents.pop(document_id, None)
        else:
            started = time.process_time()
            stream = documents[document_id]
            try:
                reply: tuple[str, Any] = ("page", next(stream))
            except StopIteration:
                reply = ("end", stream.warnings)
            except PageTimeoutError as error:
                reply = ("timeout", error.reason)
            except UnreadableDocumentError as error:
                reply = ("unreadable", error.reason)
            except Exception:
                reply = ("failed", traceback.format_exc())
            if reply[0] != "page":
                del documents[document_id]
            connection.send((*reply, time.process_time() - started))


if __name__ == "__main__":
    descriptor, dpi_text, languages_text, budget_text = sys.argv[1:5]
    serve(Connection(int(descriptor)), int(dpi_text), languages_text, float(budget_text) or None)
