"""``python -m evaluation real`` on a two-document folder: the rules, Bedrock (Stubber) and an OpenAI-compatible server.

The OCR cache is seeded with the documents' saved responses, so no test pays for OCR; the LLM
extractors answer with canned records, which checks the wiring (same command, same truth, same
scoring), not a model.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import boto3
import pytest
from botocore.config import Config
from botocore.stub import ANY, Stubber

from evaluation import real
from evaluation.real_scoring import Outcome
from textract_pipeline.extraction import BedrockExtractor, DeterministicExtractor
from textract_pipeline.extraction.prompts import TOOL_NAME
from textract_pipeline_tests.extraction import real_documents

NAMES = [real_documents.PINELLAS_QCD, real_documents.THURSTON_IN_LIEU]


@pytest.fixture
def folder(tmp_path):
    truth_file = real_documents.folder_with(NAMES, tmp_path / "docs", tmp_path / "cache")
    return tmp_path / "docs", truth_file, tmp_path / "cache"


def _rules_record(name: str) -> dict:
    return DeterministicExtractor().extract_v1(real_documents.view(name)).record.model_dump(mode="json")


def test_rules_on_two_documents(folder, capsys, tmp_path):
    documents, truth_file, cache = folder
    report = real.main(
        [str(documents), "--truth", str(truth_file), "--cache", str(cache), "--json", str(tmp_path / "r.json")]
    )
    printed = capsys.readouterr().out
    assert "D1 pinellas_deed_22450_0430" in printed and "D2 DeschutesHeights4414_p077-079_DeedInLi" in printed
    assert "recording_number" in printed and "values labelled" in printed and "document types missed: 0" in printed
    assert report.document_types_missed == []
    counts = report.outcomes()
    assert counts[Outcome.FOUND] / sum(counts.values()) == pytest.approx(report.share(Outcome.FOUND))
    assert report.share(Outcome.FOUND) > 0.8  # both are printed, legible deeds
    saved = json.loads((tmp_path / "r.json").read_text())
    assert {d["file"] for d in saved["documents"]} == set(NAMES)
    notary = [v for d in saved["documents"] for v in d["values"] if v["field"] == "notary_date"]
    assert notary and all(v["outcome"] == "missing" for v in notary)  # handwritten: the OCR does not read them


def test_bedrock_extractor_through_the_same_command(folder):
    documents, truth_file, cache = folder
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t",
        config=Config(retries={"mode": "standard"}),
    )  # fmt: skip
    stubber = Stubber(client)
    for name in NAMES:  # the model answers with what the rules read: scores must then match the rules'
        answer = {"toolUse": {"toolUseId": "t1", "name": TOOL_NAME, "input": _rules_record(name)}}
        stubber.add_response(
            "converse",
            {"output": {"message": {"role": "assistant", "content": [answer]}}, "stopReason": "tool_use",
             "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15}, "metrics": {"latencyMs": 1}},
            {"modelId": "amazon.nova-lite-v1:0", "system": ANY, "messages": ANY, "inferenceConfig": ANY,
             "toolConfig": ANY},
        )  # fmt: skip
    with stubber:
        llm = real.run(documents, truth_file, BedrockExtractor(client=client), cache)
    rules = real.run(documents, truth_file, DeterministicExtractor(), cache)
    stubber.assert_no_pending_responses()
    assert llm.extractor == "bedrock"
    assert [s.outcome for r in llm.documents for s in r.scored] == [
        s.outcome for r in rules.documents for s in r.scored
    ]


class _ChatServer:
    """A chat-completions server on 127.0.0.1 answering every request with the next canned record."""

    def __init__(self, replies: list[dict]):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                server.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                content = json.dumps(replies.pop(0))
                body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_port}/v1"


def test_openai_compatible_extractor_from_the_pipelines_settings(folder, monkeypatch, capsys):
    documents, truth_file, cache = folder
    wrong = _rules_record(NAMES[0]) | {"consideration": None}  # a model that misses one value
    chat = _ChatServer([wrong, _rules_record(NAMES[1])])
    monkeypatch.setenv("TEXTRACT_PIPELINE_OPENAI_BASE_URL", chat.url)
    monkeypatch.setenv("TEXTRACT_PIPELINE_OPENAI_MODEL", "local-model")
    try:
        report = real.main([str(documents), "--truth", str(truth_file), "--cache", str(cache), "--extractor", "openai"])
    finally:
        chat.http.shutdown()
        chat.http.server_close()
    assert "extractor: openai_compatible" in capsys.readouterr().out
    assert [r["model"] for r in chat.requests] == ["local-model", "local-model"]
    consideration = [s for s in report.documents[0].scored if s.field == "consideration"]
    assert [s.outcome for s in consideration] == [Outcome.MISSING]
