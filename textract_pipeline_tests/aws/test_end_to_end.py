"""AWS mode end to end on moto: upload -> sensor -> run -> async Textract -> completion -> collection run."""

from __future__ import annotations

import json

import boto3
import dagster as dg
import pytest

from textract_pipeline.definitions import build_definitions
from textract_pipeline.documents import documents_partitions
from textract_pipeline.io_manager import STATE_PREFIX
from textract_pipeline.outputs import OUTPUT_EXTENSIONS
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.dynamodb_tracking import DynamoDbTrackingStore
from textract_pipeline.resources.extractor import DeterministicExtractorResource
from textract_pipeline.resources.s3_store import S3DocumentStore
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.textract_completion import collect_textract_results, textract_completion_sensor
from textract_pipeline.settings import Settings
from textract_pipeline_tests.aws.conftest import BUCKET, REGION, TEXTRACT_ROLE_ARN


@pytest.fixture
def instance():
    """In-memory run and event storage: the test checks the pipeline, not Dagster's storage."""
    return dg.DagsterInstance.ephemeral()


def sensor_context(resources, *keys):
    """The sensor's own resources, as the daemon would hand them over."""
    return dg.build_sensor_context(resources={key: resources[key] for key in keys})


@pytest.fixture
def aws_definitions(tmp_path, s3_store, completion_channel) -> dg.Definitions:
    """The code location as `TEXTRACT_PIPELINE_PROFILE=aws` builds it, on moto."""
    topic_arn, completion_queue = completion_channel
    settings = Settings.from_environ(
        {
            "TEXTRACT_PIPELINE_PROFILE": "aws",
            "TEXTRACT_PIPELINE_EXTRACTOR": "deterministic",
            "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path),
            "TEXTRACT_PIPELINE_BUCKET": BUCKET,
            "TEXTRACT_PIPELINE_AWS_REGION": REGION,
            "TEXTRACT_PIPELINE_TEXTRACT_SNS_TOPIC_ARN": topic_arn,
            "TEXTRACT_PIPELINE_TEXTRACT_ROLE_ARN": TEXTRACT_ROLE_ARN,
            "TEXTRACT_PIPELINE_TEXTRACT_COMPLETION_QUEUE_URL": completion_queue.url,
        }
    )
    defs = build_definitions(settings)
    assert isinstance(defs.resources["document_store"], S3DocumentStore)
    assert isinstance(defs.resources["textract"], AwsTextract)
    assert isinstance(defs.resources["extractor"], DeterministicExtractorResource)
    assert isinstance(defs.resources["tracking"], DynamoDbTrackingStore)
    defs.resources["tracking"].create_tables()
    return defs


def sense_upload(defs: dg.Definitions, instance: dg.DagsterInstance) -> dg.RunRequest:
    sensed = incoming_documents_sensor(sensor_context(defs.resources, "document_store", "tracking", "run_batching"))
    [request] = sensed.run_requests
    instance.add_dynamic_partitions(documents_partitions.name, sensed.dynamic_partitions_requests[0].partition_keys)
    return request


def test_upload_to_results_in_aws_mode(aws_definitions, scripted_textract, instance, make_tiff, monkeypatch):
    defs = aws_definitions
    heads = []
    head = S3DocumentStore.head
    monkeypatch.setattr(S3DocumentStore, "head", lambda store, key: heads.append(key) or head(store, key))
    resources = defs.resources
    tracking = resources["tracking"]

    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="incoming/2026/grant deed 17.tif", Body=make_tiff(pages=1))

    # 1. The upload sensor registers the object and requests a run for its new partition.
    request = sense_upload(defs, instance)
    document_id = request.partition_key

    # 2. The run starts the Textract job; textract_raw ends without output, so nothing after it runs.
    first = defs.resolve_job_def("process_documents").execute_in_process(
        partition_key=document_id, instance=instance, tags=request.tags
    )
    assert first.success
    materialized = {event.asset_key.to_user_string() for event in first.get_asset_materialization_events()}
    assert materialized == {"source_document"}
    record = tracking.get(document_id)
    assert record.status == DocumentStatus.TEXTRACT_STARTED and record.textract_job_id
    [start] = scripted_textract.start_requests
    assert start["JobTag"] == document_id
    assert start["DocumentLocation"]["S3Object"]["Name"] == "incoming/2026/grant deed 17.tif"

    # 3. Textract finishes and publishes on SNS; the completion sensor requests the collection run.
    assert textract_completion_sensor(sensor_context(resources, "textract", "tracking")).run_requests == []
    scripted_textract.finish(record.textract_job_id)
    completed = textract_completion_sensor(sensor_context(resources, "textract", "tracking"))
    [collect] = completed.run_requests
    assert (collect.partition_key, collect.run_key) == (document_id, f"textract:{record.textract_job_id}:SUCCEEDED")

    # 4. The collection run reads all result pages, extracts, reports and records the result.
    second = defs.resolve_job_def(collect_textract_results.name).execute_in_process(
        partition_key=document_id, instance=instance, tags=collect.tags
    )
    assert second.success
    assert {event.asset_key.to_user_string() for event in second.get_asset_materialization_events()} == {
        "textract_raw",
        "v1_schema",
        "v2_dynamic",
        "schema_extensions_report",
        "v2_summary_report",
        "document_result",
    }
    assert len(scripted_textract.get_requests) >= 3  # the 890 blocks came in pages of 300
    # Each step read its inputs' manifests with one GET apiece, no HEAD before it.
    assert [key for key in heads if key.startswith(STATE_PREFIX)] == []

    record = tracking.get(document_id)
    assert record.status == DocumentStatus.COMPLETED
    processed = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="processed/")["Contents"]}
    outputs = {kind: record.outputs[kind] for kind in OUTPUT_EXTENSIONS}
    assert set(outputs.values()) == processed  # V1, V2, the raw response and both reports
    for kind, key in outputs.items():
        assert key.startswith("processed/") and f"/grant deed 17_{kind}_" in key
        assert key.endswith("." + OUTPUT_EXTENSIONS[kind])
    raw = json.loads(s3.get_object(Bucket=BUCKET, Key=outputs["textract_raw"])["Body"].read())
    assert len(raw["Blocks"]) == 890 and "NextToken" not in raw
    v1 = json.loads(s3.get_object(Bucket=BUCKET, Key=outputs["v1_schema"])["Body"].read())
    assert v1["source"]["document_id"] == document_id

    # 5. The result is queryable through every index of textract-processing-results.
    [result] = tracking.query_results(object_key="incoming/2026/grant deed 17.tif")
    assert result.document_id == document_id and result.v1_inline is not None
    for query in (
        {"upload_date": result.upload_date},
        {"status": DocumentStatus.COMPLETED},
        {"document_type": result.document_type},
    ):
        assert [r.processing_id for r in tracking.query_results(**query)] == [result.processing_id]


def test_a_failed_textract_job_fails_the_document_with_the_service_message(
    aws_definitions, scripted_textract, instance, make_tiff
):
    defs = aws_definitions
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="incoming/unreadable.pdf", Body=make_tiff())
    request = sense_upload(defs, instance)
    scripted_textract.fail_next = "UNSUPPORTED_DOCUMENT: Request has unsupported document format"

    run = defs.resolve_job_def("process_documents").execute_in_process(
        partition_key=request.partition_key, instance=instance, tags=request.tags, raise_on_error=False
    )

    assert not run.success
    record = defs.resources["tracking"].get(request.partition_key)
    assert record.status == DocumentStatus.FAILED
    assert "UNSUPPORTED_DOCUMENT: Request has unsupported document format" in record.reason
    copy = s3.get_object(Bucket=BUCKET, Key=record.outputs["failed_copy"])["Body"].read()
    assert copy == s3.get_object(Bucket=BUCKET, Key="incoming/unreadable.pdf")["Body"].read()
    log = json.loads(s3.get_object(Bucket=BUCKET, Key=record.outputs["error_log"])["Body"].read())
    assert log["step"] == "textract_raw" and "UNSUPPORTED_DOCUMENT" in log["reason"]
