"""Test doubles behind the production interfaces."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from textract_pipeline.extraction import DeterministicExtractor, ExtractionError
from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.extractor import ExtractorResource
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.resources.textract import AnalysisRequest, JobStatus, LocalTextract, TextractJob, TextractService

FIXTURES = Path(__file__).parent / "fixtures"
# Sensor tests about finding uploads read one run request per document.
ONE_RUN_PER_DOCUMENT = RunBatching(max_documents_per_run=1)


def real_response(name: str = "form.png") -> dict[str, Any]:
    """A response real Amazon Textract returned (see fixtures/SOURCE.md)."""
    return json.loads((FIXTURES / f"{name}.textract.json").read_text())


def record_call(state_dir: str, name: str, line: str = "call") -> int:
    """Log a call to a file and return how many there were: Dagster rebuilds resources per run
    and per retry, so state kept in memory would be lost."""
    path = Path(state_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as log:
        log.write(line + "\n")
    return len(path.read_text().splitlines())


class FixtureTextract(TextractService):
    """Answers every job with a saved real response; can report IN_PROGRESS first, like async Textract.

    The calls it receives are kept in files under `state_dir`, where tests can read them.
    """

    state_dir: str
    fixture: str = "form.png"
    polls_before_done: int = 0
    fail_with: str | None = None

    @property
    def engine_name(self) -> str:
        return "fixture"

    def started(self) -> list[str]:
        path = Path(self.state_dir) / "started"
        return path.read_text().splitlines() if path.exists() else []

    def _job(self, job_id: str) -> TextractJob:
        if record_call(self.state_dir, "checks", job_id) <= self.polls_before_done:
            return TextractJob(job_id=job_id, status=JobStatus.IN_PROGRESS)
        if self.fail_with:
            return TextractJob(job_id=job_id, status=JobStatus.FAILED, status_message=self.fail_with)
        return TextractJob(job_id=job_id, status=JobStatus.SUCCEEDED, response=real_response(self.fixture))

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        job_id = f"job-{record_call(self.state_dir, 'started', request.document_id)}"
        return self._job(job_id)

    def get_analysis(self, job: TextractJob) -> TextractJob:
        return self._job(job.job_id)


def throttling_error(operation: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        },
        operation,
    )


class ThrottledTextract(FixtureTextract):
    """Throttles the first `throttled_calls` StartDocumentAnalysis calls, then answers."""

    throttled_calls: int = 2

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        if record_call(self.state_dir, "throttle") <= self.throttled_calls:
            raise throttling_error("StartDocumentAnalysis")
        return super().start_analysis(request)


class FailingWritesStore(LocalDocumentStore):
    """Breaks the first `failing_writes` writes under processed/, as a flaky bucket would."""

    state_dir: str
    failing_writes: int = 1

    def write_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        if key.startswith("processed/") and record_call(self.state_dir, "writes") <= self.failing_writes:
            return self._replace_atomically(key, lambda temp: self._fail_midway(temp, data))
        return super().write_bytes(key, data, content_type)

    @staticmethod
    def _fail_midway(temp: Path, data: bytes) -> None:
        temp.write_bytes(data[: len(data) // 2])
        raise OSError("connection reset while writing")


class BrokenExtractor:
    """An extractor whose output could not be repaired (an LLM returning garbage twice)."""

    name = "broken"

    def extract_v1(self, document: Any) -> Any:
        raise ExtractionError("model output failed validation after one repair: grantors.0.full_name missing")

    def extract_v2(self, document: Any) -> Any:
        raise ExtractionError("model output was not JSON")


class BrokenExtractorResource(ExtractorResource):
    def _build(self) -> BrokenExtractor:
        return BrokenExtractor()


class SlowOnceExtractor(DeterministicExtractor):
    """Times out on the first V1 request (a model endpoint that stalled), then answers."""

    def __init__(self, state_dir: str):
        super().__init__()
        self.state_dir = state_dir

    def extract_v1(self, document: Any) -> Any:
        if record_call(self.state_dir, "v1_calls") == 1:
            raise TimeoutError("read timed out after 300 s")
        return super().extract_v1(document)


class SlowOnceExtractorResource(ExtractorResource):
    state_dir: str

    def _build(self) -> SlowOnceExtractor:
        return SlowOnceExtractor(self.state_dir)


def wait_at_gate(state_dir: str) -> None:
    """Say this call has arrived (file `reached`), then wait until the test opens the gate (file `gate`)."""
    if record_call(state_dir, "gate_calls") > 1:
        return
    Path(state_dir, "reached").touch()
    deadline = time.monotonic() + 120
    while not Path(state_dir, "gate").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never opened the gate")
        time.sleep(0.05)


class GatedTextract(LocalTextract):
    """The local OCR engine, its first analysis held at a gate (a long OCR job) until the test lets it go."""

    state_dir: str

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        wait_at_gate(self.state_dir)
        return super().start_analysis(request)


class GatedExtractor(DeterministicExtractor):
    def __init__(self, state_dir: str):
        super().__init__()
        self.state_dir = state_dir

    def extract_v1(self, document: Any) -> Any:
        wait_at_gate(self.state_dir)
        return super().extract_v1(document)


class GatedExtractorResource(ExtractorResource):
    """Stops the first V1 extraction at a gate (a slow model), until the test lets it go."""

    state_dir: str

    def _build(self) -> GatedExtractor:
        return GatedExtractor(self.state_dir)


class EmptyTextract(FixtureTextract):
    """A misconfigured endpoint: every job succeeds with no blocks at all."""

    def _job(self, job_id: str) -> TextractJob:
        return TextractJob(job_id=job_id, status=JobStatus.SUCCEEDED, response={"Blocks": []})


class BuggyTextract(FixtureTextract):
    """Fails the same way every time, as a bug does (a division by zero on a degenerate page)."""

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        record_call(self.state_dir, "buggy")
        return TextractJob(job_id="x", status=JobStatus.SUCCEEDED, response={"Blocks": [1 / 0]})
