"""Resource selection from the environment, and the Bedrock resource's client (botocore Stubber)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from botocore.stub import ANY, Stubber

from textract_pipeline.extraction import DeterministicExtractor
from textract_pipeline.extraction.prompts import TOOL_NAME
from textract_pipeline.resources import OPENAI_API_KEY_VAR, build_resources
from textract_pipeline.resources.aws_textract import AwsTextract
from textract_pipeline.resources.bedrock import BedrockExtractorResource
from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.dynamodb_tracking import DynamoDbTrackingStore
from textract_pipeline.resources.extractor import OpenAICompatibleExtractorResource
from textract_pipeline.resources.s3_store import S3DocumentStore
from textract_pipeline.resources.textract import LocalTextract
from textract_pipeline.settings import ENV_PREFIX, Settings
from textract_pipeline.textract_document import load_document
from textract_pipeline_tests.aws.conftest import real_response

AWS = {
    "TEXTRACT_PIPELINE_PROFILE": "aws",
    "TEXTRACT_PIPELINE_BUCKET": "records-bucket",
    "TEXTRACT_PIPELINE_AWS_REGION": "us-west-2",
    "TEXTRACT_PIPELINE_TRACKING_TABLE": "tracking-prod",
    "TEXTRACT_PIPELINE_RESULTS_TABLE": "results-prod",
    "TEXTRACT_PIPELINE_UPLOADS_QUEUE_URL": "https://sqs.us-west-2.amazonaws.com/1/uploads",
    "TEXTRACT_PIPELINE_TEXTRACT_SNS_TOPIC_ARN": "arn:aws:sns:us-west-2:1:textract",
    "TEXTRACT_PIPELINE_TEXTRACT_ROLE_ARN": "arn:aws:iam::1:role/textract",
    "TEXTRACT_PIPELINE_TEXTRACT_COMPLETION_QUEUE_URL": "https://sqs.us-west-2.amazonaws.com/1/textract",
    "TEXTRACT_PIPELINE_BEDROCK_MODEL_ID": "qwen.qwen2.5-7b-instruct",
}


def test_aws_profile_selects_every_aws_resource_with_its_settings(tmp_path):
    resources = build_resources(Settings.from_environ({**AWS, "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path)}))
    store, tracking, textract, extractor = (
        resources[k] for k in ("document_store", "tracking", "textract", "extractor")
    )
    assert isinstance(store, S3DocumentStore) and store.bucket == "records-bucket"
    assert store.uploads_queue_url == AWS["TEXTRACT_PIPELINE_UPLOADS_QUEUE_URL"] and store.region_name == "us-west-2"
    assert isinstance(tracking, DynamoDbTrackingStore)
    assert (tracking.tracking_table, tracking.results_table) == ("tracking-prod", "results-prod")
    assert isinstance(textract, AwsTextract) and textract.bucket == "records-bucket"
    assert (textract.sns_topic_arn, textract.role_arn) == (
        AWS["TEXTRACT_PIPELINE_TEXTRACT_SNS_TOPIC_ARN"],
        AWS["TEXTRACT_PIPELINE_TEXTRACT_ROLE_ARN"],
    )
    assert textract.completion_queue_url == AWS["TEXTRACT_PIPELINE_TEXTRACT_COMPLETION_QUEUE_URL"]
    assert isinstance(extractor, BedrockExtractorResource) and extractor.model_id == "qwen.qwen2.5-7b-instruct"
    assert resources["io_manager"].document_store is store


def test_per_resource_overrides_mix_local_and_aws(tmp_path):
    environ = {
        "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path),
        "TEXTRACT_PIPELINE_TRACKING": "dynamodb",
        "TEXTRACT_PIPELINE_AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        "TEXTRACT_PIPELINE_STORE": "s3",
        "TEXTRACT_PIPELINE_BUCKET": "minio-bucket",
        "TEXTRACT_PIPELINE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    resources = build_resources(Settings.from_environ(environ))
    assert resources["document_store"].endpoint_url == "http://127.0.0.1:9000"  # S3 endpoint wins for S3
    assert resources["tracking"].endpoint_url == "http://127.0.0.1:4566"
    assert isinstance(resources["textract"], LocalTextract)
    local = build_resources(Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path)}))
    assert isinstance(local["document_store"], LocalDocumentStore)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TEXTRACT_PIPELINE_PROFILE": "aws"}, "TEXTRACT_PIPELINE_BUCKET must be set"),
        (
            {**AWS, "TEXTRACT_PIPELINE_TEXTRACT_ROLE_ARN": ""},
            "TEXTRACT_PIPELINE_TEXTRACT_SNS_TOPIC_ARN and TEXTRACT_PIPELINE_TEXTRACT_ROLE_ARN go together",
        ),
        ({"TEXTRACT_PIPELINE_EXTRACTOR": "openai"}, "TEXTRACT_PIPELINE_OPENAI_BASE_URL must be set"),
    ],
)
def test_missing_settings_fail_with_the_variable_to_set(tmp_path, environ, message):
    with pytest.raises(ValueError, match=message):
        build_resources(Settings.from_environ({**environ, "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path)}))


def test_openai_extractor_reads_its_key_through_an_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv(OPENAI_API_KEY_VAR, "sk-local")
    environ = {
        "TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path),
        "TEXTRACT_PIPELINE_EXTRACTOR": "openai",
        "TEXTRACT_PIPELINE_OPENAI_BASE_URL": "http://127.0.0.1:8000/v1",
        "TEXTRACT_PIPELINE_OPENAI_MODEL": "qwen2.5-7b-instruct",
    }
    resource = build_resources(Settings.from_environ(environ))["extractor"]
    assert isinstance(resource, OpenAICompatibleExtractorResource)
    assert resource.api_key == dg.EnvVar(OPENAI_API_KEY_VAR)  # the config names the variable, not the secret
    # Dagster resolves the variable when it initializes the resource for a run.
    with dg.build_resources({"extractor": resource}) as initialized:
        extractor = initialized.extractor.get()
    assert (extractor.base_url, extractor.model_id, extractor.api_key) == (
        "http://127.0.0.1:8000/v1",
        "qwen2.5-7b-instruct",
        "sk-local",
    )


def test_bedrock_resource_builds_one_adaptive_client_and_extracts_through_converse():
    document = load_document(real_response("form.png"))
    expected = DeterministicExtractor().extract_v1(document).record
    resource = BedrockExtractorResource(model_id="amazon.nova-lite-v1:0", region_name="us-east-1", max_attempts=4)
    extractor = resource.get()
    assert resource.get() is extractor
    assert extractor.client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert extractor.client.meta.config.read_timeout == 300

    with Stubber(extractor.client) as stubber:
        stubber.add_response(
            "converse",
            {
                "output": {
                    "message": {
                        "role": "assistant",
                        "content": [
                            {
                                "toolUse": {
                                    "toolUseId": "t1",
                                    "name": TOOL_NAME,
                                    "input": expected.model_dump(mode="json"),
                                }
                            }
                        ],
                    }
                },
                "stopReason": "tool_use",
                "usage": {"inputTokens": 1200, "outputTokens": 300, "totalTokens": 1500},
                "metrics": {"latencyMs": 900},
            },
            {
                "modelId": "amazon.nova-lite-v1:0",
                "system": ANY,
                "messages": ANY,
                "inferenceConfig": ANY,
                "toolConfig": ANY,
            },
        )
        result = extractor.extract_v1(document)
        stubber.assert_no_pending_responses()
    assert result.record == expected
    assert (result.model_id, result.usage.input_tokens, result.usage.output_tokens) == (
        "amazon.nova-lite-v1:0",
        1200,
        300,
    )


def test_every_setting_is_documented():
    documented = (Path(__file__).parents[2] / "docs" / "CONFIGURATION.md").read_text()
    missing = [
        ENV_PREFIX + name.upper() for name in Settings.model_fields if f"`{ENV_PREFIX}{name.upper()}`" not in documented
    ]
    assert missing == []
    assert f"`{OPENAI_API_KEY_VAR}`" in documented
