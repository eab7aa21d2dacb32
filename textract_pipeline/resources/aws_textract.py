"""Amazon Textract: async StartDocumentAnalysis, completion through SNS -> SQS, paginated results."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field, PrivateAttr

from textract_pipeline.resources.aws_clients import AdaptiveBoto3Resource, SqsQueue
from textract_pipeline.resources.textract import (
    AWS_TEXTRACT_ENGINE,
    AnalysisRequest,
    JobStatus,
    TextractJob,
    TextractService,
)

FEATURE_TYPES = ["TABLES", "FORMS", "LAYOUT"]
# Keys of a GetDocumentAnalysis page that describe the call, not the document.
_PER_CALL_KEYS = {"NextToken", "ResponseMetadata", "Blocks", "Warnings", "JobStatus", "StatusMessage"}


def client_request_token(content_hash: str, bucket: str, object_key: str) -> str:
    """Idempotency token: a retried start for the same bytes at the same place returns the same JobId.

    The location is part of it because Textract refuses a reused token with other parameters
    (IdempotentParameterMismatchException); identical bytes under two keys share the
    content-hash cache in textract_raw instead.
    """
    return hashlib.sha256(f"{content_hash}\n{bucket}\n{object_key}".encode()).hexdigest()[:64]


def merge_pages(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """One AnalyzeDocument-shaped response from all GetDocumentAnalysis pages."""
    merged: dict[str, Any] = {key: value for key, value in pages[0].items() if key not in _PER_CALL_KEYS}
    merged["Blocks"] = [block for page in pages for block in page.get("Blocks", [])]
    warnings: list[dict[str, Any]] = []
    for page in pages:  # pages may repeat the job's warnings
        warnings.extend(warning for warning in page.get("Warnings", []) if warning not in warnings)
    if warnings:
        merged["Warnings"] = warnings
    return merged


class AwsTextract(TextractService, AdaptiveBoto3Resource):
    """StartDocumentAnalysis on the object in the document store's bucket.

    With a topic and role, Textract announces completion on SNS; the queue subscribed to the
    topic is read by `textract_completion_sensor`, which polls GetDocumentAnalysis instead
    when no queue is configured.
    """

    bucket: str = Field(description="Bucket the documents are in (Textract reads them from S3, in its region).")
    sns_topic_arn: str | None = Field(default=None, description="SNS topic Textract publishes completions to.")
    role_arn: str | None = Field(default=None, description="IAM role Textract assumes to publish to the topic.")
    completion_queue_url: str | None = Field(
        default=None, description="SQS queue subscribed to the topic; empty: the sensor polls instead."
    )
    queue_visibility_timeout: int = Field(
        default=300, description="Seconds a received completion stays hidden; longer than a sensor tick."
    )
    queue_wait_seconds: int = Field(default=1, description="SQS long-poll wait per receive call.")
    page_size: int = Field(default=1000, description="MaxResults per GetDocumentAnalysis call (Textract max 1000).")

    _textract: Any = PrivateAttr(default=None)
    _sqs: Any = PrivateAttr(default=None)

    @property
    def engine_name(self) -> str:
        return AWS_TEXTRACT_ENGINE

    @property
    def textract(self) -> Any:
        if self._textract is None:
            self._textract = self.boto3_client("textract")
        return self._textract

    def completion_queue(self) -> SqsQueue | None:
        if not self.completion_queue_url:
            return None
        if self._sqs is None:
            self._sqs = self.boto3_client("sqs")
        return SqsQueue(self._sqs, self.completion_queue_url, self.queue_visibility_timeout, self.queue_wait_seconds)

    def start_analysis(self, request: AnalysisRequest) -> TextractJob:
        arguments: dict[str, Any] = {
            "DocumentLocation": {"S3Object": {"Bucket": self.bucket, "Name": request.object_key}},
            "FeatureTypes": FEATURE_TYPES,
            "ClientRequestToken": client_request_token(request.content_hash, self.bucket, request.object_key),
            "JobTag": request.document_id[:64],
        }
        if self.sns_topic_arn and self.role_arn:
            arguments["NotificationChannel"] = {"SNSTopicArn": self.sns_topic_arn, "RoleArn": self.role_arn}
        job_id = self.textract.start_document_analysis(**arguments)["JobId"]
        # A token Textract has seen returns the earlier job, which may be finished and its
        # notification long gone (a retried run): then the result is collected right here.
        return self.get_analysis(TextractJob(job_id=job_id, status=JobStatus.IN_PROGRESS))

    def job_status(self, job_id: str) -> TextractJob:
        """The job's state from one small call (MaxResults=1): what the polling sensor needs."""
        page = self.textract.get_document_analysis(JobId=job_id, MaxResults=1)
        return TextractJob(job_id=job_id, status=JobStatus(page["JobStatus"]), status_message=page.get("StatusMessage"))

    def get_analysis(self, job: TextractJob) -> TextractJob:
        """Read every page (to the last NextToken) and merge them; FAILED keeps Textract's message."""
        if job.finished:
            return job
        pages: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {"JobId": job.job_id, "MaxResults": self.page_size}
        while True:
            page = self.textract.get_document_analysis(**arguments)
            status = JobStatus(page["JobStatus"])
            if status in (JobStatus.IN_PROGRESS, JobStatus.FAILED):
                return TextractJob(job_id=job.job_id, status=status, status_message=page.get("StatusMessage"))
            pages.append(page)
            if not page.get("NextToken"):
                break
            arguments["NextToken"] = page["NextToken"]
        merged = merge_pages(pages)
        message = pages[0].get("StatusMessage")
        if status == JobStatus.PARTIAL_SUCCESS:
            details = "; ".join(
                f"pages {warning.get('Pages')}: {warning.get('ErrorCode')}" for warning in merged.get("Warnings", [])
            )
            message = "; ".join(part for part in (message, details) if part) or None
        return TextractJob(job_id=job.job_id, status=status, status_message=message, response=merged)
