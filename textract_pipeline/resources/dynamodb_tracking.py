"""Tracking on DynamoDB: `textract-processing-tracking` and `textract-processing-results`.

Every status write is one UpdateItem whose condition (boto3's `Attr`) carries the rules of
`SqliteTrackingStore`: the writer's attempt must be the current one and the current status
must be one `records.transition_allowed` lets move to the new one. History and outputs are
appended in the same update (list_append, SET outputs.<name>), so no write needs a read first
and two runs can never interleave a read-modify-write. The tables are boto3 `Table` resources,
whose client turns Python values into DynamoDB's typed ones and back, for transactions too.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, ConditionExpressionBuilder, Key
from boto3.dynamodb.types import TypeDeserializer
from pydantic import Field, PrivateAttr
from pydantic_core import to_jsonable_python

from textract_pipeline.records import (
    DocumentRecord,
    DocumentStatus,
    ResultRecord,
    transition_allowed,
    utc_now,
)
from textract_pipeline.resources.aws_clients import AdaptiveBoto3Resource
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

# Only for the item a failed condition returns: error responses skip boto3's conversion.
_deserializer = TypeDeserializer()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _dynamo_value(value: Any) -> Any:
    """JSON-able Python with Decimal numbers: what boto3's DynamoDB serializer accepts (it refuses floats)."""
    return json.loads(json.dumps(to_jsonable_python(value)), parse_float=Decimal)


def _python_value(value: Any) -> Any:
    """Decimal numbers back to int or float, in nested lists and maps too."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_python_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _python_value(item) for key, item in value.items()}
    return value


def _update(assignments: dict[str, Any], history_entry: dict[str, Any]) -> dict[str, Any]:
    """UpdateItem arguments that SET each dotted path (REMOVE it when None) and append `history_entry`.

    boto3 builds condition expressions but not update expressions. Every name gets a `#u...`
    placeholder (DynamoDB reserves status, size, timestamp, ttl...) and every value a `:u...`;
    boto3 names the placeholders of the condition `#n<n>` and `:v<n>`, so the two never meet.
    """
    names = {"#u_history": "history"}
    values = {":u_no_history": [], ":u_entry": [_dynamo_value(history_entry)]}
    sets = ["#u_history = list_append(if_not_exists(#u_history, :u_no_history), :u_entry)"]
    removes = []
    for index, (path, value) in enumerate(assignments.items()):
        parts = {f"#u{index}_{depth}": part for depth, part in enumerate(path.split("."))}
        names.update(parts)
        target = ".".join(parts)
        if value is None:
            removes.append(target)
        else:
            values[f":u{index}"] = _dynamo_value(value)
            sets.append(f"{target} = :u{index}")
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    return {"UpdateExpression": expression, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}


def _transaction_condition(condition: ConditionBase) -> dict[str, Any]:
    """A condition object as the expression arguments of one transaction item.

    boto3 expands condition objects in TransactWriteItems too, but puts their placeholders at
    the top of the request, which the API refuses (boto/boto3#4053); built here, they stay in the item.
    """
    built = ConditionExpressionBuilder().build_expression(condition)
    return {
        "ConditionExpression": built.condition_expression,
        "ExpressionAttributeNames": built.attribute_name_placeholders,
        "ExpressionAttributeValues": built.attribute_value_placeholders,
    }


class DynamoDbTrackingStore(TrackingStore, AdaptiveBoto3Resource):
    """The tracking record model on two DynamoDB tables (names match deploy/aws).

    The connection (region, endpoint for DynamoDB Local or LocalStack, profile, credentials,
    retries) is dagster-aws's boto3 configuration.
    """

    tracking_table: str = Field(default="textract-processing-tracking", description="Status lifecycle table.")
    results_table: str = Field(default="textract-processing-results", description="Queryable results table.")

    _dynamodb: Any = PrivateAttr(default=None)
    _tables: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def dynamodb(self) -> Any:
        """boto3's DynamoDB service resource; `dynamodb.meta.client` is the client its tables share."""
        if self._dynamodb is None:
            self._dynamodb = self.boto3_resource("dynamodb")
        return self._dynamodb

    def _table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self.dynamodb.Table(name)
        return self._tables[name]

    def _items(self, operation: str, **arguments: Any) -> Iterator[dict[str, Any]]:
        """Every item of a scan or query, page after page."""
        for page in self.dynamodb.meta.client.get_paginator(operation).paginate(**arguments):
            yield from page.get("Items", [])

    # -- tracking table ---------------------------------------------------------------

    @staticmethod
    def _record_from_item(item: dict[str, Any]) -> DocumentRecord:
        values = _python_value(item)
        values.pop(TTL_ATTRIBUTE, None)
        return DocumentRecord.model_validate({_snake(name): value for name, value in values.items()})

    def _update_tracking(
        self, document_id: str, assignments: dict[str, Any], history_entry: dict[str, Any], **arguments: Any
    ) -> dict[str, Any]:
        """One UpdateItem on the tracking item that also stamps updatedAt and the TTL."""
        now = utc_now()
        stamped = {**assignments, "updatedAt": now, TTL_ATTRIBUTE: int((now + TRACKING_TTL).timestamp())}
        return self._table(self.tracking_table).update_item(
            Key={"documentId": document_id}, **_update(stamped, history_entry), **arguments
        )

    @property
    def _condition_failed(self) -> type[Exception]:
        return self.dynamodb.meta.client.exceptions.ConditionalCheckFailedException

    def register_upload(self, document_id: str, stored: StoredObject) -> DocumentRecord:
        cleared = DocumentRecord(
            document_id=document_id, object_key=stored.key, version=stored.version, size=stored.size
        )
        assignments = {
            _camel(field): value
            for field, value in cleared.model_dump(exclude={"document_id", "history", "updated_at"}).items()
        }
        try:
            response = self._update_tracking(
                document_id,
                assignments,
                _history_entry(DocumentStatus.RECEIVED, None, None),
                ConditionExpression=Attr("documentId").not_exists() | Attr("version").ne(stored.version),
                ReturnValues="ALL_NEW",
                # The same version seen again fails the condition and comes back as it is, in the same request.
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._condition_failed as error:
            if "Item" in error.response:
                item = {name: _deserializer.deserialize(value) for name, value in error.response["Item"].items()}
                return self._record_from_item(item)
            existing = self.get(document_id)  # an emulator that does not return the item
            if existing is None:
                raise RuntimeError(f"document {document_id!r} vanished while it was being registered") from error
            return existing
        return self._record_from_item(response["Attributes"])

    def get(self, document_id: str) -> DocumentRecord | None:
        response = self._table(self.tracking_table).get_item(Key={"documentId": document_id}, ConsistentRead=True)
        return self._record_from_item(response["Item"]) if "Item" in response else None

    def list_documents(self, status: DocumentStatus | None = None) -> list[DocumentRecord]:
        """By status through status-index (eventually consistent, like every GSI), else a scan."""
        if status is None:
            items = self._items("scan", TableName=self.tracking_table, ConsistentRead=True)
        else:
            items = self._items(
                "query",
                TableName=self.tracking_table,
                IndexName="status-index",
                KeyConditionExpression=Key("status").eq(status.value),
            )
        return sorted((self._record_from_item(item) for item in items), key=lambda record: record.updated_at)

    def start_attempt(self, document_id: str, attempt_id: str, **fields: Any) -> DocumentRecord:
        assignments = {
            **{_camel(field): value for field, value in fields.items()},
            "attemptId": attempt_id,
            "status": DocumentStatus.RECEIVED,
            "reason": None,
        }
        try:
            response = self._update_tracking(
                document_id,
                assignments,
                _history_entry(DocumentStatus.RECEIVED, attempt_id, "attempt started"),
                ConditionExpression=Attr("documentId").exists(),
                ReturnValues="ALL_NEW",
            )
        except self._condition_failed as error:
            raise KeyError(f"document {document_id!r} was never registered") from error
        return self._record_from_item(response["Attributes"])

    def set_status(
        self, document_id: str, attempt_id: str, status: DocumentStatus, reason: str | None = None, **fields: Any
    ) -> bool:
        assignments = {
            **{f"outputs.{name}": path for name, path in fields.pop("outputs", {}).items()},
            **{_camel(field): value for field, value in fields.items()},
            "status": status,
            "reason": reason,
        }
        allowed = [current.value for current in DocumentStatus if transition_allowed(current, status)]
        try:
            self._update_tracking(
                document_id,
                assignments,
                _history_entry(status, attempt_id, reason),
                ConditionExpression=Attr("attemptId").eq(attempt_id) & Attr("status").is_in(allowed),
            )
        except self._condition_failed:
            return False
        return True

    # -- results table ----------------------------------------------------------------

    @staticmethod
    def _result_item(result: ResultRecord) -> dict[str, Any]:
        values = result.model_dump(mode="json", exclude_none=True)
        attributes = {_RESULT_RENAMES.get(field, _camel(field)): value for field, value in values.items()}
        if len(json.dumps(attributes)) > MAX_ITEM_BYTES:
            attributes.pop(_RESULT_RENAMES["v1_inline"], None)
        return _dynamo_value(attributes)

    @staticmethod
    def _result_from_item(item: dict[str, Any]) -> ResultRecord:
        renames = {attribute: field for field, attribute in _RESULT_RENAMES.items()}
        values = _python_value(item)
        return ResultRecord.model_validate({renames.get(name, _snake(name)): value for name, value in values.items()})

    def _result_keys(self, processing_id: str) -> list[dict[str, Any]]:
        return list(
            self._items(
                "query",
                TableName=self.results_table,
                KeyConditionExpression=Key("processingId").eq(processing_id),
                ProjectionExpression="processingId, #timestamp",
                ExpressionAttributeNames={"#timestamp": "timestamp"},
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
        client = self.dynamodb.meta.client
        current_attempt = {
            "ConditionCheck": {
                "TableName": self.tracking_table,
                "Key": {"documentId": result.document_id},
                **_transaction_condition(Attr("attemptId").eq(attempt_id)),
            }
        }
        for attempt in range(TRANSACTION_ATTEMPTS):
            stale = [key for key in self._result_keys(result.processing_id) if key["timestamp"] != item["timestamp"]]
            try:
                client.transact_write_items(
                    TransactItems=[current_attempt, {"Put": {"TableName": self.results_table, "Item": item}}]
                    + [{"Delete": {"TableName": self.results_table, "Key": key}} for key in stale]
                )
                break
            except client.exceptions.TransactionCanceledException as error:
                reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
                if reasons[:1] == ["ConditionalCheckFailed"]:
                    return False
                if attempt == TRANSACTION_ATTEMPTS - 1:
                    raise
        keys = self._result_keys(result.processing_id)
        if len(keys) > 1:
            newest = max(key["timestamp"] for key in keys)
            for key in keys:
                if key["timestamp"] != newest:
                    self._table(self.results_table).delete_item(Key=key)
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
        given = [(attribute, value) for attribute, value in filters.items() if value is not None]
        if not given:
            items = self._items("scan", TableName=self.results_table, ConsistentRead=True)
        else:
            (index_attribute, index_value), *others = given
            arguments: dict[str, Any] = {
                "TableName": self.results_table,
                "IndexName": f"{index_attribute}-index",
                "KeyConditionExpression": Key(index_attribute).eq(index_value),
            }
            if others:
                arguments["FilterExpression"] = functools.reduce(
                    operator.and_, (Attr(attribute).eq(value) for attribute, value in others)
                )
            items = self._items("query", **arguments)
        return sorted((self._result_from_item(item) for item in items), key=lambda result: result.timestamp)

    # -- tables -----------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create both tables as deploy/aws declares them (for tests, moto, DynamoDB Local)."""
        _create_table(self.dynamodb, self.tracking_table, ("documentId", None), TRACKING_INDEXES)
        # TTL is enabled on results as in the template, but result items carry no `ttl`: they stay.
        _create_table(self.dynamodb, self.results_table, ("processingId", "timestamp"), RESULTS_INDEXES)


def _create_table(
    dynamodb: Any, name: str, key: tuple[str, str | None], indexes: dict[str, tuple[str, str | None]]
) -> None:
    def key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
        schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
        return schema + ([{"AttributeName": range_key, "KeyType": "RANGE"}] if range_key else [])

    attributes = {attribute for pair in [key, *indexes.values()] for attribute in pair if attribute}
    try:
        table = dynamodb.create_table(
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
    except dynamodb.meta.client.exceptions.ResourceInUseException:
        return
    table.wait_until_exists()
    dynamodb.meta.client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )
