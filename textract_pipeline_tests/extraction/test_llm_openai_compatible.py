"""OpenAICompatibleExtractor against a stub chat-completions server on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from textract_pipeline.extraction import DeterministicExtractor, ExtractionError, OpenAICompatibleExtractor
from textract_pipeline.extraction.llm import ModelUnavailableError


class StubServer:
    def __init__(self):
        self.replies: list[str] = []
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                content = stub.replies.pop(0)
                payload = json.dumps(
                    {
                        "choices": [{"message": {"role": "assistant", "content": content}}],
                        "usage": {"prompt_tokens": 900, "completion_tokens": 250},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v1"


@pytest.fixture
def stub_server():
    stub = StubServer()
    stub.thread.start()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


@pytest.fixture
def valid_json(ocr_document) -> str:
    return json.dumps(DeterministicExtractor().extract_v1(ocr_document).record.model_dump(mode="json"))


def test_fenced_json_answer_is_accepted(stub_server, ocr_document, valid_json, generated_deed):
    stub_server.replies.append(f"```json\n{valid_json}\n```")
    result = OpenAICompatibleExtractor(stub_server.url, "qwen2.5-7b-instruct", api_key="k").extract_v1(ocr_document)
    assert result.extractor == "openai_compatible" and result.model_id == "qwen2.5-7b-instruct"
    assert result.usage.input_tokens == 900 and not result.repaired
    (request,) = stub_server.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k"
    messages = request["body"]["messages"]
    assert messages[0]["role"] == "system" and "ISO 8601" in messages[0]["content"]
    assert generated_deed.truth.document_number in messages[1]["content"]


def test_repair_then_failure(stub_server, ocr_document, valid_json):
    stub_server.replies += ["I could not find a deed.", valid_json]
    result = OpenAICompatibleExtractor(stub_server.url, "m").extract_v1(ocr_document)
    assert result.repaired and result.usage.input_tokens == 1800
    assert "did not validate" in stub_server.requests[1]["body"]["messages"][-1]["content"]
    stub_server.replies += ['{"document_type": 3}', '{"document_type": 3}']
    with pytest.raises(ExtractionError, match="invalid V1 record twice"):
        OpenAICompatibleExtractor(stub_server.url, "m").extract_v1(ocr_document)


def test_unreachable_server_is_worth_retrying_not_a_failure(ocr_document):
    with pytest.raises(ModelUnavailableError, match="did not answer"):
        OpenAICompatibleExtractor("http://127.0.0.1:9/v1", "m", timeout=2, max_retries=0).extract_v1(ocr_document)
