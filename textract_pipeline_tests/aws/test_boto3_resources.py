"""The AWS resources are dagster-aws resources: S3Resource for the store, ResourceWithBoto3Configuration
(with adaptive retries) for Textract and Bedrock, so every dagster-aws connection setting applies."""

from __future__ import annotations

import dagster as dg
from dagster_aws.s3 import S3Resource
from dagster_aws.utils import ResourceWithBoto3Configuration

from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.bedrock import BedrockExtractorResource
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.s3_store import S3DocumentStore
from textract_pipeline_tests.aws.conftest import BUCKET, REGION

CREDENTIALS = {"aws_access_key_id": "AKIACONFIGURED", "aws_secret_access_key": "configured-secret"}


def access_key(client) -> str:
    return client._request_signer._credentials.access_key


def test_the_store_is_an_s3_resource_and_its_queue_client_shares_its_settings(s3_store, uploads_queue):
    store = S3DocumentStore(
        bucket=BUCKET, region_name=REGION, max_attempts=3, uploads_queue_url=uploads_queue.url, **CREDENTIALS
    )
    assert isinstance(store, S3Resource)
    assert access_key(store.s3) == "AKIACONFIGURED" and store.s3.meta.region_name == REGION
    sqs = store.uploads_queue().messages._client
    assert access_key(sqs) == "AKIACONFIGURED" and sqs.meta.region_name == REGION
    assert sqs.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}
    store.write_text("processed/a.json", "{}")
    assert store.read_text("processed/a.json") == "{}"


def test_ops_asking_the_context_for_the_store_get_the_store(s3_store):
    @dg.op(required_resource_keys={"document_store"})
    def uri_of(context) -> str:
        store = context.resources.document_store
        assert isinstance(store, DocumentStore)
        return store.uri("incoming/a.tif")

    @dg.job(resource_defs={"document_store": s3_store})
    def job():
        uri_of()

    assert job.execute_in_process().output_for_node("uri_of") == f"s3://{BUCKET}/incoming/a.tif"


def test_textract_and_bedrock_clients_retry_adaptively_with_the_configured_settings():
    textract = AwsTextract(bucket=BUCKET, region_name="eu-west-1", max_attempts=6, **CREDENTIALS)
    bedrock = BedrockExtractorResource(region_name="us-west-2", max_attempts=4, read_timeout=42, **CREDENTIALS)
    for resource in (textract, bedrock):
        assert isinstance(resource, ResourceWithBoto3Configuration)
    assert textract.textract.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    assert (textract.textract.meta.region_name, access_key(textract.textract)) == ("eu-west-1", "AKIACONFIGURED")
    client = bedrock.get().client
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert (client.meta.region_name, client.meta.config.read_timeout, access_key(client)) == (
        "us-west-2",
        42,
        "AKIACONFIGURED",
    )
