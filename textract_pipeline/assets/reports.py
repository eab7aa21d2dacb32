"""The two markdown reports a person reads: schema extensions and the V2 summary."""

from collections.abc import Callable, Iterator

import dagster as dg

from textract_pipeline.document_steps import (
    DOCUMENT_ASSET,
    DocumentOutput,
    document_outputs,
    each_document,
    ensure_current,
)
from textract_pipeline.extraction import V1Result, V2Document, render_schema_extensions, render_v2_summary
from textract_pipeline.manifests import ReportOutput, V1Output, V2Output
from textract_pipeline.outputs import output_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore


def report_asset(
    name: str, kind: str, render: Callable[[V1Result, V2Document], str], description: str
) -> dg.AssetsDefinition:
    """Both reports read V1 and V2 and write one markdown file; only the renderer differs."""

    def write_report(
        v1: V1Output, v2: V2Output, document_store: DocumentStore, tracking: TrackingStore
    ) -> DocumentOutput:
        document = v1.document
        markdown = render(v1.result, v2.v2)
        key = output_key(document.object_key, kind, document.received_at)
        ensure_current(tracking, document)
        uri = document_store.write_text(key, markdown, "text/markdown; charset=utf-8")
        tracking.set_status(document.document_id, document.attempt_id, DocumentStatus.EXTRACTED, outputs={kind: key})
        metadata = {"output": dg.MetadataValue.url(uri), "report": dg.MetadataValue.md(markdown)}
        return DocumentOutput(
            {name: ReportOutput(document=document, output_key=key, characters=len(markdown))}, {name: metadata}
        )

    @dg.asset(
        name=name,
        **DOCUMENT_ASSET,
        group_name="reports",
        kinds={"markdown"},
        output_required=False,
        description=description,
    )
    def report(
        context: dg.AssetExecutionContext,
        v1_schema: dict[str, V1Output],
        v2_dynamic: dict[str, V2Output],
        document_store: DocumentStore,
        tracking: TrackingStore,
    ) -> Iterator[dg.Output[dict[str, ReportOutput]]]:
        step = each_document(
            context,
            document_store,
            tracking,
            lambda document_id: write_report(v1_schema[document_id], v2_dynamic[document_id], document_store, tracking),
            inputs=[v1_schema, v2_dynamic],
        )
        yield from document_outputs(context, step)

    return report


schema_extensions_report = report_asset(
    "schema_extensions_report",
    "schema_extensions",
    render_schema_extensions,
    "What the document holds that V1 has no field for: candidates for the next schema version.",
)
v2_summary_report = report_asset(
    "v2_summary_report",
    "v2_summary",
    render_v2_summary,
    "Field counts per section and the key facts of the document on one readable page.",
)
