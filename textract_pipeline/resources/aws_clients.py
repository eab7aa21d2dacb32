"""boto3 clients shared by the AWS resources, and the SQS queue reader their sensors use.

Every client retries in botocore's adaptive mode (exponential backoff with jitter plus
client-side rate limiting on throttling), so a burst of documents slows down instead of
failing against the Textract, Bedrock or DynamoDB quotas.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

import boto3
from botocore.config import Config
from pydantic import BaseModel

SQS_MAX_BATCH = 10

_session: boto3.session.Session | None = None
_session_lock = threading.Lock()


def make_client(
    service: str, region_name: str | None, endpoint_url: str | None, max_attempts: int, **config: Any
) -> Any:
    """A client with adaptive retries; resources build one per instance, never one per call.

    Clients come from one boto3 session per process, so service models are parsed once (a
    fresh session re-reads them: ~0.2 s per client); sessions are not thread-safe, clients are.
    """
    global _session
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client(
            service,
            region_name=region_name or None,
            endpoint_url=endpoint_url or None,
            config=Config(retries={"mode": "adaptive", "max_attempts": max_attempts}, **config),
        )


class QueueMessage(BaseModel):
    message_id: str
    receipt_handle: str
    body: dict[str, Any] | None


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
