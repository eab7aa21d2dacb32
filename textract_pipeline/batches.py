"""Runs over a batch of documents: a range of partitions processed in one run.

A run costs a fixed amount of Dagster work (starting it, a dozen events per step, input and
output bookkeeping in the instance) that is as large as OCR'ing a short scan. New uploads of
one sensor tick are therefore run as ranges of their new partitions, paying that cost once
per batch. Every document keeps its own partition, materializations and metadata, tracking
record and failure handling: a document that fails in a batch is marked FAILED and the rest
of the batch carries on; re-running its partition alone retries it.
"""

from __future__ import annotations

import contextlib
import functools
import random
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from textract_pipeline.documents import documents_partitions
from textract_pipeline.failures import describe, is_terminal, record_failure
from textract_pipeline.manifests import SourceDocument
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore
from textract_pipeline.retries import SERVICE_RETRY_POLICY
from textract_pipeline.settings import MAX_DOCUMENTS_PER_RUN

BATCH_SIZE_TAG = "textract_pipeline/batch_size"
# A backfill launched from the UI is cut into runs of this many partitions, like the sensor's batches.
BATCH_BACKFILL_POLICY = dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_DOCUMENTS_PER_RUN)
# What every per-document asset shares: a partition per document, service retries, batched backfills.
DOCUMENT_ASSET: dict[str, Any] = {
    "partitions_def": documents_partitions,
    "retry_policy": SERVICE_RETRY_POLICY,
    "backfill_policy": BATCH_BACKFILL_POLICY,
}
# `backfill_policy` is marked beta in Dagster 1.13; it is used knowingly, so every asset need not say so.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


def range_tags(document_ids: Sequence[str]) -> dict[str, str]:
    """Run tags that make a run cover the partitions from the first id to the last."""
    return {ASSET_PARTITION_RANGE_START_TAG: document_ids[0], ASSET_PARTITION_RANGE_END_TAG: document_ids[-1]}


class DocumentOutput(NamedTuple):
    """What a step made for one document, and the metadata its materialization shows.

    A step of several assets gives both as mappings by asset name.
    """

    value: Any
    metadata: Mapping[str, Any]


def each_document(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    work: Callable[[str], DocumentOutput | None],
    sources: Mapping[str, SourceDocument] | None = None,
    inputs: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Run `work` for every document of the run and return the values it made, by partition key.

    A document an earlier step did not hand on (it failed, or waits for Textract) is skipped.
    On its own in a run a document behaves like any step: retryable errors raise for Dagster's
    retry policy, a terminal one marks it FAILED and fails the step. In a batch the same
    retries happen in place and a terminal failure is recorded without stopping the others;
    the step fails only if no document made it through. `work` returning None means "nothing
    for this document in this run" (a Textract job still running).
    """
    keys = context.partition_keys
    made: dict[str, Any] = {}
    failed: dict[str, str] = {}
    metadata: list[tuple[str, dict[dg.AssetKey, Mapping[str, Any]]]] = []
    for key in keys:
        if (sources is not None and key not in sources) or any(key not in values for values in inputs):
            metadata.append((key, _for_every_asset(context, {"status": "skipped: an earlier step did not finish it"})))
            continue
        attempt_id = sources[key].attempt_id if sources is not None else context.run.run_id
        try:
            produced = _attempt(context, document_store, tracking, key, attempt_id, work, in_batch=len(keys) > 1)
        except DocumentFailed as failure:
            failed[key] = failure.reason
            metadata.append((key, _for_every_asset(context, {"status": "FAILED", "reason": failure.reason})))
            continue
        if produced is None:
            metadata.append((key, _for_every_asset(context, {"status": "pending: a later run finishes it"})))
            continue
        made[key] = produced.value
        if len(context.selected_asset_keys) > 1:
            metadata.append(
                (key, {dg.AssetKey.from_coercible(asset): value for asset, value in produced.metadata.items()})
            )
        else:
            metadata.append((key, {context.asset_key: produced.metadata}))
    with partition_lookups_read_once(context.instance):
        for key, by_asset in metadata:
            for asset, values in by_asset.items():
                context.add_asset_metadata(dict(values), asset_key=asset, partition_key=key)
    if failed and not made:
        raise dg.Failure(
            description=f"every document of this run failed in {_step_name(context)}",
            metadata={"failed": dg.MetadataValue.json(failed)},
            allow_retries=False,
        )
    return made


class DocumentFailed(Exception):
    """A document of a batch failed for good; it is recorded, and the batch goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _attempt(
    context: dg.AssetExecutionContext,
    document_store: DocumentStore,
    tracking: TrackingStore,
    key: str,
    attempt_id: str,
    work: Callable[[str], DocumentOutput | None],
    in_batch: bool,
) -> DocumentOutput | None:
    """`work(key)` with the step's retry policy; a terminal failure is recorded on the document."""
    retry_number = context.retry_number
    step = _step_name(context)
    while True:
        try:
            return work(key)
        except Exception as error:
            reason = describe(error)
            if not is_terminal(context, error, retry_number):
                context.log.warning(f"{key}: {step} failed (attempt {retry_number + 1}), retrying: {reason}")
                if not in_batch:
                    raise
                time.sleep(_retry_delay(retry_number))
                retry_number += 1
                continue
            record = tracking.get(key)
            if record is not None:
                record_failure(document_store, tracking, record, attempt_id, step, reason)
            if in_batch:
                context.log.error(f"{key}: {step} failed: {reason}")
                raise DocumentFailed(reason) from error
            if isinstance(error, dg.Failure):
                raise
            raise dg.Failure(description=reason, allow_retries=False) from error


def _step_name(context: dg.AssetExecutionContext) -> str:
    return ", ".join(sorted(asset.to_user_string() for asset in context.selected_asset_keys))


def _for_every_asset(
    context: dg.AssetExecutionContext, metadata: Mapping[str, Any]
) -> dict[dg.AssetKey, Mapping[str, Any]]:
    """The same metadata for every asset the step materializes."""
    return {asset: metadata for asset in context.selected_asset_keys}


@contextlib.contextmanager
def partition_lookups_read_once(instance: dg.DagsterInstance) -> Iterator[None]:
    """Answer the instance's dynamic-partition lookups from one read each, for code that adds none.

    Dagster checks every `add_asset_metadata(partition_key=...)` against the run's range by
    looking up both ends of the range and listing every `documents` partition: three queries per
    document and asset (on SQLite each also opens an engine and inspects the schema), and the
    list grows with the partition count. It resolves the range again for every input and output
    of a step. A document run adds and removes no partitions: the sensor adds them, and the
    retention job (a run of its own, not cached) removes only those of finished documents.
    """
    if "get_dynamic_partitions" in vars(instance):  # already inside one: a step of a run that reads once
        yield
        return
    cached = {
        "get_dynamic_partitions": functools.cache(instance.get_dynamic_partitions),
        "has_dynamic_partition": functools.cache(instance.has_dynamic_partition),
    }
    for name, lookup in cached.items():
        setattr(instance, name, lookup)
    try:
        yield
    finally:
        for name in cached:
            delattr(instance, name)


def _retry_delay(retry_number: int) -> float:
    """The step retry policy's exponential backoff with +-50% jitter, for retries inside a batch."""
    base = (SERVICE_RETRY_POLICY.delay or 0) * 2**retry_number
    return base * random.uniform(0.5, 1.5)
