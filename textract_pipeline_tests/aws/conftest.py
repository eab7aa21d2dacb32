"""moto-backed AWS for the AWS resources, plus a scripted Textract behind moto's HTTP layer.

moto's Textract ignores ClientRequestToken, JobTag and NotificationChannel, finishes every job
at once and never paginates; `ScriptedTextract` replaces its two document-analysis handlers
so the real botocore client talks to a service that does all of that with a real response.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.textract.exceptions import InvalidJobIdException
from moto.textract.responses import TextractResponse

from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.dynamodb_tracking import DynamoDbTrackingStore
from textract_pipeline.resources.s3_store import S3DocumentStore

FIXTURES = Path(__file__).parent.parent / "fixtures"
REGION = "us-east-1"
BUCKET = "textract-pipeline-test"
TEXTRACT_ROLE_ARN = "arn:aws:iam::123456789012:role/textract-sns-publish"


@pytest.fixture(scope="module")
def moto_module() -> Iterator[None]:
    """One moto mock per test module: starting it registers ~1,500 URL callbacks each time."""
    with mock_aws():
        yield


@pytest.fixture(autouse=True)
def aws(moto_module: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region, and empty moto backends; nothing leaves the process."""
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL") or name in {"AWS_PROFILE", "AWS_CONFIG_FILE"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    BackendDict.reset()


@pytest.fixture
def s3_store() -> S3DocumentStore:
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    return S3DocumentStore(bucket=BUCKET, region_name=REGION)


@pytest.fixture
def dynamo_tracking() -> DynamoDbTrackingStore:
    store = DynamoDbTrackingStore(region_name=REGION)
    store.create_tables()
    return store


def real_response(name: str = "form.png") -> dict[str, Any]:
    """A response real Amazon Textract returned (see fixtures/SOURCE.md)."""
    return json.loads((FIXTURES / f"{name}.textract.json").read_text())


class Queue:
    def __init__(self, url: str) -> None:
        self.url = url
        self.client = boto3.client("sqs", region_name=REGION)

    def visible(self) -> int:
        attributes = self.client.get_queue_attributes(QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    def in_flight(self) -> int:
        attributes = self.client.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
        )
        return int(attributes["Attributes"]["ApproximateNumberOfMessagesNotVisible"])

    def send(self, body: dict[str, Any]) -> None:
        self.client.send_message(QueueUrl=self.url, MessageBody=json.dumps(body))


@pytest.fixture
def completion_channel() -> tuple[str, Queue]:
    """The Textract SNS topic and the SQS queue subscribed to it (SNS-wrapped delivery)."""
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic_arn = sns.create_topic(Name="textract-completions")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="textract-completions")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    return topic_arn, Queue(queue_url)


@pytest.fixture
def uploads_queue() -> Queue:
    sqs = boto3.client("sqs", region_name=REGION)
    return Queue(sqs.create_queue(QueueName="textract-uploads")["QueueUrl"])


class ScriptedTextract:
    """Async document analysis as the real service behaves, over one saved real response."""

    def __init__(self, response: dict[str, Any], page_size: int) -> None:
        self.response = response
        self.page_size = page_size
        self.jobs: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}
        self.start_requests: list[dict[str, Any]] = []
        self.get_requests: list[dict[str, Any]] = []
        self.fail_next: str | None = None

    def start(self, request: dict[str, Any]) -> str:
        self.start_requests.append(request)
        token = request.get("ClientRequestToken")
        if token and token in self.tokens:
            return self.tokens[token]
        job_id = uuid.uuid4().hex
        self.jobs[job_id] = {"status": "IN_PROGRESS", "request": request, "message": None, "warnings": []}
        if self.fail_next:
            self.jobs[job_id].update(status="FAILED", message=self.fail_next)
            self.fail_next = None
        if token:
            self.tokens[token] = job_id
        return job_id

    def get(self, request: dict[str, Any]) -> dict[str, Any]:
        self.get_requests.append(request)
        job = self.jobs.get(request["JobId"])
        if job is None:
            raise InvalidJobIdException()
        page: dict[str, Any] = {"JobStatus": job["status"]}
        if job["message"]:
            page["StatusMessage"] = job["message"]
        if job["status"] in ("IN_PROGRESS", "FAILED"):
            return page
        start = int(request.get("NextToken") or 0)
        size = min(self.page_size, request.get("MaxResults") or 1000)
        blocks = self.response["Blocks"]
        page.update(
            DocumentMetadata=self.response["DocumentMetadata"],
            AnalyzeDocumentModelVersion=self.response.get("AnalyzeDocumentModelVersion", "1.0"),
            Blocks=blocks[start : start + size],
        )
        if start == 0 and job["warnings"]:
            page["Warnings"] = job["warnings"]
        if start + size < len(blocks):
            page["NextToken"] = str(start + size)
        return page

    def finish(
        self, job_id: str, status: str = "SUCCEEDED", message: str | None = None, warnings: list | None = None
    ) -> None:
        """End the job and, as Textract does, publish the completion to its notification topic."""
        job = self.jobs[job_id]
        job.update(status=status, message=message, warnings=warnings or [])
        channel = job["request"].get("NotificationChannel")
        if channel:
            notification = {
                "JobId": job_id,
                "Status": status,
                "API": "StartDocumentAnalysis",
                "JobTag": job["request"].get("JobTag", ""),
                "Timestamp": 1763769600000,
                "DocumentLocation": {
                    "S3ObjectName": job["request"]["DocumentLocation"]["S3Object"]["Name"],
                    "S3Bucket": job["request"]["DocumentLocation"]["S3Object"]["Bucket"],
                },
            }
            boto3.client("sns", region_name=REGION).publish(
                TopicArn=channel["SNSTopicArn"], Message=json.dumps(notification)
            )


@pytest.fixture
def scripted_textract(monkeypatch: pytest.MonkeyPatch) -> ScriptedTextract:
    """Pages of 300 blocks, so the 890-block fixture needs three GetDocumentAnalysis calls."""
    script = ScriptedTextract(real_response("form.png"), page_size=300)
    monkeypatch.setattr(
        TextractResponse,
        "start_document_analysis",
        lambda self: json.dumps({"JobId": script.start(json.loads(self.body))}),
    )
    monkeypatch.setattr(
        TextractResponse, "get_document_analysis", lambda self: json.dumps(script.get(json.loads(self.body)))
    )
    return script


@pytest.fixture
def aws_textract(scripted_textract: ScriptedTextract, completion_channel: tuple[str, Queue]) -> AwsTextract:
    topic_arn, queue = completion_channel
    return AwsTextract(
        bucket=BUCKET,
        region_name=REGION,
        sns_topic_arn=topic_arn,
        role_arn=TEXTRACT_ROLE_ARN,
        completion_queue_url=queue.url,
        queue_wait_seconds=0,
    )
