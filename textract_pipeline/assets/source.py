"""source_document: the uploaded object, validated and fingerprinted before anything is paid for."""

import hashlib

import dagster as dg

from textract_pipeline.batches import DOCUMENT_ASSET, DocumentOutput, each_document
from textract_pipeline.manifests import SourceDocument
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import DocumentStore, UnsafeKeyError, validate_key
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.validation import (
    DocumentLimits,
    InvalidDocumentError,
    validate_document,
)


def _read_source(
    context: dg.AssetExecutionContext,
    document_id: str,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_limits: DocumentLimits,
) -> DocumentOutput:
    if tracking.get(document_id) is None:
        raise dg.Failure(
            f"document {document_id!r} is not in the tracking store; partitions are created by the "
            "incoming_documents_sensor, which records which object each id stands for",
            allow_retries=False,
        )
    attempt_id = context.run.run_id
    record = tracking.start_attempt(document_id, attempt_id)
    try:
        validate_key(record.object_key)
    except UnsafeKeyError as error:
        raise InvalidDocumentError(f"refusing an unsafe object key: {error}") from error
    stored = document_store.head(record.object_key)
    if stored is None:
        raise InvalidDocumentError(f"object {record.object_key!r} no longer exists in the document store")
    data = document_store.read_bytes(record.object_key)
    validated = validate_document(record.object_key, data, document_limits)

    content_hash = hashlib.sha256(data).hexdigest()
    for warning in validated.warnings:
        context.log.warning(f"{record.object_key}: {warning}")
    source = SourceDocument(
        document_id=document_id,
        object_key=record.object_key,
        version=stored.version,
        media_type=validated.media_type,
        content_hash=content_hash,
        size=len(data),
        pages=validated.pages,
        processing_id=f"{document_id}-{content_hash[:12]}",
        attempt_id=attempt_id,
        received_at=record.received_at.replace(microsecond=0),
        warnings=validated.warnings,
    )
    tracking.set_status(
        document_id,
        attempt_id,
        DocumentStatus.RECEIVED,
        processing_id=source.processing_id,
        content_hash=content_hash,
        pages=source.pages,
        size=source.size,
        version=stored.version,
        warnings=source.warnings,
    )
    metadata = {
        "object_key": record.object_key,
        "object": dg.MetadataValue.url(document_store.uri(record.object_key)),
        "media_type": source.media_type,
        "pages": source.pages,
        "size_bytes": source.size,
        "sha256": content_hash,
        "warnings": ", ".join(source.warnings) or "none",
    }
    return DocumentOutput(source, metadata)


@dg.asset(
    **DOCUMENT_ASSET,
    group_name="ingest",
    kinds={"s3"},
    description="The uploaded scan: type checked by magic bytes, size and page limits, SHA-256 recorded.",
)
def source_document(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_limits: DocumentLimits,
) -> dict[str, SourceDocument]:
    return each_document(
        context,
        document_store,
        tracking,
        lambda document_id: _read_source(context, document_id, document_store, tracking, document_limits),
    )
