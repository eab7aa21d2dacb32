"""DynamoDbTrackingStore must behave exactly like SqliteTrackingStore: each scenario runs on both."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
import yaml

from textract_pipeline.records import DocumentStatus, ResultRecord
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.resources.dynamodb_tracking import DynamoDbTrackingStore
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline_tests.aws.conftest import REGION

S = DocumentStatus
TEMPLATE = Path(__file__).parents[2] / "deploy" / "aws" / "template.yaml"
NOW = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteTrackingStore(path=str(tmp_path / "tracking.sqlite"))
    return request.getfixturevalue("dynamo_tracking")


def upload(key="incoming/deed.tif", version="etag-1", size=10):
    return StoredObject(key=key, version=version, size=size, last_modified=NOW)


def test_registration_is_idempotent_per_version_and_resets_on_new_bytes(store):
    first = store.register_upload("deed-1", upload())
    assert (first.status, first.object_key, first.size) == (S.RECEIVED, "incoming/deed.tif", 10)
    store.start_attempt("deed-1", "run-1")
    assert store.set_status("deed-1", "run-1", S.TEXTRACT_STARTED, textract_job_id="job-1")

    same = store.register_upload("deed-1", upload())
    assert (same.status, same.textract_job_id, same.attempt_id) == (S.TEXTRACT_STARTED, "job-1", "run-1")

    renewed = store.register_upload("deed-1", upload(version="etag-2", size=12))
    assert (renewed.status, renewed.version, renewed.size) == (S.RECEIVED, "etag-2", 12)
    assert (renewed.attempt_id, renewed.textract_job_id, renewed.outputs) == (None, None, {})
    assert [entry["status"] for entry in renewed.history] == ["RECEIVED", "RECEIVED", "TEXTRACT_STARTED", "RECEIVED"]


def test_conditional_writes_follow_attempt_and_lifecycle(store):
    store.register_upload("deed-1", upload())
    with pytest.raises(KeyError):
        store.start_attempt("unknown", "run-1")
    store.start_attempt("deed-1", "run-1", processing_id="deed-1-abc")
    assert store.set_status("deed-1", "run-1", S.TEXTRACT_STARTED, textract_job_id="job-1")
    assert not store.set_status("deed-1", "run-1", S.RECEIVED)  # backwards
    assert not store.set_status("deed-1", "run-0", S.TEXTRACT_COMPLETED)  # stale attempt
    assert not store.set_status("unknown", "run-1", S.TEXTRACT_COMPLETED)

    store.start_attempt("deed-1", "run-2")  # a newer attempt takes over
    assert not store.set_status("deed-1", "run-1", S.COMPLETED)
    assert store.set_status("deed-1", "run-2", S.FAILED, reason="textract_raw: boom")
    assert store.set_status("deed-1", "run-2", S.TEXTRACT_COMPLETED, outputs={"textract_raw": "processed/a.json"})
    assert store.set_status("deed-1", "run-2", S.EXTRACTED, outputs={"v1_schema": "processed/b.json"})
    assert store.set_status("deed-1", "run-2", S.COMPLETED)
    assert not store.set_status("deed-1", "run-2", S.FAILED, reason="late")  # COMPLETED is final

    record = store.get("deed-1")
    assert (record.status, record.reason, record.attempt_id, record.processing_id) == (
        S.COMPLETED,
        None,
        "run-2",
        "deed-1-abc",
    )
    assert record.outputs == {"textract_raw": "processed/a.json", "v1_schema": "processed/b.json"}
    assert record.history[-1]["status"] == "COMPLETED" and record.history[-1]["attempt_id"] == "run-2"
    assert [r.document_id for r in store.list_documents(S.COMPLETED)] == ["deed-1"]
    assert store.list_documents(S.TEXTRACT_STARTED) == []
    assert store.get("unknown") is None


def result(processing_id="deed-1-abc", at=NOW, **fields):
    values = dict(
        processing_id=processing_id,
        timestamp=at,
        document_id="deed-1",
        object_key="incoming/deed.tif",
        upload_date="2026-11-22",
        status=S.COMPLETED,
        document_type="grant_deed",
        buyer_names=["JANE B. DOE"],
        property_address="123 MAIN ST",
        sale_price=400000.0,
        pages=2,
        outputs={"v1_schema": "processed/2026-11-22/deed_v1_schema.json"},
        v1_inline={"document_type": {"value": "grant_deed", "confidence": 0.93}},
    )
    return ResultRecord(**{**values, **fields})


def owned(store, document_id: str, key: str = "incoming/deed.tif") -> str:
    """Register the document and start the attempt that may write its result."""
    store.register_upload(document_id, upload(key=key))
    store.start_attempt(document_id, "attempt-1")
    return "attempt-1"


def test_results_are_one_record_per_processing_and_queryable_by_each_index(store):
    attempt = owned(store, "deed-1")
    store.put_result(result(), attempt)
    store.put_result(result(at=NOW + timedelta(minutes=5), sale_price=410000.0), attempt)
    store.put_result(
        result(
            "quit-1-def",
            NOW + timedelta(minutes=1),
            document_id="quit-1",
            object_key="incoming/q.pdf",
            document_type="quitclaim_deed",
            upload_date="2026-11-21",
            status=S.FAILED,
        ),
        owned(store, "quit-1", "incoming/q.pdf"),
    )

    by_key = store.query_results(object_key="incoming/deed.tif")
    assert [(r.processing_id, r.sale_price) for r in by_key] == [("deed-1-abc", 410000.0)]
    assert by_key[0].timestamp == NOW + timedelta(minutes=5)
    assert by_key[0].buyer_names == ["JANE B. DOE"] and by_key[0].v1_inline["document_type"]["confidence"] == 0.93
    assert [r.processing_id for r in store.query_results(upload_date="2026-11-21")] == ["quit-1-def"]
    assert [r.processing_id for r in store.query_results(status=S.COMPLETED)] == ["deed-1-abc"]
    assert [r.processing_id for r in store.query_results(document_type="quitclaim_deed")] == ["quit-1-def"]
    assert [r.processing_id for r in store.query_results(status=S.FAILED, upload_date="2026-11-22")] == []
    assert [r.processing_id for r in store.query_results()] == ["quit-1-def", "deed-1-abc"]


def test_tracking_items_carry_a_30_day_ttl_and_results_drop_oversized_inline_v1(dynamo_tracking):
    dynamo_tracking.register_upload("deed-1", upload())
    client = boto3.client("dynamodb", region_name=REGION)
    item = client.get_item(TableName=dynamo_tracking.tracking_table, Key={"documentId": {"S": "deed-1"}})["Item"]
    expires = datetime.fromtimestamp(int(item["ttl"]["N"]), UTC)
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    ttl = client.describe_time_to_live(TableName=dynamo_tracking.tracking_table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")

    dynamo_tracking.start_attempt("deed-1", "attempt-1")
    dynamo_tracking.put_result(result(v1_inline={"legal_description": "LOT 1 " * 80_000}), "attempt-1")
    [stored] = dynamo_tracking.query_results(object_key="incoming/deed.tif")
    assert stored.v1_inline is None and stored.outputs["v1_schema"].endswith("_v1_schema.json")


def test_a_superseded_attempt_writes_no_result(store):
    owned(store, "deed-1")
    store.start_attempt("deed-1", "attempt-2")  # a newer run took the document over
    assert store.put_result(result(sale_price=1.0), "attempt-1") is False
    assert store.query_results(object_key="incoming/deed.tif") == []
    assert store.put_result(result(sale_price=2.0), "attempt-2") is True
    assert [r.sale_price for r in store.query_results(object_key="incoming/deed.tif")] == [2.0]


def test_racing_result_writers_converge_to_the_newest_item(dynamo_tracking, monkeypatch):
    attempt = owned(dynamo_tracking, "deed-1")
    dynamo_tracking.put_result(result(at=NOW + timedelta(minutes=9), sale_price=1.0), attempt)
    real_keys = DynamoDbTrackingStore._result_keys
    calls = []

    def first_query_misses_the_racing_item(self, processing_id):
        calls.append(processing_id)
        return [] if len(calls) == 1 else real_keys(self, processing_id)

    monkeypatch.setattr(DynamoDbTrackingStore, "_result_keys", first_query_misses_the_racing_item)
    dynamo_tracking.put_result(result(at=NOW, sale_price=2.0), attempt)

    [kept] = dynamo_tracking.query_results(object_key="incoming/deed.tif")
    assert (kept.timestamp, kept.sale_price) == (NOW + timedelta(minutes=9), 1.0)


def test_reserved_words_as_new_attribute_and_output_names(store):
    store.register_upload("deed-1", upload())
    store.start_attempt("deed-1", "run-1", size=11, pages=3)  # SIZE is a DynamoDB reserved word
    outputs = {"comment": "processed/c.md", "timestamp": "processed/t.json"}  # so are COMMENT and TIMESTAMP
    assert store.set_status("deed-1", "run-1", S.TEXTRACT_COMPLETED, size=12, outputs=outputs)
    assert store.set_status("deed-1", "run-1", S.EXTRACTED, outputs={"size": "processed/s.json"})
    record = store.get("deed-1")
    assert (record.size, record.pages, record.status) == (12, 3, S.EXTRACTED)
    assert record.outputs == {**outputs, "size": "processed/s.json"}


def test_floats_round_trip_exactly(store):
    scores = {"scores": [0.93, 1e-7, 12, {"nested": 2.5}]}
    attempt = owned(store, "deed-1")
    assert store.put_result(result(sale_price=0.1 + 0.2, cost_usd=0.065 * 3, v1_inline=scores), attempt)
    [stored] = store.query_results(object_key="incoming/deed.tif")
    assert (stored.sale_price, stored.cost_usd, stored.v1_inline) == (0.1 + 0.2, 0.065 * 3, scores)


def test_numbers_are_stored_as_dynamodb_numbers(dynamo_tracking):
    dynamo_tracking.put_result(result(sale_price=0.1 + 0.2), owned(dynamo_tracking, "deed-1"))
    client = boto3.client("dynamodb", region_name=REGION)
    [item] = client.scan(TableName=dynamo_tracking.results_table)["Items"]
    assert (item["salePrice"], item["pages"]) == ({"N": "0.30000000000000004"}, {"N": "2"})


class _Requests:
    """Counts the DynamoDB API calls the store makes, through botocore's event hooks."""

    def __init__(self, store: DynamoDbTrackingStore) -> None:
        self.names: list[str] = []
        store.dynamodb.meta.client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_) -> None:
        self.names.append(model.name)

    def during(self, action) -> list[str]:
        self.names.clear()
        action()
        return list(self.names)


def test_each_write_is_as_few_requests_as_its_guarantees_need(dynamo_tracking):
    requests = _Requests(dynamo_tracking)
    assert requests.during(lambda: dynamo_tracking.register_upload("deed-1", upload())) == ["UpdateItem"]
    # The same version again: the refused update returns the item as it is.
    assert requests.during(lambda: dynamo_tracking.register_upload("deed-1", upload())) == ["UpdateItem"]
    assert requests.during(lambda: dynamo_tracking.start_attempt("deed-1", "attempt-1")) == ["UpdateItem"]

    def write(attempt: str) -> None:
        dynamo_tracking.set_status(
            "deed-1", attempt, S.TEXTRACT_COMPLETED, outputs={"textract_raw": "processed/a.json"}
        )

    assert requests.during(lambda: write("attempt-1")) == ["UpdateItem"]
    assert requests.during(lambda: write("attempt-0")) == ["UpdateItem"]
    assert dynamo_tracking.get("deed-1").status == S.TEXTRACT_COMPLETED
    # Keys to replace, the conditional transaction, the check that racing writers converged.
    put = ["Query", "TransactWriteItems", "Query"]
    assert requests.during(lambda: dynamo_tracking.put_result(result(), "attempt-1")) == put
    assert requests.during(lambda: dynamo_tracking.put_result(result(), "attempt-0")) == put[:2]


def test_registration_reads_the_item_where_a_refused_update_does_not_return_it(dynamo_tracking):
    """Emulators that ignore ReturnValuesOnConditionCheckFailure answer a refusal without the item."""
    first = dynamo_tracking.register_upload("deed-1", upload())

    def drop_returned_item(parsed, **_) -> None:
        parsed.pop("Item", None)

    dynamo_tracking.dynamodb.meta.client.meta.events.register("after-call.dynamodb.UpdateItem", drop_returned_item)
    requests = _Requests(dynamo_tracking)
    again = requests.during(lambda: dynamo_tracking.register_upload("deed-1", upload()))
    assert again == ["UpdateItem", "GetItem"]
    assert dynamo_tracking.get("deed-1") == first


def test_the_client_takes_the_dagster_aws_settings_with_adaptive_retries():
    store = DynamoDbTrackingStore(region_name="eu-west-1", endpoint_url="http://127.0.0.1:8000", max_attempts=3)
    client = store.dynamodb.meta.client
    assert (client.meta.region_name, client.meta.endpoint_url) == ("eu-west-1", "http://127.0.0.1:8000")
    # botocore counts the first try too: three retries after it.
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads the template's short-form intrinsics (!Ref, !Sub, !GetAtt...) as plain values."""


_CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _template_table(resource: str) -> dict:
    template = yaml.load(TEMPLATE.read_text(), Loader=_CloudFormationLoader)
    return template["Resources"][resource]["Properties"]


def _key_schema(schema: list[dict]) -> list[tuple[str, str]]:
    return [(key["AttributeName"], key["KeyType"]) for key in schema]


@pytest.mark.skipif(not TEMPLATE.exists(), reason="deploy/aws/template.yaml is not in this checkout")
@pytest.mark.parametrize(
    ("resource", "table"),
    [("TrackingTable", "textract-processing-tracking"), ("ResultsTable", "textract-processing-results")],
)
def test_create_tables_builds_what_the_cloudformation_template_deploys(dynamo_tracking, resource, table):
    dynamo_tracking.create_tables()  # a second call is a no-op
    client = boto3.client("dynamodb", region_name=REGION)
    created = client.describe_table(TableName=table)["Table"]
    declared = _template_table(resource)
    assert _key_schema(created["KeySchema"]) == _key_schema(declared["KeySchema"])
    assert {a["AttributeName"]: a["AttributeType"] for a in created["AttributeDefinitions"]} == {
        a["AttributeName"]: a["AttributeType"] for a in declared["AttributeDefinitions"]
    }
    assert {
        index["IndexName"]: (_key_schema(index["KeySchema"]), index["Projection"]["ProjectionType"])
        for index in created["GlobalSecondaryIndexes"]
    } == {
        index["IndexName"]: (_key_schema(index["KeySchema"]), index["Projection"]["ProjectionType"])
        for index in declared["GlobalSecondaryIndexes"]
    }
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == (
        "ENABLED",
        declared["TimeToLiveSpecification"]["AttributeName"],
    )
