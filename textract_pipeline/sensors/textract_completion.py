"""Textract completion: when an async job finishes, request the run that collects its result.

`textract_raw` ends without output while its job runs (everything downstream is skipped);
this sensor, defined where the deployment uses Amazon Textract, requests
`collect_textract_results` for the partition, which re-enters `textract_raw` (it resumes the
job recorded in tracking) and runs everything after it.

Completions come from the SQS queue subscribed to Textract's SNS topic. Without a queue the
sensor polls GetDocumentAnalysis for the documents tracking holds as TEXTRACT_STARTED, each
job on its own backoff schedule kept in the cursor. With a queue it still polls jobs that
have waited longer than SAFETY_NET_AFTER, so a lost or early notification cannot leave a
document waiting forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import dagster as dg
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from textract_pipeline.records import DocumentRecord, DocumentStatus, utc_now
from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.document_store import QueueMessage
from textract_pipeline.resources.textract import JobStatus
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.sensors.run_requests import OBJECT_KEY_TAG

TEXTRACT_JOB_TAG = "textract_pipeline/textract_job_id"
TEXTRACT_STATUS_TAG = "textract_pipeline/textract_status"
MAX_MESSAGES_PER_TICK = 100
MAX_POLLS_PER_TICK = 25  # GetDocumentAnalysis has a low TPS quota; adaptive retries absorb the rest
FIRST_POLL_INTERVAL = timedelta(seconds=30)
MAX_POLL_INTERVAL = timedelta(minutes=15)
SAFETY_NET_AFTER = timedelta(minutes=30)
INVALID_JOB = "INVALID_JOB"

collect_textract_results = dg.define_asset_job(
    name="collect_textract_results",
    selection=dg.AssetSelection.assets("textract_raw").downstream(),
    description="Collect a finished Textract job's result and run everything after textract_raw for one document.",
)


class PollState(BaseModel):
    next_poll_at: datetime
    interval_seconds: float


class CompletionCursor(BaseModel):
    """Queue mode: receipt handles to delete once this cursor is stored; polling: per-job backoff."""

    pending_deletes: list[str] = Field(default_factory=list)
    polls: dict[str, PollState] = Field(default_factory=dict)

    @classmethod
    def parse(cls, cursor: str | None) -> CompletionCursor:
        return cls.model_validate_json(cursor) if cursor else cls()


class Completion(BaseModel):
    job_id: str
    status: str
    record: DocumentRecord


def completion_run_request(completion: Completion) -> dg.RunRequest:
    """One collection run per job and final status, however often the news arrives."""
    return dg.RunRequest(
        run_key=f"textract:{completion.job_id}:{completion.status}",
        partition_key=completion.record.document_id,
        tags={
            OBJECT_KEY_TAG: completion.record.object_key,
            TEXTRACT_JOB_TAG: completion.job_id,
            TEXTRACT_STATUS_TAG: completion.status,
        },
    )


class _StartedJobs:
    """TEXTRACT_STARTED records, fetched once per tick and only if a message lacks its JobTag."""

    def __init__(self, tracking: TrackingStore) -> None:
        self._tracking = tracking
        self._by_job: dict[str, DocumentRecord] | None = None

    def find(self, job_id: str) -> DocumentRecord | None:
        if self._by_job is None:
            records = self._tracking.list_documents(DocumentStatus.TEXTRACT_STARTED)
            self._by_job = {record.textract_job_id: record for record in records if record.textract_job_id}
        return self._by_job.get(job_id)


def _completion_from_message(
    context: dg.SensorEvaluationContext, message: QueueMessage, tracking: TrackingStore, started: _StartedJobs
) -> Completion | None:
    body = message.body or {}
    job_id, status = body.get("JobId"), body.get("Status")
    if not job_id or status not in {s.value for s in JobStatus if s != JobStatus.IN_PROGRESS}:
        context.log.warning(f"completion queue message {message.message_id} is not a Textract job notification")
        return None
    tag = body.get("JobTag")
    record = tracking.get(tag) if tag else started.find(job_id)
    if record is None or record.textract_job_id != job_id or record.status != DocumentStatus.TEXTRACT_STARTED:
        context.log.info(f"Textract job {job_id} ({status}) is not awaited by any document; ignoring it")
        return None
    return Completion(job_id=job_id, status=status, record=record)


def _from_queue(
    context: dg.SensorEvaluationContext, textract: AwsTextract, tracking: TrackingStore, cursor: CompletionCursor
) -> tuple[list[Completion], list[str]]:
    """Completions from the queue, and the receipt handles to delete next tick."""
    queue = textract.completion_queue()
    assert queue is not None
    refused = queue.delete(cursor.pending_deletes)
    if refused:
        context.log.info(f"{len(refused)} completion messages were redelivered before deletion; run keys dedupe them")
    messages = queue.receive(MAX_MESSAGES_PER_TICK)
    started = _StartedJobs(tracking)
    completions = [
        completion
        for message in messages
        if (completion := _completion_from_message(context, message, tracking, started)) is not None
    ]
    return completions, [message.receipt_handle for message in messages]


def _poll(
    textract: AwsTextract, tracking: TrackingStore, cursor: CompletionCursor, waited_at_least: timedelta
) -> tuple[list[Completion], dict[str, PollState]]:
    """Finished jobs among those waiting at least `waited_at_least`, and the next poll times."""
    now = utc_now()
    awaited = [
        record
        for record in tracking.list_documents(DocumentStatus.TEXTRACT_STARTED)
        if record.textract_job_id and now - record.updated_at >= waited_at_least
    ]
    polls: dict[str, PollState] = {}
    completions: list[Completion] = []
    budget = MAX_POLLS_PER_TICK
    for record in awaited:
        job_id = record.textract_job_id
        assert job_id is not None
        state = cursor.polls.get(job_id) or PollState(
            next_poll_at=now, interval_seconds=FIRST_POLL_INTERVAL.total_seconds()
        )
        if state.next_poll_at > now or budget == 0:
            polls[job_id] = state
            continue
        budget -= 1
        try:
            status = textract.job_status(job_id).status.value
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "InvalidJobIdException":
                raise
            # Expired or unknown: the collection run records the failure on the document.
            status = INVALID_JOB
        if status == JobStatus.IN_PROGRESS:
            interval = min(state.interval_seconds * 2, MAX_POLL_INTERVAL.total_seconds())
            polls[job_id] = PollState(
                next_poll_at=now + timedelta(seconds=state.interval_seconds), interval_seconds=interval
            )
        else:
            completions.append(Completion(job_id=job_id, status=status, record=record))
    return completions, polls


@dg.sensor(
    job=collect_textract_results,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests the collection run for each finished Textract job (SNS -> SQS, or polling).",
)
def textract_completion_sensor(
    context: dg.SensorEvaluationContext, textract: AwsTextract, tracking: TrackingStore
) -> dg.SensorResult:
    cursor = CompletionCursor.parse(context.cursor)
    completions: dict[str, Completion] = {}
    pending_deletes: list[str] = []
    if textract.completion_queue_url:
        from_queue, pending_deletes = _from_queue(context, textract, tracking, cursor)
        completions.update((completion.job_id, completion) for completion in from_queue)
    waited = SAFETY_NET_AFTER if textract.completion_queue_url else timedelta(0)
    polled, polls = _poll(textract, tracking, cursor, waited)
    for completion in polled:
        completions.setdefault(completion.job_id, completion)
    return dg.SensorResult(
        run_requests=[completion_run_request(completion) for completion in completions.values()],
        cursor=CompletionCursor(pending_deletes=pending_deletes, polls=polls).model_dump_json(),
    )
