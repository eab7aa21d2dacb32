"""v1_schema and v2_dynamic: the structured record, fixed-schema and schema-free."""

import json
from collections.abc import Iterator

import dagster as dg
from textractor.entities.document import Document

from textract_pipeline.checks import V1_CHECK_SPECS, check_confidence, check_schema
from textract_pipeline.documents import documents_partitions
from textract_pipeline.extraction import estimate_cost
from textract_pipeline.failures import fail_document_on_error
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
from textract_pipeline.retries import SERVICE_RETRY_POLICY
from textract_pipeline.textract_document import load_document

TEXTRACT_FEATURE_SET = "TABLES+FORMS+LAYOUT"


def _read_document(document_store: DocumentStore, textract_raw: TextractOutput) -> Document:
    return load_document(json.loads(document_store.read_text(textract_raw.cache_key)))


def _provenance(source: SourceDocument) -> dict[str, str]:
    return {
        "document_id": source.document_id,
        "object_key": source.object_key,
        "processing_id": source.processing_id,
        "content_hash": source.content_hash,
        "received_at": source.received_at.isoformat(),
    }


@dg.asset(
    partitions_def=documents_partitions,
    retry_policy=SERVICE_RETRY_POLICY,
    group_name="extraction",
    kinds={"bedrock", "pydantic"},
    pool="bedrock",
    check_specs=V1_CHECK_SPECS,
    description="V1: the real-estate transfer record in the fixed, versioned pydantic schema, with evidence.",
)
def v1_schema(
    context: dg.AssetExecutionContext,
    source_document: SourceDocument,
    textract_raw: TextractOutput,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> Iterator[dg.Output[V1Output] | dg.AssetCheckResult]:
    source = source_document
    with fail_document_on_error(context, document_store, tracking, source.document_id, source.attempt_id):
        document = _read_document(document_store, textract_raw)
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
        written = json.loads(document_store.read_text(key))["record"]
    yield dg.Output(
        V1Output(output_key=key, result=result, cost=cost),
        metadata={
            "document_type": document_type,
            "extractor": result.extractor,
            "model_id": result.model_id or "none",
            "schema_version": result.schema_version,
            "prompt_version": result.prompt_version or "none",
            "input_tokens": result.usage.input_tokens,
            "output_tokens": result.usage.output_tokens,
            "cost_usd": dg.MetadataValue.float(cost.total_usd),
            "output": dg.MetadataValue.url(uri),
        },
    )
    yield check_schema(written)
    yield check_confidence(written)


@dg.asset(
    partitions_def=documents_partitions,
    retry_policy=SERVICE_RETRY_POLICY,
    group_name="extraction",
    kinds={"bedrock"},
    pool="bedrock",
    description="V2: everything the document states, grouped by section, snake_case names, typed values.",
)
def v2_dynamic(
    context: dg.AssetExecutionContext,
    source_document: SourceDocument,
    textract_raw: TextractOutput,
    document_store: DocumentStore,
    tracking: TrackingStore,
    extractor: ExtractorResource,
) -> V2Output:
    source = source_document
    with fail_document_on_error(context, document_store, tracking, source.document_id, source.attempt_id):
        document = _read_document(document_store, textract_raw)
        v2 = extractor.get().extract_v2(document)
        key = output_key(source.object_key, "v2_dynamic", source.received_at)
        payload = {"source": _provenance(source), **v2.model_dump(mode="json")}
        uri = document_store.write_text(key, json.dumps(payload, indent=2), "application/json")
        tracking.set_status(
            source.document_id, source.attempt_id, DocumentStatus.EXTRACTED, outputs={"v2_dynamic": key}
        )
    context.add_output_metadata({"output": dg.MetadataValue.url(uri)})
    return V2Output(output_key=key, document=v2)
