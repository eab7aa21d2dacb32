"""How a document asset's step treats the documents of its run: one partition, or a range of them.

A run may cover several documents (a range of `documents` partitions: the sensor's batches, a
backfill's `BackfillPolicy.multi_run` slices), because a run has a fixed cost in Dagster that is
as large as OCR'ing a short scan. Each document still keeps its own partition metadata, asset
check results, tracking record and failure handling:

- alone in its run, a document behaves like any step: a retryable error raises for the step's
  `RetryPolicy`, anything else marks the document FAILED and fails the step;
- in a range, retryable errors are retried in place with the same backoff, a terminal failure is
  recorded on that document and the others carry on; the step fails only if none made it.

Every input names the attempt it belongs to. A document whose current attempt is not the one its
inputs (or, for a run that started attempts, this run) belong to has been superseded by a newer
upload or run: it is skipped without writing anything.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.failures import describe, is_retryable, record_failure
from textract_pipeline.manifests import DocumentRef
from textract_pipeline.records import DocumentRecord
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.retries import SERVICE_RETRY_POLICY, retry_delay
from textract_pipeline.settings import MAX_DOCUMENTS_PER_RUN

# What every per-document asset shares: a partition per document, service retries, backfills cut
# into runs of as many documents as the sensor's batches.
DOCUMENT_ASSET: dict[str, Any] = {
    "partitions_def": documents_partitions,
    "retry_policy": SERVICE_RETRY_POLICY,
    "backfill_policy": dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_DOCUMENTS_PER_RUN),
}

SOURCE_ASSET = dg.AssetKey("source_document")


class Superseded(Exception):
    """A newer upload or attempt owns the document: this step must not write for it."""


class DocumentOutput(NamedTuple):
    """What a step made for one document: a value and its materialization metadata, by asset name."""

    values: Mapping[str, Any]
    metadata: Mapping[str, Mapping[str, Any]]


class StepResult(NamedTuple):
    """The step's values by asset name and document id, and the documents it made nothing for, with why."""

    values: dict[str, dict[str, Any]]
    not_made: dict[str, str]


def current_attempt(
    context: dg.AssetExecutionContext, tracking: TrackingStore, document_id: str, inputs: Sequence[DocumentRef]
) -> DocumentRecord:
    """The document's tracking record, if `inputs` and this run still belong to its current attempt.

    A run that materializes `source_document` started the attempts of its documents: its later
    steps may only continue its own. Any other run (a backfill of one asset) continues whichever
    attempt is current, provided its inputs were made by that attempt.
    """
    record = tracking.get(document_id)
    if record is None:
        raise dg.Failure(
            f"document {document_id!r} is not in the tracking store; partitions are created by the "
            "incoming_documents_sensor, which records which object each id stands for",
            allow_retries=False,
        )
    started_here = SOURCE_ASSET in (context.run.asset_selection or ())
    expected = context.run.run_id if started_here else record.attempt_id
    stale = [ref for ref in inputs if (ref.attempt_id, ref.version) != (record.attempt_id, record.version)]
    if record.attempt_id != expected or stale:
        raise Superseded(
            f"superseded: attempt {record.attempt_id} of version {record.version} is current "
            f"(this step has {', '.join(sorted({ref.attempt_id for ref in inputs})) or expected})"
        )
    return record


def ensure_current(tracking: TrackingStore, document: DocumentRef) -> None:
    """Refuse to write for an attempt that is no longer the document's current one."""
    record = tracking.get(document.document_id)
    if record is None or (record.attempt_id, record.version) != (document.attempt_id, document.version):
        raise Superseded(f"superseded while running: {document.document_id} has a newer upload or attempt")


def each_document(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    work: Callable[[str], DocumentOutput | None],
    inputs: Sequence[Mapping[str, Any]] = (),
    *,
    starts_attempt: bool = False,
) -> StepResult:
    """Run `work` for every document of the run that has all of `inputs`, and attach its metadata.

    `inputs` are the step's upstream manifests by document id. The step that `starts_attempt`
    (source_document) has none: its run's id is the attempt it starts. `work(document_id)` returns
    None for "nothing yet" (a Textract job still running).
    """
    keys = context.partition_keys
    in_range = len(keys) > 1
    assets = [key.to_user_string() for key in context.selected_asset_keys]
    values: dict[str, dict[str, Any]] = {asset: {} for asset in assets}
    not_made: dict[str, str] = {}
    failed = 0
    for document_id in keys:
        manifests = [upstream.get(document_id) for upstream in inputs]
        if any(manifest is None for manifest in manifests):
            not_made[document_id] = "skipped: an earlier step did not make its input"
            continue
        try:
            if starts_attempt:
                attempt_id = context.run.run_id
            else:
                refs = [manifest.document for manifest in manifests]
                attempt_id = current_attempt(context, tracking, document_id, refs).attempt_id
            made = _attempt(context, document_store, tracking, document_id, attempt_id, work, in_range)
        except Superseded as superseded:
            context.log.warning(f"{document_id}: {superseded}; nothing written")
            not_made[document_id] = str(superseded)
            continue
        except _DocumentFailed as failure:
            failed += 1
            not_made[document_id] = f"FAILED: {failure}"
            continue
        if made is None:
            not_made[document_id] = "pending: a later run finishes it"
            continue
        for asset in assets:
            values[asset][document_id] = made.values[asset]
            context.add_asset_metadata(dict(made.metadata[asset]), asset_key=asset, partition_key=document_id)
    made_any = any(values.values())
    if failed and not made_any:
        raise dg.Failure(
            description=f"every document of this run failed in {', '.join(assets)}",
            metadata={"failed": dg.MetadataValue.json(not_made)},
            allow_retries=False,
        )
    if made_any:  # the partitions that get no value still get a materialization: say why it is empty
        for document_id, why in not_made.items():
            for asset in assets:
                context.add_asset_metadata({"status": why}, asset_key=asset, partition_key=document_id)
    return StepResult(values, not_made)


def document_outputs(context: dg.AssetExecutionContext, step: StepResult) -> Iterator[dg.Output]:
    """One output per selected asset that made anything; none at all skips the steps after it."""
    for asset_key in context.selected_asset_keys:
        made = step.values[asset_key.to_user_string()]
        if made:
            yield dg.Output(made, output_name=context.assets_def.get_output_name_for_asset_key(asset_key))


class _DocumentFailed(Exception):
    """A document of a range failed for good: it is recorded, and the range goes on."""


def _attempt(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    document_id: str,
    attempt_id: str,
    work: Callable[[str], DocumentOutput | None],
    in_range: bool,
) -> DocumentOutput | None:
    """`work(document_id)` under the step's retry policy; a terminal failure is recorded on the document."""
    retry_number = context.retry_number
    policy = SERVICE_RETRY_POLICY
    step = ", ".join(sorted(key.to_user_string() for key in context.selected_asset_keys))
    while True:
        try:
            return work(document_id)
        except Superseded:
            raise
        except dg.DagsterExecutionInterruptedError as interrupt:
            # Dagster retries an interrupted step that has a retry policy; a run asked to stop must stop.
            raise dg.Failure(
                f"{document_id}: interrupted: the run was asked to stop", allow_retries=False
            ) from interrupt
        except Exception as error:
            reason = describe(error)
            if is_retryable(error) and retry_number < policy.max_retries:
                context.log.warning(f"{document_id}: {step} failed (attempt {retry_number + 1}), retrying: {reason}")
                if not in_range:
                    raise
                time.sleep(retry_delay(retry_number) * random.uniform(0.5, 1.5))
                retry_number += 1
                continue
            record = tracking.get(document_id)
            if record is not None:
                record_failure(document_store, tracking, record, attempt_id, step, reason)
            context.log.error(f"{document_id}: {step} failed: {reason}")
            if in_range:
                raise _DocumentFailed(reason) from error
            raise dg.Failure(description=f"{document_id}: {reason}", allow_retries=False) from error
