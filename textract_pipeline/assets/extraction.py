"""v1_schema and v2_dynamic: the structured record, fixed-schema and schema-free."""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg

from textract_pipeline.batches import DOCUMENT_ASSET, DocumentOutput, each_document
from textract_pipeline.checks import V1_CHECK_SPECS, check_confidence, check_schema
from textract_pipeline.extraction import DocumentView, estimate_cost, read_document_view
from textract_pipeline.manifests import (
    SourceDocument,
    TextractOutput,
    V1Output,
    V2Output,
)
from textract_pipeline.outputs import output_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.extractor import ExtractorResource
from textract_pipeline.resources.tracking import TrackingStore

TEXTRACT_FEATURE_SET = "TABLES+FORMS+LAYOUT"


def _read_view(document_store: DocumentStore, textract_raw: TextractOutput) -> DocumentView:
    """What the extractors read, built from the response a page at a time (memory flat in pages)."""
    with document_store.local_file(textract_raw.cache_key) as path:
        return read_document_view(path)


def _provenance(source: SourceDocument) -> dict[str, str]:
    return {
        "document_id": source.document_id,
        "object_key": source.object_key,
        "processing_id": source.processing_id,
        "content_hash": source.content_hash,
        "received_at": source.received_at.isoformat(),
    }


def _extract_v1(
    source: SourceDocument,
    textract_raw: TextractOutput,
    document: DocumentView,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> tuple[V1Output, dict[str, Any]]:
    result = extractor.get().extract_v1(document)
    cost = estimate_cost(textract_raw.pages, TEXTRACT_FEATURE_SET, result.model_id, result.usage)
    key = output_key(source.object_key, "v1_schema", source.received_at)
    payload = {
        "source": _provenance(source),
        "cost": cost.model_dump(mode="json"),
        **result.model_dump(mode="json"),
    }
    uri = document_store.write_text(key, json.dumps(payload, indent=2), "application/json")
    document_type = result.record.document_type.value.value
    tracking.set_status(
        source.document_id,
        source.attempt_id,
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
        "cost_usd": dg.MetadataValue.float(cost.total_usd),
        "output": dg.MetadataValue.url(uri),
    }
    return V1Output(output_key=key, result=result, cost=cost), metadata


def _extract_v2(
    source: SourceDocument,
    document: DocumentView,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> tuple[V2Output, dict[str, Any]]:
    v2 = extractor.get().extract_v2(document)
    key = output_key(source.object_key, "v2_dynamic", source.received_at)
    payload = {"source": _provenance(source), **v2.model_dump(mode="json")}
    uri = document_store.write_text(key, json.dumps(payload, indent=2), "application/json")
    tracking.set_status(source.document_id, source.attempt_id, DocumentStatus.EXTRACTED, outputs={"v2_dynamic": key})
    return V2Output(output_key=key, document=v2), {"output": dg.MetadataValue.url(uri)}


@dg.multi_asset(
    outs={
        "v1_schema": dg.AssetOut(
            kinds={"bedrock", "pydantic"},
            is_required=False,
            description="V1: the real-estate transfer record in the fixed, versioned pydantic schema, with evidence.",
        ),
        "v2_dynamic": dg.AssetOut(
            kinds={"bedrock"},
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
    source_document: dict[str, SourceDocument],
    textract_raw: dict[str, TextractOutput],
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """V1 and V2 from one reading of each response: reading it is most of the work of a deterministic extraction."""
    selected = {asset.to_user_string() for asset in context.selected_asset_keys}

    def extract(key: str) -> DocumentOutput:
        source, raw = source_document[key], textract_raw[key]
        document = _read_view(document_store, raw)
        made = {}
        if "v1_schema" in selected:
            made["v1_schema"] = _extract_v1(source, raw, document, document_store, tracking, extractor)
        if "v2_dynamic" in selected:
            made["v2_dynamic"] = _extract_v2(source, document, document_store, tracking, extractor)
        return DocumentOutput(
            {asset: value for asset, (value, _) in made.items()},
            {asset: metadata for asset, (_, metadata) in made.items()},
        )

    records = each_document(context, document_store, tracking, extract, sources=source_document, inputs=[textract_raw])
    for asset in sorted(selected):
        yield dg.Output({key: values[asset] for key, values in records.items()}, output_name=asset)
    if "v1_schema" in selected:
        # The checks read the V1 JSON as written, which is what consumers get.
        written = {
            key: json.loads(document_store.read_text(values["v1_schema"].output_key))["record"]
            for key, values in records.items()
        }
        yield check_schema(written)
        yield check_confidence(written)
