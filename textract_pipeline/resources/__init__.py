"""One resource per external service, each with an AWS and an embedded implementation.

The AWS implementations (boto3, dagster-aws) are imported only when the settings choose them:
every run process of the embedded default imports this module, and they cost it a second.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

from textract_pipeline.io_manager import JsonManifestIOManager
from textract_pipeline.resources.document_store import DocumentStore, LocalDocumentStore
from textract_pipeline.resources.extractor import (
    DeterministicExtractorResource,
    ExtractorResource,
    OpenAICompatibleExtractorResource,
)
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.resources.textract import LocalTextract, TextractService
from textract_pipeline.resources.tracking import SqliteTrackingStore, TrackingStore
from textract_pipeline.settings import ENV_PREFIX, Settings
from textract_pipeline.validation import DocumentLimits

OPENAI_API_KEY_VAR = ENV_PREFIX + "OPENAI_API_KEY"


def _required(settings: Settings, field: str, purpose: str) -> str:
    value = getattr(settings, field)
    if not value:
        raise ValueError(f"{ENV_PREFIX}{field.upper()} must be set {purpose}")
    return value


def _document_store(settings: Settings) -> DocumentStore:
    if settings.store == "local":
        return LocalDocumentStore(root=str(settings.data_dir))
    from textract_pipeline.resources.s3_store import S3DocumentStore

    return S3DocumentStore(
        bucket=_required(settings, "bucket", "for the S3 document store"),
        region_name=settings.aws_region,
        endpoint_url=settings.s3_endpoint_url or settings.aws_endpoint_url,
        max_attempts=settings.aws_max_attempts,
        uploads_queue_url=settings.uploads_queue_url,
    )


def _tracking(settings: Settings) -> TrackingStore:
    if settings.tracking == "sqlite":
        return SqliteTrackingStore(path=str(settings.tracking_path))
    from textract_pipeline.resources.dynamodb_tracking import DynamoDbTrackingStore

    return DynamoDbTrackingStore(
        tracking_table=settings.tracking_table,
        results_table=settings.results_table,
        region_name=settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
        max_attempts=settings.aws_max_attempts,
    )


def _textract(settings: Settings) -> TextractService:
    if settings.ocr == "local":
        return LocalTextract()
    if bool(settings.textract_sns_topic_arn) != bool(settings.textract_role_arn):
        raise ValueError(
            f"{ENV_PREFIX}TEXTRACT_SNS_TOPIC_ARN and {ENV_PREFIX}TEXTRACT_ROLE_ARN go together: "
            "Textract publishes completions only when it has both"
        )
    from textract_pipeline.resources.aws_textract import AwsTextract

    return AwsTextract(
        bucket=_required(settings, "bucket", "for Textract, which reads documents from S3"),
        region_name=settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
        max_attempts=settings.aws_max_attempts,
        sns_topic_arn=settings.textract_sns_topic_arn,
        role_arn=settings.textract_role_arn,
        completion_queue_url=settings.textract_completion_queue_url,
    )


def _extractor(settings: Settings) -> ExtractorResource:
    if settings.extractor == "deterministic":
        return DeterministicExtractorResource()
    if settings.extractor == "bedrock":
        from textract_pipeline.resources.bedrock import BedrockExtractorResource

        return BedrockExtractorResource(
            model_id=settings.bedrock_model_id,
            region_name=settings.bedrock_region or settings.aws_region,
            max_attempts=settings.aws_max_attempts,
        )
    return OpenAICompatibleExtractorResource(
        base_url=_required(settings, "openai_base_url", "for the OpenAI-compatible extractor"),
        model_id=_required(settings, "openai_model", "for the OpenAI-compatible extractor"),
        # A secret: the resource config names the variable, the value is read at run time.
        api_key=dg.EnvVar(OPENAI_API_KEY_VAR) if os.environ.get(OPENAI_API_KEY_VAR) else None,
    )


def build_resources(settings: Settings) -> dict[str, Any]:
    document_store = _document_store(settings)
    tracking = _tracking(settings)
    return {
        "document_store": document_store,
        "tracking": tracking,
        "textract": _textract(settings),
        "extractor": _extractor(settings),
        "document_limits": DocumentLimits(max_bytes=settings.max_bytes, max_pages=settings.max_pages),
        "io_manager": JsonManifestIOManager(document_store=document_store, tracking=tracking),
        "run_batching": RunBatching(
            max_documents_per_run=settings.max_documents_per_run or 1, parallel_runs=settings.parallel_runs
        ),
    }


def asset_kinds(settings: Settings) -> dict[str, set[str]]:
    """The services each asset talks to in this deployment, shown as its kinds in the UI."""
    store = "s3" if settings.store == "s3" else "file"
    ocr = "textract" if settings.ocr == "textract" else "tesseract"
    extractor = {"bedrock": "bedrock", "openai": "openai"}.get(settings.extractor or "", "python")
    tracking = "dynamodb" if settings.tracking == "dynamodb" else "sqlite"
    return {
        "source_document": {store},
        "textract_raw": {ocr},
        "v1_schema": {extractor, "pydantic"},
        "v2_dynamic": {extractor},
        "schema_extensions_report": {"markdown"},
        "v2_summary_report": {"markdown"},
        "document_result": {tracking},
        "processing_ledger": {"pandas", tracking},
    }
