"""boto3 clients shared by the AWS resources, and the SQS queue reader their sensors use.

Every client retries in botocore's adaptive mode (exponential backoff with jitter plus
client-side rate limiting on throttling), so a burst of documents slows down instead of
failing against the Textract, Bedrock or DynamoDB quotas. The resources take their AWS
settings (region, endpoint, profile, credentials, retries) from dagster-aws's
``ResourceWithBoto3Configuration``; ``AdaptiveBoto3Resource`` adds the adaptive retry mode.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterable
from typing import Any, Literal

import boto3
from botocore.config import Config
from dagster_aws.utils import ResourceWithBoto3Configuration
from pydantic import Field

from textract_pipeline.resources.document_store import QueueMessage

SQS_MAX_BATCH = 10

_session_lock = threading.Lock()


@functools.cache
def _session(
    profile_name: str | None, access_key_id: str | None, secret_access_key: str | None, session_token: str | None
) -> boto3.session.Session:
    """One session per identity and process: a fresh session re-parses the service models (~0.2 s a client)."""
    return boto3.session.Session(
        profile_name=profile_name,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        aws_session_token=session_token,
    )


def _connect(kind: Literal["client", "resource"], settings: Any, service: str, **config: Any) -> Any:
    """A boto3 client or service resource with a dagster-aws resource's AWS settings and adaptive retries.

    Build one per resource, not per call. Sessions are not thread-safe, clients are: creation
    is serialised, calls are not. `verify=True` is passed as botocore's default (None), which
    verifies too but still honours a CA bundle named by AWS_CA_BUNDLE or the AWS config file.
    """
    with _session_lock:
        session = _session(
            settings.profile_name,
            settings.aws_access_key_id,
            settings.aws_secret_access_key,
            settings.aws_session_token,
        )
        connect = session.client if kind == "client" else session.resource
        return connect(
            service,
            region_name=settings.region_name or None,
            endpoint_url=settings.endpoint_url or None,
            use_ssl=settings.use_ssl,
            verify=None if settings.verify is True else settings.verify,
            config=Config(retries={"mode": "adaptive", "max_attempts": settings.max_attempts}, **config),
        )


def resource_client(settings: Any, service: str, **config: Any) -> Any:
    """A client for `service` with a dagster-aws resource's AWS settings (its boto3 or S3 configuration)."""
    return _connect("client", settings, service, **config)


class AdaptiveBoto3Resource(ResourceWithBoto3Configuration):
    """dagster-aws's boto3 settings, with clients that retry in botocore's adaptive mode."""

    max_attempts: int = Field(
        default=8,
        description="Retries after the first try (botocore retries.max_attempts, adaptive mode), as dagster-aws passes it.",
    )

    def boto3_client(self, service: str, **config: Any) -> Any:
        """A new client for `service` with this resource's settings; `config` adds botocore Config options."""
        return resource_client(self, service, **config)

    def boto3_resource(self, service: str, **config: Any) -> Any:
        """A new boto3 service resource (its own client) for `service` with this resource's settings."""
        return _connect("resource", self, service, **config)


def unwrap_sns(body: dict[str, Any]) -> dict[str, Any] | None:
    """The payload of an SQS message, whether SNS wrapped it (the default) or delivered it raw."""
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        try:
            inner = json.loads(body["Message"])
        except json.JSONDecodeError:
            return None
        return inner if isinstance(inner, dict) else None
    return body


class SqsQueue:
    """Receive and delete in batches; deletion is left to the caller so it can wait for a commit."""

    def __init__(self, client: Any, queue_url: str, visibility_timeout: int, wait_seconds: int) -> None:
        self._client = client
        self.queue_url = queue_url
        self._visibility_timeout = visibility_timeout
        self._wait_seconds = wait_seconds

    def receive(self, max_messages: int) -> list[QueueMessage]:
        """Up to `max_messages`, stopping at the first empty receive (the queue is drained)."""
        messages: list[QueueMessage] = []
        while len(messages) < max_messages:
            response = self._client.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(SQS_MAX_BATCH, max_messages - len(messages)),
                VisibilityTimeout=self._visibility_timeout,
                WaitTimeSeconds=self._wait_seconds,
            )
            batch = response.get("Messages", [])
            if not batch:
                break
            for raw in batch:
                try:
                    body = json.loads(raw["Body"])
                except json.JSONDecodeError:
                    body = None
                messages.append(
                    QueueMessage(
                        message_id=raw["MessageId"],
                        receipt_handle=raw["ReceiptHandle"],
                        body=unwrap_sns(body) if isinstance(body, dict) else None,
                    )
                )
        return messages

    def delete(self, receipt_handles: Iterable[str]) -> list[str]:
        """Delete in batches of ten; returns the handles SQS refused (expired, already deleted)."""
        handles = list(receipt_handles)
        refused: list[str] = []
        for start in range(0, len(handles), SQS_MAX_BATCH):
            chunk = handles[start : start + SQS_MAX_BATCH]
            response = self._client.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(index), "ReceiptHandle": handle} for index, handle in enumerate(chunk)],
            )
            refused.extend(chunk[int(failure["Id"])] for failure in response.get("Failed", []))
        return refused
