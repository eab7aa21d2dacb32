"""Tracking on DynamoDB: `textract-processing-tracking` and `textract-processing-results`.

Every status write is one UpdateItem whose ConditionExpression carries the rules of
`SqliteTrackingStore`: the writer's attempt must be the current one and the current status
must be one `records.transition_allowed` lets move to the new one. History and outputs are
appended in the same expression (list_append, SET outputs.<name>), so no write needs a
read first and two runs can never interleave a read-modify-write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import Field, PrivateAttr
from pydantic_core import to_jsonable_python

from textract_pipeline.records import (
    DocumentRecord,
    DocumentStatus,
    ResultRecord,
    transition_allowed,
    utc_now,
)
from textract_pipeline.resources.aws_clients import make_client
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.resources.tracking import TrackingStore, _history_entry

TRACKING_TTL = timedelta(days=30)
TTL_ATTRIBUTE = "ttl"
# DynamoDB refuses items over 400 KB; the full V1 record stays inline only below this.
MAX_ITEM_BYTES = 400 * 1024 - 8 * 1024
TRANSACTION_ATTEMPTS = 5

# Index names shared with deploy/aws (CloudFormation): change both together.
TRACKING_INDEXES = {"objectKey-index": ("objectKey", None), "status-index": ("status", "updatedAt")}
RESULTS_INDEXES = {
    "s3Key-index": ("s3Key", "timestamp"),
    "uploadDate-index": ("uploadDate", "timestamp"),
    "status-index": ("status", "timestamp"),
    "documentType-index": ("documentType", "timestamp"),
}
# Results attributes whose names differ from the camelCase of the record field.
_RESULT_RENAMES = {"object_key": "s3Key", "v1_inline": "v1Record"}

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _dynamo_value(value: Any) -> Any:
    """JSON-able python with Decimal numbers: what DynamoDB's type serializer accepts."""
    return json.loads(json.dumps(to_jsonable_python(value)), parse_float=Decimal)


def _python_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_python_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _python_value(item) for key, item in value.items()}
    return value


def _serialize(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(_dynamo_value(value)) for name, value in attributes.items()}


def _deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _python_value(_deserializer.deserialize(value)) for name, value in item.items()}


def _is_condition_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class _Expression:
    """Builds Update/Condition expressions with a placeholder for every name and value.

    Placeholders everywhere sidestep DynamoDB's reserved words (status, size, timestamp, ttl…).
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.sets: list[str] = []
        self.removes: list[str] = []

    def name(self, path: str) -> str:
        placeholders = []
        for part in path.split("."):
            placeholder = f"#n{len(self.names)}"
            self.names[placeholder] = part
            placeholders.append(placeholder)
        return ".".join(placeholders)

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = _serializer.serialize(_dynamo_value(value))
        return placeholder

    def set(self, attribute: str, value: Any) -> None:
        if value is None:
            self.removes.append(self.name(attribute))
        else:
            self.sets.append(f"{self.name(attribute)} = {self.value(value)}")

    def append_history(self, entry: dict[str, Any]) -> None:
        history = self.name("history")
        self.sets.append(f"{history} = list_append(if_not_exists({history}, {self.value([])}), {self.value([entry])})")

    def update_expression(self) -> str:
        clauses = []
        if self.sets:
            clauses.append("SET " + ", ".join(self.sets))
        if self.removes:
            clauses.append("REMOVE " + ", ".join(self.removes))
        return " ".join(clauses)

    def arguments(self, condition: str) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "UpdateExpression": self.update_expression(),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": self.names,
        }
        if self.values:
            arguments["ExpressionAttributeValues"] = self.values
        return arguments


class DynamoDbTrackingStore(TrackingStore):
    """The tracking record model on two DynamoDB tables (names match deploy/aws)."""

    tracking_table: str = Field(default="textract-processing-tracking", description="Status lifecycle table.")
    results_table: str = Field(default="textract-processing-results", description="Queryable results table.")
    region_name: str | None = Field(default=None, description="AWS region; default: the boto3 chain.")
    endpoint_url: str | None = Field(default=None, description="DynamoDB endpoint (DynamoDB Local, LocalStack).")
    max_attempts: int = Field(
        default=8, description="Retries after the first try (botocore adaptive mode, max_attempts)."
    )

    _dynamodb: Any = PrivateAttr(default=None)

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = make_client("dynamodb", self.region_name, self.endpoint_url, self.max_attempts)
        return self._dynamodb

    # -- tracking table ---------------------------------------------------------------

    @staticmethod
    def _record_from_item(item: dict[str, Any]) -> DocumentRecord:
        values = _deserialize(item)
        values.pop(TTL_ATTRIBUTE, None)
        return DocumentRecord.model_validate({_snake(name): value for name, value in values.items()})

    @staticmethod
    def _stamp(expression: _Expression) -> None:
        now = utc_now()
        expression.set("updatedAt", now)
        expression.set(TTL_ATTRIBUTE, int((now + TRACKING_TTL).timestamp()))

    def _update(self, document_id: str, expression: _Expression, condition: str) -> DocumentRecord:
        response = self.dynamodb.update_item(
            TableName=self.tracking_table,
            Key={"documentId": {"S": document_id}},
            ReturnValues="ALL_NEW",
            **expression.arguments(condition),
        )
        return self._record_from_item(response["Attributes"])

    def register_upload(self, document_id: str, stored: StoredObject) -> DocumentRecord:
        expression = _Expression()
        cleared = DocumentRecord(
            document_id=document_id, object_key=stored.key, version=stored.version, size=stored.size
        )
        for field, value in cleared.model_dump(exclude={"document_id", "history", "updated_at"}).items():
            expression.set(_camel(field), value)
        expression.append_history(_history_entry(DocumentStatus.RECEIVED, None, None))
        self._stamp(expression)
        condition = (
            f"attribute_not_exists({expression.name('documentId')})"
            f" OR {expression.name('version')} <> {expression.value(stored.version)}"
        )
        try:
            return self._update(document_id, expression, condition)
        except ClientError as error:
            if not _is_condition_failure(error):
                raise
        existing = self.get(document_id)
        if existing is None:
            raise RuntimeError(f"document {document_id!r} vanished while it was being registered")
        return existing

    def get(self, document_id: str) -> DocumentRecord | None:
        response = self.dynamodb.get_item(
            TableName=self.tracking_table, Key={"documentId": {"S": document_id}}, ConsistentRead=True
        )
        return self._record_from_item(response["Item"]) if "Item" in response else None

    def _paginate(self, operation: str, **arguments: Any) -> Iterator[dict[str, Any]]:
        for page in self.dynamodb.get_paginator(operation).paginate(**arguments):
            yield from page.get("Items", [])

    def list_documents(self, status: DocumentStatus | None = None) -> list[DocumentRecord]:
        """By status through status-index (eventually consistent, like every GSI), else a scan."""
        if status is None:
            items = self._paginate("scan", TableName=self.tracking_table, ConsistentRead=True)
        else:
            items = self._paginate(
                "query",
                TableName=self.tracking_table,
                IndexName="status-index",
                KeyConditionExpression="#status = :status",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":status": {"S": status.value}},
            )
        return sorted((self._record_from_item(item) for item in items), key=lambda record: record.updated_at)

    def start_attempt(self, document_id: str, attempt_id: str, **fields: Any) -> DocumentRecord:
        expression = _Expression()
        for field, value in fields.items():
            expression.set(_camel(field), value)
        expression.set("attemptId", attempt_id)
        expression.set("status", DocumentStatus.RECEIVED)
        expression.set("reason", None)
        expression.append_history(_history_entry(DocumentStatus.RECEIVED, attempt_id, "attempt started"))
        self._stamp(expression)
        try:
            return self._update(document_id, expression, f"attribute_exists({expression.name('documentId')})")
        except ClientError as error:
            if _is_condition_failure(error):
                raise KeyError(f"document {document_id!r} was never registered") from error
            raise

    def set_status(
        self, document_id: str, attempt_id: str, status: DocumentStatus, reason: str | None = None, **fields: Any
    ) -> bool:
        expression = _Expression()
        for name, path in fields.pop("outputs", {}).items():
            expression.set(f"outputs.{name}", path)
        for field, value in fields.items():
            expression.set(_camel(field), value)
        expression.set("status", status)
        expression.set("reason", reason)
        expression.append_history(_history_entry(status, attempt_id, reason))
        self._stamp(expression)
        allowed = [current for current in DocumentStatus if transition_allowed(current, status)]
        status_name = expression.name("status")
        condition = (
            f"{expression.name('attemptId')} = {expression.value(attempt_id)}"
            f" AND {status_name} IN ({', '.join(expression.value(current) for current in allowed)})"
        )
        try:
            self._update(document_id, expression, condition)
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    # -- results table ----------------------------------------------------------------

    @staticmethod
    def _result_item(result: ResultRecord) -> dict[str, Any]:
        values = result.model_dump(mode="json", exclude_none=True)
        attributes = {_RESULT_RENAMES.get(field, _camel(field)): value for field, value in values.items()}
        if len(json.dumps(attributes)) > MAX_ITEM_BYTES:
            attributes.pop(_RESULT_RENAMES["v1_inline"], None)
        return _serialize(attributes)

    @staticmethod
    def _result_from_item(item: dict[str, Any]) -> ResultRecord:
        renames = {attribute: field for field, attribute in _RESULT_RENAMES.items()}
        values = _deserialize(item)
        return ResultRecord.model_validate({renames.get(name, _snake(name)): value for name, value in values.items()})

    def _result_keys(self, processing_id: str) -> list[dict[str, Any]]:
        return list(
            self._paginate(
                "query",
                TableName=self.results_table,
                KeyConditionExpression="processingId = :id",
                ExpressionAttributeValues={":id": {"S": processing_id}},
                ProjectionExpression="processingId, #ts",
                ExpressionAttributeNames={"#ts": "timestamp"},
                ConsistentRead=True,
            )
        )

    def put_result(self, result: ResultRecord, attempt_id: str) -> bool:
        """One item per processing, although the table's sort key is the timestamp.

        The new item is put and the processing's older items deleted in one transaction, so
        readers never see two, and only while the tracking item names `attempt_id` as current
        (a ConditionCheck in the same transaction). Two writers racing on one processing can
        each miss the other's item; a final check then deletes all but the newest timestamp,
        which every writer agrees on, so the table converges to one item.
        """
        item = self._result_item(result)
        current_attempt = {
            "ConditionCheck": {
                "TableName": self.tracking_table,
                "Key": {"documentId": {"S": result.document_id}},
                "ConditionExpression": "attemptId = :attempt",
                "ExpressionAttributeValues": {":attempt": {"S": attempt_id}},
            }
        }
        for attempt in range(TRANSACTION_ATTEMPTS):
            stale = [key for key in self._result_keys(result.processing_id) if key["timestamp"] != item["timestamp"]]
            try:
                self.dynamodb.transact_write_items(
                    TransactItems=[current_attempt, {"Put": {"TableName": self.results_table, "Item": item}}]
                    + [{"Delete": {"TableName": self.results_table, "Key": key}} for key in stale]
                )
                break
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
                if code == "TransactionCanceledException" and reasons[:1] == ["ConditionalCheckFailed"]:
                    return False
                if code != "TransactionCanceledException" or attempt == TRANSACTION_ATTEMPTS - 1:
                    raise
        keys = self._result_keys(result.processing_id)
        if len(keys) > 1:
            newest = max(key["timestamp"]["S"] for key in keys)
            for key in keys:
                if key["timestamp"]["S"] != newest:
                    self.dynamodb.delete_item(TableName=self.results_table, Key=key)
        return True

    def query_results(
        self,
        *,
        object_key: str | None = None,
        upload_date: str | None = None,
        status: DocumentStatus | None = None,
        document_type: str | None = None,
    ) -> list[ResultRecord]:
        """Query the most selective matching GSI and filter on the other criteria."""
        filters = {
            "s3Key": object_key,
            "documentType": document_type,
            "uploadDate": upload_date,
            "status": status.value if status is not None else None,
        }
        given = {attribute: value for attribute, value in filters.items() if value is not None}
        if not given:
            items = self._paginate("scan", TableName=self.results_table, ConsistentRead=True)
        else:
            names = {f"#a{index}": attribute for index, attribute in enumerate(given)}
            values = {f":a{index}": {"S": value} for index, value in enumerate(given.values())}
            clauses = [f"#a{index} = :a{index}" for index in range(len(given))]
            index_attribute = next(iter(given))
            arguments: dict[str, Any] = {
                "TableName": self.results_table,
                "IndexName": f"{index_attribute}-index",
                "KeyConditionExpression": clauses[0],
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
            if len(clauses) > 1:
                arguments["FilterExpression"] = " AND ".join(clauses[1:])
            items = self._paginate("query", **arguments)
        return sorted((self._result_from_item(item) for item in items), key=lambda result: result.timestamp)

    # -- tables -----------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create both tables as deploy/aws declares them (for tests, moto, DynamoDB Local)."""
        _create_table(
            self.dynamodb,
            self.tracking_table,
            ("documentId", None),
            TRACKING_INDEXES,
            ttl_attribute=TTL_ATTRIBUTE,
        )
        # TTL is enabled on results as in the template, but result items carry no `ttl`: they stay.
        _create_table(
            self.dynamodb,
            self.results_table,
            ("processingId", "timestamp"),
            RESULTS_INDEXES,
            ttl_attribute=TTL_ATTRIBUTE,
        )


def _create_table(
    client: Any,
    name: str,
    key: tuple[str, str | None],
    indexes: dict[str, tuple[str, str | None]],
    ttl_attribute: str | None = None,
) -> None:
    def key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
        schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
        return schema + ([{"AttributeName": range_key, "KeyType": "RANGE"}] if range_key else [])

    attributes = {attribute for pair in [key, *indexes.values()] for attribute in pair if attribute}
    try:
        client.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": attribute, "AttributeType": "S"} for attribute in sorted(attributes)
            ],
            KeySchema=key_schema(*key),
            GlobalSecondaryIndexes=[
                {"IndexName": index, "KeySchema": key_schema(*pair), "Projection": {"ProjectionType": "ALL"}}
                for index, pair in indexes.items()
            ],
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceInUseException":
            raise
        return
    client.get_waiter("table_exists").wait(TableName=name)
    if ttl_attribute:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute}
        )
