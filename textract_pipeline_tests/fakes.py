"""Test doubles behind the production interfaces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textract_pipeline.resources.textract import AnalysisRequest, JobStatus, TextractJob, TextractService

FIXTURES = Path(__file__).parent / "fixtures"


def real_response(name: str = "form.png") -> dict[str, Any]:
    """A response real Amazon Textract returned (see fixtures/SOURCE.md)."""
    return json.loads((FIXTURES / f"{name}.textract.json").read_text())


class FixtureTextract(TextractService):
    """Answers every job with a saved real response; can report IN_PROGRESS first, like async Textract.

    Dagster rebuilds resources from their config for each run, so the calls it receives are
    kept in files under `state_dir`, where tests can read them.
    """

    state_dir: str
    fixture: str = "form.png"
    polls_before_done: int = 0
    fail_with: str | None = None

    @property
    def engine_name(self) -> str:
        return "fixture"

    def _log(self, name: str) -> Path:
        return Path(self.state_dir) / name

    def _append(self, name: str, line: str) -> int:
        path = self._log(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as log:
            log.write(line + "\n")
        return len(path.read_text().splitlines())

    def started(self) -> list[str]:
        path = self._log("started")
        return path.read_text().splitlines() if path.exists() else []

    def _job(self, job_id: str) -> TextractJob:
        if self._append("checks", job_id) <= self.polls_before_done:
            return TextractJob(job_id=job_id, status=JobStatus.IN_PROGRESS)
        if self.fail_with:
            return TextractJob(job_id=job_id, status=JobStatus.FAILED, status_message=self.fail_with)
        return TextractJob(job_id=job_id, status=JobStatus.SUCCEEDED, response=real_response(self.fixture))

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        job_id = f"job-{self._append('started', request.document_id)}"
        return self._job(job_id)

    def get_analysis(self, job: TextractJob) -> TextractJob:
        return self._job(job.job_id)
