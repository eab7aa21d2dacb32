"""Test doubles behind the production interfaces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from textract_pipeline.resources.textract import AnalysisRequest, JobStatus, TextractJob, TextractService

FIXTURES = Path(__file__).parent / "fixtures"


def real_response(name: str = "form.png") -> dict[str, Any]:
    """A response real Amazon Textract returned (see fixtures/SOURCE.md)."""
    return json.loads((FIXTURES / f"{name}.textract.json").read_text())


class FixtureTextract(TextractService):
    """Answers every job with a saved real response; can report IN_PROGRESS first, like async Textract."""

    fixture: str = "form.png"
    polls_before_done: int = 0
    fail_with: str | None = None
    _started: list[str] = PrivateAttr(default_factory=list)
    _polls: int = PrivateAttr(default=0)

    @property
    def engine_name(self) -> str:
        return "fixture"

    @property
    def started(self) -> list[str]:
        return self._started

    def _job(self, job_id: str) -> TextractJob:
        if self._polls < self.polls_before_done:
            self._polls += 1
            return TextractJob(job_id=job_id, status=JobStatus.IN_PROGRESS)
        if self.fail_with:
            return TextractJob(job_id=job_id, status=JobStatus.FAILED, status_message=self.fail_with)
        return TextractJob(job_id=job_id, status=JobStatus.SUCCEEDED, response=real_response(self.fixture))

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        job_id = f"job-{len(self._started) + 1}"
        self._started.append(request.document_id)
        return self._job(job_id)

    def get_analysis(self, job: TextractJob) -> TextractJob:
        return self._job(job.job_id)
