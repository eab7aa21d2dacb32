"""v1_schema and v2_dynamic: the structured record, fixed-schema and schema-free."""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg

from textract_pipeline.checks import V1_CHECK_SPECS, check_v1
from textract_pipeline.document_steps import (
    DOCUMENT_ASSET,
    DocumentOutput,
    document_outputs,
    each_document,
    ensure_current,
)
from textract_pipeline.extraction import DocumentView, estimate_cost, read_document_view
from textract_pipeline.manifests import DocumentRef, TextractOutput, V1Output, V2Output
from textract_pipeline.outputs import CACHED_JOB, output_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.extractor import ExtractorResource
from textract_pipeline.resources.textract import AWS_TEXTRACT_ENGINE
from textract_pipeline.resources.tracking import TrackingStore

TEXTRACT_FEATURE_SET = "TABLES+FORMS+LAYOUT"


def _read_view(document_store: DocumentStore, textract_raw: TextractOutput) -> DocumentView:
    """What the extractors read, built from the response a page at a time (memory flat in pages)."""
    with document_store.local_file(textract_raw.cache_key) as path:
        return read_document_view(path)


def _provenance(document: DocumentRef) -> dict[str, str]:
    return {
        "document_id": document.document_id,
        "object_key": document.object_key,
        "version": document.version,
        "processing_id": document.processing_id,
        "content_hash": document.content_hash,
        "received_at": document.received_at.isoformat(),
    }


def _extract_v1(
    textract_raw: TextractOutput,
    view: DocumentView,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> tuple[V1Output, dict[str, Any]]:
    document = textract_raw.document
    result = extractor.get().extract_v1(view)
    # Amazon Textract bills a new analysis; the local engine and the content-hash cache cost nothing.
    billed = textract_raw.engine == AWS_TEXTRACT_ENGINE and textract_raw.job_id != CACHED_JOB
    cost = estimate_cost(
        textract_raw.pages, TEXTRACT_FEATURE_SET, result.model_id, result.usage, textract_billed=billed
    )
    key = output_key(document.object_key, "v1_schema", document.received_at)
    payload = {
        "source": _provenance(document),
        "cost": cost.model_dump(mode="json"),
        **result.model_dump(mode="json"),
    }
    ensure_current(tracking, document)
    uri = document_store.write_text(key, json.dumps(payload, indent=2), "application/json")
    document_type = result.record.document_type.value.value
    tracking.set_status(
        document.document_id,
        document.attempt_id,
        DocumentStatus.EXTRACTED,
        document_type=document_type,
        outputs={"v1_schema": key},
    )
    metadata = {
        "document_type": document_type,
        "extractor": result.extractor,
        "model_id": result.model_id or "none",
        "schema_version": result.schema_version,
        "prompt_version": result.prompt_version or "none",
        "input_tokens": result.usage.input_tokens,
        "output_tokens": result.usage.output_tokens,
        "cost_usd": dg.MetadataValue.float(cost.paid_usd),
        "aws_cost_usd": dg.MetadataValue.float(cost.aws_usd),
        "output": dg.MetadataValue.url(uri),
    }
    output = V1Output(
        document=document, output_key=key, textract_output_key=textract_raw.output_key, result=result, cost=cost
    )
    return output, metadata


def _extract_v2(
    textract_raw: TextractOutput,
    view: DocumentView,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> tuple[V2Output, dict[str, Any]]:
    document = textract_raw.document
    v2 = extractor.get().extract_v2(view)
    key = output_key(document.object_key, "v2_dynamic", document.received_at)
    payload = {"source": _provenance(document), **v2.model_dump(mode="json")}
    ensure_current(tracking, document)
    uri = document_store.write_text(key, json.dumps(payload, indent=2), "application/json")
    tracking.set_status(
        document.document_id, document.attempt_id, DocumentStatus.EXTRACTED, outputs={"v2_dynamic": key}
    )
    return V2Output(document=document, output_key=key, v2=v2), {"output": dg.MetadataValue.url(uri)}


@dg.multi_asset(
    outs={
        "v1_schema": dg.AssetOut(
            kinds={"pydantic"},
            is_required=False,
            description="V1: the real-estate transfer record in the fixed, versioned pydantic schema, with evidence.",
        ),
        "v2_dynamic": dg.AssetOut(
            is_required=False,
            description="V2: everything the document states, grouped by section, snake_case names, typed values.",
        ),
    },
    **DOCUMENT_ASSET,
    group_name="extraction",
    pool="bedrock",
    check_specs=V1_CHECK_SPECS,
    can_subset=True,
)
def extract_records(
    context: dg.AssetExecutionContext,
    textract_raw: dict[str, TextractOutput],
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> Iterator[dg.Output | dg.AssetCheckEvaluation]:
    """V1 and V2 from one reading of each response: reading it is most of the work of a deterministic extraction."""
    selected = {asset.to_user_string() for asset in context.selected_asset_keys}

    def extract(document_id: str) -> DocumentOutput:
        raw = textract_raw[document_id]
        view = _read_view(document_store, raw)
        made = {}
        if "v1_schema" in selected:
            made["v1_schema"] = _extract_v1(raw, view, document_store, tracking, extractor)
        if "v2_dynamic" in selected:
            made["v2_dynamic"] = _extract_v2(raw, view, document_store, tracking, extractor)
        return DocumentOutput(
            {asset: value for asset, (value, _) in made.items()},
            {asset: metadata for asset, (_, metadata) in made.items()},
        )

    step = each_document(context, document_store, tracking, extract, inputs=[textract_raw])
    yield from document_outputs(context, step)
    # The checks read the V1 JSON as written, which is what consumers get, and judge each document.
    for document_id, v1 in step.values.get("v1_schema", {}).items():
        written = json.loads(document_store.read_text(v1.output_key))["record"]
        yield from check_v1(document_id, written)
