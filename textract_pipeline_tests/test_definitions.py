"""The code location in both profiles: it loads, its resources build, and its lineage is the data flow."""

from __future__ import annotations

import dagster as dg
import pytest
from moto import mock_aws

from textract_pipeline.definitions import build_definitions
from textract_pipeline.settings import Settings

AWS = {
    "TEXTRACT_PIPELINE_PROFILE": "aws",
    "TEXTRACT_PIPELINE_BUCKET": "documents",
    "TEXTRACT_PIPELINE_AWS_REGION": "us-west-2",
}
# Each asset and the assets whose data it reads: a chain, not a fan out of source_document.
READS = {
    "source_document": set(),
    "textract_raw": {"source_document"},
    "v1_schema": {"textract_raw"},
    "v2_dynamic": {"textract_raw"},
    "schema_extensions_report": {"v1_schema", "v2_dynamic"},
    "v2_summary_report": {"v1_schema", "v2_dynamic"},
    "document_result": {"v1_schema", "schema_extensions_report", "v2_summary_report"},
    "processing_ledger": set(),
}


@pytest.fixture(params=["local", "aws"])
def profile(request, tmp_path) -> tuple[str, Settings]:
    environment = {"TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path), **(AWS if request.param == "aws" else {})}
    return request.param, Settings.from_environ(environment)


@mock_aws
def test_each_profile_loads_and_builds_its_resources(profile):
    name, settings = profile
    definitions = build_definitions(settings)
    dg.Definitions.validate_loadable(definitions)
    with dg.build_resources(definitions.resources) as resources:
        store, textract, extractor, tracking = (
            resources.document_store,
            resources.textract,
            resources.extractor,
            resources.tracking,
        )
        names = {type(store).__name__, type(textract).__name__, type(extractor).__name__, type(tracking).__name__}
    expected = {
        "local": {"LocalDocumentStore", "LocalTextract", "DeterministicExtractorResource", "SqliteTrackingStore"},
        "aws": {"S3DocumentStore", "AwsTextract", "BedrockExtractorResource", "DynamoDbTrackingStore"},
    }
    assert names == expected[name]
    sensors = {sensor.name for sensor in definitions.sensors}
    assert ("textract_completion_sensor" in sensors) == (name == "aws")
    assert {"incoming_documents_sensor", "failed_run_documents", "canceled_run_documents"} <= sensors


def test_lineage_follows_the_data_and_every_document_asset_is_partitioned(profile):
    _, settings = profile
    graph = build_definitions(settings).resolve_asset_graph()
    reads = {
        key.to_user_string(): {parent.to_user_string() for parent in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert reads == READS
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.to_user_string() != "processing_ledger":
            assert node.partitions_def is not None and node.backfill_policy is not None, key


def test_asset_kinds_name_the_services_of_the_profile(profile):
    name, settings = profile
    specs = {spec.key.to_user_string(): spec.kinds for spec in build_definitions(settings).resolve_all_asset_specs()}
    if name == "local":
        assert specs["textract_raw"] == {"tesseract"} and specs["document_result"] == {"sqlite"}
        assert specs["v1_schema"] == {"python", "pydantic"} and specs["source_document"] == {"file"}
    else:
        assert specs["textract_raw"] == {"textract"} and specs["document_result"] == {"dynamodb"}
        assert specs["v1_schema"] == {"bedrock", "pydantic"} and specs["source_document"] == {"s3"}
