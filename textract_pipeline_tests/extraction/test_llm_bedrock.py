"""BedrockExtractor against a real bedrock-runtime client with botocore's Stubber (no network)."""

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from textract_pipeline.extraction import (
    PROMPT_VERSION,
    BedrockExtractor,
    DeterministicExtractor,
    DocumentType,
    ExtractionError,
)
from textract_pipeline.extraction.document_view import build_view
from textract_pipeline.extraction.llm import ModelUnavailableError, split_pages
from textract_pipeline.extraction.prompts import TOOL_NAME


@pytest.fixture
def client():
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"mode": "adaptive"}),
    )


@pytest.fixture
def valid_record(ocr_document) -> dict:
    """What a well-behaved model returns: a complete V1 record as the tool input."""
    return DeterministicExtractor().extract_v1(ocr_document).record.model_dump(mode="json")


def _converse_response(tool_input, tokens=(1200, 300), use_id="tool-1"):
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [{"toolUse": {"toolUseId": use_id, "name": TOOL_NAME, "input": tool_input}}],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": tokens[0], "outputTokens": tokens[1], "totalTokens": sum(tokens)},
        "metrics": {"latencyMs": 900},
    }


def _capture_requests(client) -> list[dict]:
    requests: list[dict] = []
    client.meta.events.register(
        "provide-client-params.bedrock-runtime.Converse", lambda params, **_: requests.append(params)
    )
    return requests


def test_valid_tool_output_is_accepted(client, ocr_document, valid_record, generated_deed):
    requests = _capture_requests(client)
    with Stubber(client) as stubber:
        stubber.add_response("converse", _converse_response(valid_record))
        result = BedrockExtractor(client=client).extract_v1(ocr_document)
        stubber.assert_no_pending_responses()
    assert result.record.document_type.value is DocumentType.GRANT_DEED
    assert result.model_id == "amazon.nova-lite-v1:0" and result.extractor == "bedrock"
    assert result.prompt_version == PROMPT_VERSION and not result.repaired
    assert (result.usage.input_tokens, result.usage.output_tokens) == (1200, 300)
    (request,) = requests
    prompt = request["messages"][0]["content"][0]["text"]
    assert generated_deed.truth.document_number in prompt  # the document text
    assert '"grantors"' in prompt and '"transfer_tax"' in prompt  # the schema
    tool = request["toolConfig"]["tools"][0]["toolSpec"]
    assert tool["name"] == TOOL_NAME and "grantees" in tool["inputSchema"]["json"]["properties"]
    assert "$ref" not in str(tool["inputSchema"]["json"])


def test_invalid_output_is_repaired_once(client, ocr_document, valid_record):
    broken = {**valid_record, "recording": {**valid_record["recording"], "fees": {"value": "forty-three"}}}
    requests = _capture_requests(client)
    with Stubber(client) as stubber:
        stubber.add_response("converse", _converse_response(broken, use_id="first"))
        stubber.add_response("converse", _converse_response(valid_record, tokens=(1500, 310), use_id="second"))
        result = BedrockExtractor(client=client).extract_v1(ocr_document)
    assert result.repaired
    assert result.usage.input_tokens == 2700 and result.usage.output_tokens == 610
    repair_turn = requests[1]["messages"][-1]["content"][0]["toolResult"]
    assert repair_turn["toolUseId"] == "first" and repair_turn["status"] == "error"
    assert "recording.fees" in repair_turn["content"][0]["text"]


def test_still_invalid_after_repair_raises(client, ocr_document):
    with Stubber(client) as stubber:
        stubber.add_response("converse", _converse_response({"document_type": "deed"}))
        stubber.add_response("converse", _converse_response({"document_type": "deed"}))
        with pytest.raises(ExtractionError) as failure:
            BedrockExtractor(client=client).extract_v1(ocr_document)
    assert "invalid V1 record twice" in failure.value.reason and "document_type" in failure.value.reason


def test_throttling_left_after_the_sdk_retries_is_worth_retrying_not_a_failure(client, ocr_document):
    with Stubber(client) as stubber:
        stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
        with pytest.raises(ModelUnavailableError, match="ThrottlingException"):
            BedrockExtractor(client=client).extract_v1(ocr_document)


def test_an_unreachable_endpoint_is_worth_retrying_not_a_failure(ocr_document):
    closed_port = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"mode": "adaptive", "total_max_attempts": 1}),
    )
    with pytest.raises(ModelUnavailableError, match="could not be reached"):
        BedrockExtractor(client=closed_port).extract_v1(ocr_document)


def test_access_denied_is_a_clear_failure(client, ocr_document):
    with Stubber(client) as stubber:
        stubber.add_client_error("converse", service_error_code="AccessDeniedException", http_status_code=403)
        with pytest.raises(ExtractionError, match="AccessDeniedException"):
            BedrockExtractor(client=client).extract_v1(ocr_document)


def test_long_documents_are_split_and_merged(client, ocr_document, valid_record):
    limit = 1500
    parts = len(split_pages(build_view(ocr_document), limit))
    assert parts > 1
    requests = _capture_requests(client)
    extra = {**valid_record, "grantors": [], "escrow_number": None, "recording_office_hours": "8-5"}
    with Stubber(client) as stubber:
        for index in range(parts):
            stubber.add_response("converse", _converse_response(valid_record if index == 0 else extra))
        result = BedrockExtractor(client=client, max_input_chars=limit).extract_v1(ocr_document)
    assert len(requests) == parts
    for request in requests:
        text = request["messages"][0]["content"][0]["text"]
        assert len(text.split("<document>\n", 1)[1].rsplit("\n</document>", 1)[0]) <= limit
    assert result.record.grantors and result.extra_fields == {"recording_office_hours": "8-5"}


def test_client_created_once_with_adaptive_retries(monkeypatch):
    created = []

    def fake_client(service, **kwargs):
        created.append((service, kwargs["config"].retries))
        return object()

    monkeypatch.setattr(boto3, "client", fake_client)
    BedrockExtractor(model_id="qwen.qwen2.5-7b-instruct", region_name="us-west-2")
    assert created == [("bedrock-runtime", {"mode": "adaptive", "max_attempts": 10})]
