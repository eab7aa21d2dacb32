"""document_result: the queryable results record, and the document's terminal COMPLETED status."""

import json
from collections.abc import Iterator

import dagster as dg

from textract_pipeline.document_steps import DOCUMENT_ASSET, DocumentOutput, Superseded, document_outputs, each_document
from textract_pipeline.documents import documents_partitions
from textract_pipeline.extraction import V1Record
from textract_pipeline.manifests import ReportOutput, ResultOutput, V1Output
from textract_pipeline.outputs import output_key
from textract_pipeline.records import DocumentStatus, ResultRecord, utc_now
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

# DynamoDB items stop at 400 KB; larger records are only referenced by their S3 output.
INLINE_V1_LIMIT_BYTES = 400 * 1024 - 16 * 1024
DOCUMENT_COMPLETED = "document_completed"


def build_result(v1: V1Output, outputs: dict[str, str]) -> ResultRecord:
    document = v1.document
    record: V1Record = v1.result.record
    v1_json = record.model_dump(mode="json")
    inline = v1_json if len(json.dumps(v1_json)) <= INLINE_V1_LIMIT_BYTES else None
    return ResultRecord(
        processing_id=document.processing_id,
        timestamp=utc_now(),
        document_id=document.document_id,
        object_key=document.object_key,
        upload_date=f"{document.received_at:%Y-%m-%d}",
        status=DocumentStatus.COMPLETED,
        document_type=record.document_type.value.value,
        buyer_names=[party.full_name for party in record.grantees],
        seller_names=[party.full_name for party in record.grantors],
        property_address=record.property.situs_address.value if record.property.situs_address else None,
        apn=record.property.apns[0].value if record.property.apns else None,
        sale_price=record.consideration.value if record.consideration else None,
        pages=document.pages,
        cost_usd=v1.cost.paid_usd,
        schema_version=v1.result.schema_version,
        prompt_version=v1.result.prompt_version,
        outputs=outputs,
        v1_inline=inline,
    )


def _complete(v1: V1Output, extensions: ReportOutput, summary: ReportOutput, tracking: TrackingStore) -> DocumentOutput:
    document = v1.document
    outputs = {
        "textract_raw": v1.textract_output_key,
        "v1_schema": v1.output_key,
        "v2_dynamic": output_key(document.object_key, "v2_dynamic", document.received_at),
        "schema_extensions": extensions.output_key,
        "v2_summary": summary.output_key,
    }
    result = build_result(v1, outputs)
    if not tracking.put_result(result, document.attempt_id):
        raise Superseded(f"a newer attempt owns {document.document_id}; its result was not written")
    status_written = tracking.set_status(
        document.document_id, document.attempt_id, DocumentStatus.COMPLETED, outputs=outputs
    )
    metadata = {
        "processing_id": result.processing_id,
        "document_type": result.document_type or "unknown",
        "buyers": ", ".join(result.buyer_names) or "none",
        "sellers": ", ".join(result.seller_names) or "none",
        "apn": result.apn or "none",
        "sale_price": result.sale_price if result.sale_price is not None else "none",
        "status_written": status_written,
    }
    return DocumentOutput(
        {"document_result": ResultOutput(document=document, result=result)}, {"document_result": metadata}
    )


# A multi-asset (of one asset) because its check outputs must be optional: the check is evaluated
# per document partition (`dg.AssetCheckEvaluation`), which a one-asset step cannot leave unset.
@dg.multi_asset(
    outs={
        "document_result": dg.AssetOut(
            is_required=False,
            description="The results record (textract-processing-results) and the COMPLETED status of the document.",
        )
    },
    **DOCUMENT_ASSET,
    group_name="tracking",
    check_specs=[
        dg.AssetCheckSpec(
            DOCUMENT_COMPLETED,
            asset="document_result",
            partitions_def=documents_partitions,
            description="The document ended COMPLETED; fails with the reason it did not.",
        )
    ],
    can_subset=True,
)
def document_result(
    context: dg.AssetExecutionContext,
    v1_schema: dict[str, V1Output],
    schema_extensions_report: dict[str, ReportOutput],
    v2_summary_report: dict[str, ReportOutput],
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> Iterator[dg.Output[dict[str, ResultOutput]] | dg.AssetCheckEvaluation]:
    step = each_document(
        context,
        document_store,
        tracking,
        lambda document_id: _complete(
            v1_schema[document_id], schema_extensions_report[document_id], v2_summary_report[document_id], tracking
        ),
        inputs=[v1_schema, schema_extensions_report, v2_summary_report],
    )
    yield from document_outputs(context, step)
    if step.values["document_result"]:  # only a step that materialized its partitions can check them
        for document_id in context.partition_keys:
            record = tracking.get(document_id)
            completed = record is not None and record.status == DocumentStatus.COMPLETED
            yield dg.AssetCheckEvaluation(
                asset_key=context.asset_key,
                check_name=DOCUMENT_COMPLETED,
                passed=completed,
                metadata={
                    "status": record.status.value if record else "not registered",
                    "reason": (record.reason if record else None) or step.not_made.get(document_id) or "",
                },
                partition=document_id,
            )
