"""The two markdown reports a person reads: schema extensions and the V2 summary."""

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.extraction import render_schema_extensions, render_v2_summary
from textract_pipeline.failures import fail_document_on_error
from textract_pipeline.manifests import ReportOutput, SourceDocument, V1Output, V2Output
from textract_pipeline.outputs import output_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.retries import SERVICE_RETRY_POLICY


def _write_report(
    context: dg.AssetExecutionContext,
    kind: str,
    markdown: str,
    source: SourceDocument,
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> ReportOutput:
    key = output_key(source.object_key, kind, source.received_at)
    uri = document_store.write_text(key, markdown, "text/markdown; charset=utf-8")
    tracking.set_status(source.document_id, source.attempt_id, DocumentStatus.EXTRACTED, outputs={kind: key})
    context.add_output_metadata({"output": dg.MetadataValue.url(uri), "report": dg.MetadataValue.md(markdown)})
    return ReportOutput(output_key=key, characters=len(markdown))


@dg.asset(
    partitions_def=documents_partitions,
    retry_policy=SERVICE_RETRY_POLICY,
    group_name="reports",
    kinds={"markdown"},
    description="What the document holds that V1 has no field for: candidates for the next schema version.",
)
def schema_extensions_report(
    context: dg.AssetExecutionContext,
    source_document: SourceDocument,
    v1_schema: V1Output,
    v2_dynamic: V2Output,
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> ReportOutput:
    source = source_document
    with fail_document_on_error(context, document_store, tracking, source.document_id, source.attempt_id):
        markdown = render_schema_extensions(v1_schema.result, v2_dynamic.document)
        return _write_report(context, "schema_extensions", markdown, source, document_store, tracking)


@dg.asset(
    partitions_def=documents_partitions,
    retry_policy=SERVICE_RETRY_POLICY,
    group_name="reports",
    kinds={"markdown"},
    description="Field counts per section and the key facts of the document on one readable page.",
)
def v2_summary_report(
    context: dg.AssetExecutionContext,
    source_document: SourceDocument,
    v1_schema: V1Output,
    v2_dynamic: V2Output,
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> ReportOutput:
    source = source_document
    with fail_document_on_error(context, document_store, tracking, source.document_id, source.attempt_id):
        markdown = render_v2_summary(v1_schema.result, v2_dynamic.document)
        return _write_report(context, "v2_summary", markdown, source, document_store, tracking)
