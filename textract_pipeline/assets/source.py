"""source_document: the uploaded object, validated and fingerprinted before anything is paid for."""

import hashlib
from collections.abc import Iterator

import dagster as dg

from textract_pipeline.document_steps import DOCUMENT_ASSET, DocumentOutput, Superseded, document_outputs, each_document
from textract_pipeline.manifests import DocumentRef, SourceDocument
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore, UnsafeKeyError, validate_key
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.validation import DocumentLimits, InvalidDocumentError, validate_document


def _read_source(
    context: dg.AssetExecutionContext,
    document_id: str,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_limits: DocumentLimits,
) -> DocumentOutput:
    """Start this run's attempt on the registered version and read exactly that version's bytes.

    If the object changed since it was registered, the new version is a new upload: the sensor
    registers it and requests its own run, so this attempt stops without writing.
    """
    attempt_id = context.run.run_id
    record = tracking.start_attempt(document_id, attempt_id)
    try:
        validate_key(record.object_key)
    except UnsafeKeyError as error:
        raise InvalidDocumentError(f"refusing an unsafe object key: {error}") from error
    data = document_store.read_bytes_if_present(record.object_key)
    stored = document_store.head(record.object_key)
    if data is None or stored is None:
        raise InvalidDocumentError(f"object {record.object_key!r} no longer exists in the document store")
    if stored.version != record.version or stored.size != len(data):
        raise Superseded(f"{record.object_key} was replaced by a newer upload (version {stored.version})")
    validated = validate_document(record.object_key, data, document_limits)

    content_hash = hashlib.sha256(data).hexdigest()
    for warning in validated.warnings:
        context.log.warning(f"{record.object_key}: {warning}")
    document = DocumentRef(
        document_id=document_id,
        object_key=record.object_key,
        version=record.version,
        attempt_id=attempt_id,
        content_hash=content_hash,
        processing_id=f"{document_id}-{content_hash[:12]}",
        pages=validated.pages,
        received_at=record.received_at.replace(microsecond=0),
    )
    source = SourceDocument(
        document=document, media_type=validated.media_type, size=len(data), warnings=validated.warnings
    )
    written = tracking.set_status(
        document_id,
        attempt_id,
        DocumentStatus.RECEIVED,
        processing_id=document.processing_id,
        content_hash=content_hash,
        pages=document.pages,
        warnings=source.warnings,
    )
    if not written:
        raise Superseded(f"a newer attempt started on {document_id} while this one validated it")
    metadata = {
        "object_key": record.object_key,
        "object": dg.MetadataValue.url(document_store.uri(record.object_key)),
        "version": record.version,
        "media_type": source.media_type,
        "pages": document.pages,
        "size_bytes": source.size,
        "sha256": content_hash,
        "warnings": ", ".join(source.warnings) or "none",
    }
    return DocumentOutput({"source_document": source}, {"source_document": metadata})


@dg.asset(
    **DOCUMENT_ASSET,
    group_name="ingest",
    output_required=False,
    description="The uploaded scan: type checked by magic bytes, size and page limits, SHA-256 recorded.",
)
def source_document(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_limits: DocumentLimits,
) -> Iterator[dg.Output[dict[str, SourceDocument]]]:
    step = each_document(
        context,
        document_store,
        tracking,
        lambda document_id: _read_source(context, document_id, document_store, tracking, document_limits),
        starts_attempt=True,
    )
    yield from document_outputs(context, step)
