"""The OpenAI-compatible extractor's transport: the openai SDK against a local server that misbehaves.

A network blip or an overloaded server is retried (by the SDK, then by the step's retry
policy through ModelUnavailableError); a request the server refuses is a terminal failure.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from textract_pipeline.extraction import DeterministicExtractor, ExtractionError, OpenAICompatibleExtractor
from textract_pipeline.extraction.llm import ModelUnavailableError
from textract_pipeline.failures import TERMINAL_ERRORS, is_retryable


class ScriptedServer:
    """Answers each POST with the next scripted (status, delay seconds) and, for 200, a valid record."""

    def __init__(self, record: dict):
        self.script: list[tuple[int, float]] = []
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                server.requests += 1
                status, delay = server.script.pop(0) if server.script else (200, 0.0)
                time.sleep(delay)
                if status == 200:
                    body = {
                        "choices": [{"message": {"role": "assistant", "content": json.dumps(record)}}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 5},
                    }
                else:
                    body = {"error": {"message": f"scripted {status}", "type": "scripted"}}
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/v1"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def server(ocr_document):
    scripted = ScriptedServer(DeterministicExtractor().extract_v1(ocr_document).record.model_dump(mode="json"))
    yield scripted
    scripted.http.shutdown()
    scripted.http.server_close()


def test_an_overloaded_server_is_retried_by_the_sdk(server, ocr_document):
    server.script += [(503, 0.0), (429, 0.0)]
    result = OpenAICompatibleExtractor(server.url, "m", max_retries=2).extract_v1(ocr_document)
    assert server.requests == 3 and result.usage.input_tokens == 10


def test_a_server_still_failing_after_the_sdk_retries_is_worth_retrying(server, ocr_document):
    server.script += [(503, 0.0)] * 2
    with pytest.raises(ModelUnavailableError, match="did not answer"):
        OpenAICompatibleExtractor(server.url, "m", max_retries=1).extract_v1(ocr_document)
    assert server.requests == 2


def test_a_timeout_is_worth_retrying(server, ocr_document):
    server.script.append((200, 2.0))
    with pytest.raises(ModelUnavailableError):
        OpenAICompatibleExtractor(server.url, "m", timeout=0.5, max_retries=0).extract_v1(ocr_document)


def test_a_refused_request_fails_at_once(server, ocr_document):
    server.script.append((404, 0.0))
    with pytest.raises(ExtractionError, match="refused the request \\(404\\)"):
        OpenAICompatibleExtractor(server.url, "no-such-model", max_retries=2).extract_v1(ocr_document)
    assert server.requests == 1


def test_only_invalid_output_and_refusals_are_terminal():
    assert issubclass(ExtractionError, TERMINAL_ERRORS)
    assert not is_retryable(ExtractionError("the answer failed validation twice"))
    assert is_retryable(ModelUnavailableError("model server did not answer: timed out"))
