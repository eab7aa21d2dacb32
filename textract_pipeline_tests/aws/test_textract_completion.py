"""textract_completion_sensor: SNS -> SQS completions, and polling with backoff without a queue."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from textract_pipeline.records import DocumentStatus, utc_now
from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.resources.textract import AnalysisRequest
from textract_pipeline.sensors.textract_completion import (
    FIRST_POLL_INTERVAL,
    CompletionCursor,
    collect_textract_results,
    textract_completion_sensor,
)
from textract_pipeline_tests.aws.conftest import BUCKET, REGION


def tick(textract, tracking, cursor=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"textract": textract, "tracking": tracking})
    return textract_completion_sensor(context)


def start_document(textract: AwsTextract, tracking, document_id: str, key: str) -> str:
    tracking.register_upload(document_id, StoredObject(key=key, version="e1", size=1, last_modified=utc_now()))
    tracking.start_attempt(document_id, "run-1")
    job = textract.start_analysis(
        AnalysisRequest(document_id=document_id, object_key=key, content_hash=document_id.ljust(64, "0"), content=b"")
    )
    tracking.set_status(document_id, "run-1", DocumentStatus.TEXTRACT_STARTED, textract_job_id=job.job_id)
    return job.job_id


def test_queued_completion_requests_one_collection_run(
    aws_textract, dynamo_tracking, scripted_textract, completion_channel
):
    _, queue = completion_channel
    job_id = start_document(aws_textract, dynamo_tracking, "deed-1", "incoming/deed.tif")
    other_job = start_document(aws_textract, dynamo_tracking, "quit-2", "incoming/quit.tif")
    assert tick(aws_textract, dynamo_tracking).run_requests == []  # nothing finished yet

    scripted_textract.finish(job_id)
    queue.send({"JobId": "stale-job", "Status": "SUCCEEDED", "JobTag": "deed-1"})  # an older job of the document
    queue.send({"JobId": other_job, "Status": "FAILED"})  # raw delivery, no JobTag
    first = tick(aws_textract, dynamo_tracking)

    assert {(r.partition_key, r.run_key) for r in first.run_requests} == {
        ("deed-1", f"textract:{job_id}:SUCCEEDED"),
        ("quit-2", f"textract:{other_job}:FAILED"),
    }
    request = next(r for r in first.run_requests if r.partition_key == "deed-1")
    assert request.tags["textract_pipeline/textract_job_id"] == job_id
    assert request.tags["textract_pipeline/object_key"] == "incoming/deed.tif"
    assert queue.in_flight() == 3 and queue.visible() == 0

    second = tick(aws_textract, dynamo_tracking, first.cursor)
    assert second.run_requests == [] and queue.in_flight() == 0
    assert CompletionCursor.parse(second.cursor).pending_deletes == []


def test_collection_job_runs_textract_raw_and_everything_after_it(tmp_path):
    from textract_pipeline.definitions import build_definitions
    from textract_pipeline.settings import Settings

    environment = {"TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path), "TEXTRACT_PIPELINE_OCR": "textract"}
    defs = build_definitions(Settings.from_environ({**environment, "TEXTRACT_PIPELINE_BUCKET": "documents"}))
    job = defs.resolve_job_def(collect_textract_results.name)
    keys = {key.to_user_string() for key in job.asset_layer.selected_asset_keys}
    assert keys == {
        "textract_raw",
        "v1_schema",
        "v2_dynamic",
        "schema_extensions_report",
        "v2_summary_report",
        "document_result",
    }
    assert textract_completion_sensor in defs.sensors
    local = build_definitions(Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path)}))
    assert textract_completion_sensor not in local.sensors, "the local engine finishes its jobs inside the run"


def test_polling_respects_the_next_poll_time_and_backs_off(dynamo_tracking, scripted_textract):
    textract = AwsTextract(bucket=BUCKET, region_name=REGION)
    job_id = start_document(textract, dynamo_tracking, "deed-1", "incoming/deed.tif")
    scripted_textract.get_requests.clear()

    first = tick(textract, dynamo_tracking)
    assert first.run_requests == []
    assert [call["MaxResults"] for call in scripted_textract.get_requests] == [1]
    state = CompletionCursor.parse(first.cursor).polls[job_id]
    assert state.next_poll_at > utc_now() and state.interval_seconds == 2 * FIRST_POLL_INTERVAL.total_seconds()

    scripted_textract.get_requests.clear()
    scripted_textract.finish(job_id)
    early = tick(textract, dynamo_tracking, first.cursor)
    assert early.run_requests == [] and scripted_textract.get_requests == []  # not due yet

    due = CompletionCursor.parse(early.cursor)
    due.polls[job_id].next_poll_at = utc_now() - timedelta(seconds=1)
    done = tick(textract, dynamo_tracking, due.model_dump_json())
    assert [(r.partition_key, r.run_key) for r in done.run_requests] == [("deed-1", f"textract:{job_id}:SUCCEEDED")]
    assert CompletionCursor.parse(done.cursor).polls == {}


def test_an_unknown_job_still_gets_a_collection_run_that_can_fail_the_document(dynamo_tracking, scripted_textract):
    textract = AwsTextract(bucket=BUCKET, region_name=REGION)
    start_document(textract, dynamo_tracking, "deed-1", "incoming/deed.tif")
    dynamo_tracking.set_status("deed-1", "run-1", DocumentStatus.TEXTRACT_STARTED, textract_job_id="expired-job")
    result = tick(textract, dynamo_tracking)
    assert [r.run_key for r in result.run_requests] == ["textract:expired-job:INVALID_JOB"]
