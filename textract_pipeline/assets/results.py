"""document_result: the queryable results record, and the document's terminal COMPLETED status."""

import json

import dagster as dg

from textract_pipeline.batches import DOCUMENT_ASSET, DocumentOutput, each_document
from textract_pipeline.extraction import V1Record
from textract_pipeline.manifests import (
    ReportOutput,
    SourceDocument,
    TextractOutput,
    V1Output,
    V2Output,
)
from textract_pipeline.records import DocumentStatus, ResultRecord, utc_now
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

# DynamoDB items stop at 400 KB; larger records are only referenced by their S3 output.
INLINE_V1_LIMIT_BYTES = 400 * 1024 - 16 * 1024


def build_result(
    source: SourceDocument,
    textract: TextractOutput,
    v1: V1Output,
    outputs: dict[str, str],
) -> ResultRecord:
    record: V1Record = v1.result.record
    v1_json = record.model_dump(mode="json")
    inline = v1_json if len(json.dumps(v1_json)) <= INLINE_V1_LIMIT_BYTES else None
    return ResultRecord(
        processing_id=source.processing_id,
        timestamp=utc_now(),
        document_id=source.document_id,
        object_key=source.object_key,
        upload_date=f"{source.received_at:%Y-%m-%d}",
        status=DocumentStatus.COMPLETED,
        document_type=record.document_type.value.value,
        buyer_names=[party.full_name for party in record.grantees],
        seller_names=[party.full_name for party in record.grantors],
        property_address=record.property.situs_address.value if record.property.situs_address else None,
        apn=record.property.apns[0].value if record.property.apns else None,
        sale_price=record.consideration.value if record.consideration else None,
        pages=textract.pages,
        cost_usd=v1.cost.total_usd,
        schema_version=v1.result.schema_version,
        prompt_version=v1.result.prompt_version,
        outputs=outputs,
        v1_inline=inline,
    )


def _complete(
    context: dg.AssetExecutionContext,
    source: SourceDocument,
    textract: TextractOutput,
    v1: V1Output,
    outputs: dict[str, str],
    tracking: TrackingStore,
) -> DocumentOutput:
    result = build_result(source, textract, v1, outputs)
    tracking.put_result(result)
    applied = tracking.set_status(source.document_id, source.attempt_id, DocumentStatus.COMPLETED, outputs=outputs)
    if not applied:
        context.log.warning(
            f"{source.document_id}: a newer attempt owns the tracking record; COMPLETED was not written over it"
        )
    metadata = {
        "processing_id": result.processing_id,
        "document_type": result.document_type or "unknown",
        "buyers": ", ".join(result.buyer_names) or "none",
        "sellers": ", ".join(result.seller_names) or "none",
        "apn": result.apn or "none",
        "sale_price": result.sale_price if result.sale_price is not None else "none",
        "status_written": applied,
    }
    return DocumentOutput(result, metadata)


@dg.asset(
    **DOCUMENT_ASSET,
    group_name="tracking",
    kinds={"dynamodb"},
    description="The results record (textract-processing-results) and the COMPLETED status of the document.",
)
def document_result(
    context: dg.AssetExecutionContext,
    source_document: dict[str, SourceDocument],
    textract_raw: dict[str, TextractOutput],
    v1_schema: dict[str, V1Output],
    v2_dynamic: dict[str, V2Output],
    schema_extensions_report: dict[str, ReportOutput],
    v2_summary_report: dict[str, ReportOutput],
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> dict[str, ResultRecord]:
    def outputs(key: str) -> dict[str, str]:
        return {
            "textract_raw": textract_raw[key].output_key,
            "v1_schema": v1_schema[key].output_key,
            "v2_dynamic": v2_dynamic[key].output_key,
            "schema_extensions": schema_extensions_report[key].output_key,
            "v2_summary": v2_summary_report[key].output_key,
        }

    return each_document(
        context,
        document_store,
        tracking,
        lambda key: _complete(context, source_document[key], textract_raw[key], v1_schema[key], outputs(key), tracking),
        sources=source_document,
        inputs=[textract_raw, v1_schema, v2_dynamic, schema_extensions_report, v2_summary_report],
    )
