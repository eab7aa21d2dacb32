"""LLM extractors: Amazon Bedrock (Converse API, tool use) and any OpenAI-compatible endpoint.

Both share one loop: split the document so no request exceeds the input limit, ask for
the V1 record, validate it, repair once with the validation error, otherwise raise
ExtractionError. Fields the model returns that V1 has no place for are kept aside (as
``V1Result.extra_fields``) for the schema_extensions report instead of failing the record.

Transport is the SDKs' own: boto3 (adaptive retries, set on the client) and the ``openai`` SDK
(its retries of connection errors, timeouts, 408/409/429 and 5xx). What still fails after
those retries raises ``ModelUnavailableError``, which the step's retry policy retries later;
a request the service refuses (access denied, unknown model) and invalid output are terminal.
"""

from __future__ import annotations

import json
import re
import typing
from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from textract_pipeline.extraction.base import Extractor
from textract_pipeline.extraction.document_view import DocumentView, as_view
from textract_pipeline.extraction.errors import ExtractionError
from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.prompts import (
    PROMPT_VERSION,
    TOOL_DESCRIPTION,
    TOOL_NAME,
    document_text,
    repair_prompt,
    system_prompt,
    tool_schema,
    user_prompt,
)
from textract_pipeline.extraction.results import TokenUsage, V1Result
from textract_pipeline.extraction.schema_v1 import DocumentType, V1Record
from textract_pipeline.extraction.schema_v2 import V2Document
from textract_pipeline.extraction.v2 import build_v2

if TYPE_CHECKING:
    from textractor.entities.document import Document

DEFAULT_BEDROCK_MODEL = "amazon.nova-lite-v1:0"
ALTERNATIVE_BEDROCK_MODEL = "qwen.qwen2.5-7b-instruct"
DEFAULT_MAX_INPUT_CHARS = 24_000  # ~6k tokens of OCR text per request, well inside every supported model
_BEDROCK_UNAVAILABLE = {
    "ThrottlingException",
    "ServiceUnavailableException",
    "ModelNotReadyException",
    "InternalServerException",
    "ModelTimeoutException",
}


class ModelUnavailableError(Exception):
    """The model did not answer (connection, timeout, throttling, server error) after the SDK's retries.

    Not an ExtractionError: the document is not at fault, so the step is retried, not failed.
    """


@dataclass
class Reply:
    """One model answer: the parsed tool input (or None) and what to send back to continue the conversation."""

    data: dict | None
    usage: TokenUsage
    assistant_message: dict
    tool_use_id: str | None = None
    raw_text: str = ""


def split_pages(view: DocumentView, max_chars: int) -> list[list[int]]:
    """Group whole pages into requests of at most ``max_chars`` document text; a longer page goes alone (truncated)."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for page in range(1, view.page_count + 1):
        length = len(view.page_text(page)) + 20
        if current and size + length > max_chars:
            groups.append(current)
            current, size = [], 0
        current.append(page)
        size += length
    if current:
        groups.append(current)
    return groups or [[1]]


def split_extra_fields(data: object, model: type[BaseModel], path: str = "") -> tuple[object, dict[str, object]]:
    """Drop keys the model does not define (recursively) and return them by dotted path."""
    extras: dict[str, object] = {}
    if not isinstance(data, dict):
        return data, extras
    known: dict[str, object] = {}
    for key, value in data.items():
        field_info = model.model_fields.get(key)
        where = f"{path}{key}"
        if field_info is None:
            extras[where] = value
            continue
        nested = _nested_model(field_info.annotation)
        if nested and isinstance(value, dict):
            value, inner = split_extra_fields(value, nested, f"{where}.")
            extras.update(inner)
        elif nested and isinstance(value, list):
            cleaned = []
            for index, item in enumerate(value):
                item, inner = split_extra_fields(item, nested, f"{where}[{index}].")
                extras.update(inner)
                cleaned.append(item)
            value = cleaned
        known[key] = value
    return known, extras


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _nested_model(argument)
        if found:
            return found
    return None


def merge_records(records: list[V1Record]) -> V1Record:
    """Combine per-part records: first value found wins, lists are united without duplicates."""
    merged = records[0].model_copy(deep=True)
    for record in records[1:]:
        if merged.document_type.value is DocumentType.OTHER and record.document_type.value is not DocumentType.OTHER:
            merged.document_type = record.document_type
        for name in (
            "consideration",
            "loan_amount",
            "dated_date",
            "notary_date",
            "title_company",
            "escrow_number",
            "order_number",
            "file_number",
        ):
            if getattr(merged, name) is None:
                setattr(merged, name, getattr(record, name))
        for group in ("recording", "property", "mail_to", "tax_statements_to", "transfer_tax"):
            target, source = getattr(merged, group), getattr(record, group)
            for name in type(target).model_fields:
                if name == "apns":
                    seen = {normalize_name(a.value) for a in target.apns}
                    target.apns += [a for a in source.apns if normalize_name(a.value) not in seen]
                elif getattr(target, name) is None:
                    setattr(target, name, getattr(source, name))
        for side in ("grantors", "grantees", "trustees"):
            seen = {normalize_name(p.full_name) for p in getattr(merged, side)}
            getattr(merged, side).extend(p for p in getattr(record, side) if normalize_name(p.full_name) not in seen)
        merged.checkboxes += record.checkboxes
    return merged


class LLMExtractor(Extractor):
    """Shared request / validate / repair loop; subclasses speak one wire protocol."""

    def __init__(self, model_id: str, *, max_input_chars: int = DEFAULT_MAX_INPUT_CHARS, max_output_tokens: int = 4096):
        self.model_id = model_id
        self.max_input_chars = max_input_chars
        self.max_output_tokens = max_output_tokens

    @abstractmethod
    def _ask(self, messages: list[dict]) -> Reply:
        """Send the conversation; return the model's answer."""

    @abstractmethod
    def _first_message(self, text: str) -> dict: ...

    @abstractmethod
    def _repair_message(self, reply: Reply, error: str) -> dict: ...

    def extract_v1(self, document: Document | DocumentView) -> V1Result:
        view = as_view(document)
        usage = TokenUsage()
        records: list[V1Record] = []
        extras: dict[str, object] = {}
        repaired = False
        groups = split_pages(view, self.max_input_chars)
        for part, pages in enumerate(groups, start=1):
            text = document_text(view, pages)[: self.max_input_chars]
            messages = [self._first_message(user_prompt(text, part, len(groups)))]
            reply = self._ask(messages)
            usage += reply.usage
            record, part_extras, error = self._validate(reply)
            if error is not None:
                repaired = True
                messages += [reply.assistant_message, self._repair_message(reply, error)]
                reply = self._ask(messages)
                usage += reply.usage
                record, part_extras, error = self._validate(reply)
                if error is not None:
                    raise ExtractionError(
                        f"{self.name} model {self.model_id} returned an invalid V1 record twice "
                        f"(part {part} of {len(groups)}): {error}"
                    )
            records.append(record)
            extras.update(part_extras)
        return V1Result(
            record=merge_records(records),
            extractor=self.name,
            model_id=self.model_id,
            prompt_version=PROMPT_VERSION,
            usage=usage,
            repaired=repaired,
            extra_fields=extras,
        )

    def extract_v2(self, document: Document | DocumentView) -> V2Document:
        """V2 stays rule-based: it must list everything on the page, which models summarise away."""
        return build_v2(document)

    @staticmethod
    def _validate(reply: Reply) -> tuple[V1Record | None, dict[str, object], str | None]:
        if reply.data is None:
            return None, {}, f"no `{TOOL_NAME}` tool call with a JSON object was found in the answer"
        known, extras = split_extra_fields(reply.data, V1Record)
        try:
            return V1Record.model_validate(known), extras, None
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)[:20]
            )
            return None, extras, problems


class BedrockExtractor(LLMExtractor):
    """Amazon Bedrock Converse API with the V1 JSON Schema as the tool's input schema."""

    name = "bedrock"

    def __init__(
        self,
        model_id: str = DEFAULT_BEDROCK_MODEL,
        *,
        client=None,
        region_name: str | None = None,
        max_input_chars: int = DEFAULT_MAX_INPUT_CHARS,
        max_output_tokens: int = 4096,
    ):
        super().__init__(model_id, max_input_chars=max_input_chars, max_output_tokens=max_output_tokens)
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "bedrock-runtime",
                region_name=region_name,
                config=Config(retries={"mode": "adaptive", "max_attempts": 10}),
            )
        self.client = client

    def _first_message(self, text: str) -> dict:
        return {"role": "user", "content": [{"text": text}]}

    def _repair_message(self, reply: Reply, error: str) -> dict:
        if reply.tool_use_id:
            return {
                "role": "user",
                "content": [
                    {
                        "toolResult": {
                            "toolUseId": reply.tool_use_id,
                            "content": [{"text": repair_prompt(error)}],
                            "status": "error",
                        }
                    }
                ],
            }
        return {"role": "user", "content": [{"text": repair_prompt(error)}]}

    def _ask(self, messages: list[dict]) -> Reply:
        from botocore.exceptions import ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotocoreConnectionError

        request = {
            "modelId": self.model_id,
            "system": [{"text": system_prompt()}],
            "messages": messages,
            "inferenceConfig": {"maxTokens": self.max_output_tokens, "temperature": 0.0},
            "toolConfig": {
                "tools": [
                    {
                        "toolSpec": {
                            "name": TOOL_NAME,
                            "description": TOOL_DESCRIPTION,
                            "inputSchema": {"json": tool_schema()},
                        }
                    }
                ],
                "toolChoice": {"tool": {"name": TOOL_NAME}},
            },
        }
        try:
            response = self.client.converse(**request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _BEDROCK_UNAVAILABLE:
                raise ModelUnavailableError(f"Bedrock {self.model_id} did not answer: {code}") from exc
            raise ExtractionError(f"Bedrock {self.model_id} call failed: {code or exc}") from exc
        except (BotocoreConnectionError, HTTPClientError) as exc:
            raise ModelUnavailableError(f"Bedrock {self.model_id} could not be reached: {exc}") from exc
        message = response["output"]["message"]
        usage = TokenUsage(
            input_tokens=response.get("usage", {}).get("inputTokens", 0),
            output_tokens=response.get("usage", {}).get("outputTokens", 0),
        )
        for block in message.get("content", []):
            if "toolUse" in block and block["toolUse"].get("name") == TOOL_NAME:
                tool_input = block["toolUse"].get("input")
                return Reply(
                    tool_input if isinstance(tool_input, dict) else None,
                    usage,
                    message,
                    block["toolUse"].get("toolUseId"),
                )
        text = " ".join(block.get("text", "") for block in message.get("content", []))
        return Reply(_json_object(text), usage, message, None, text)


class OpenAICompatibleExtractor(LLMExtractor):
    """Any server speaking OpenAI chat completions (llama.cpp, vLLM, Ollama, LM Studio), through the openai SDK."""

    name = "openai_compatible"

    def __init__(
        self,
        base_url: str,
        model_id: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 2,
        max_input_chars: int = DEFAULT_MAX_INPUT_CHARS,
        max_output_tokens: int = 4096,
    ):
        from openai import OpenAI

        super().__init__(model_id, max_input_chars=max_input_chars, max_output_tokens=max_output_tokens)
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        # A placeholder key, never OPENAI_API_KEY from the environment: local servers want none,
        # and a real OpenAI key must not be sent to whatever server base_url names.
        self.client = OpenAI(
            base_url=self.base_url, api_key=api_key or "none", timeout=timeout, max_retries=max_retries
        )

    def _first_message(self, text: str) -> dict:
        return {"role": "user", "content": text + "\nAnswer with the JSON object only (the tool input), no prose."}

    def _repair_message(self, reply: Reply, error: str) -> dict:
        return {"role": "user", "content": repair_prompt(error) + "\nAnswer with the JSON object only."}

    def _ask(self, messages: list[dict]) -> Reply:
        import openai

        try:
            completion = self.client.chat.completions.create(
                model=self.model_id,
                messages=[{"role": "system", "content": system_prompt()}, *messages],
                temperature=0,
                max_tokens=self.max_output_tokens,
                response_format={"type": "json_object"},
            )
        except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
            raise ModelUnavailableError(f"model server {self.base_url} did not answer: {exc}") from exc
        except openai.APIStatusError as exc:
            raise ExtractionError(
                f"model server {self.base_url} refused the request ({exc.status_code}): {exc.message}"
            ) from exc
        usage = TokenUsage(
            input_tokens=getattr(completion.usage, "prompt_tokens", None) or 0,
            output_tokens=getattr(completion.usage, "completion_tokens", None) or 0,
        )
        choice = completion.choices[0].message if completion.choices else None
        text = (choice.content if choice else None) or ""
        for call in (choice.tool_calls if choice else None) or []:
            text = getattr(call.function, "arguments", None) or text
        return Reply(_json_object(text), usage, {"role": "assistant", "content": text}, None, text)


def _json_object(text: str) -> dict | None:
    """The JSON object in a model's text answer (tolerates ```json fences and prose around it)."""
    cleaned = re.sub(r"^```(?:json)?\s*|\s*```$", "", text.strip())
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(cleaned[start : end + 1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
