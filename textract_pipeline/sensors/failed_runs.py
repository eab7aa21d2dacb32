"""Documents of a run that failed or was canceled as a whole end FAILED, not stuck half done.

A document that fails on its own is recorded by its step. When the run itself dies (the OOM
killer, a crash of a native library, a code server gone), no step is left to do it: this sensor
marks every document of the run that is not COMPLETED or FAILED, with the run's failure as the
reason and the original copied under failed/, so every upload still ends in a terminal state.
"""

from __future__ import annotations

import re

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.failures import record_failure
from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

# The run tag Dagster sets on a failed run that its run retries will launch again.
WILL_RETRY_TAG = "dagster/will_retry"


def run_documents(run: dg.DagsterRun, instance: dg.DagsterInstance) -> list[str]:
    """The document ids a run covered: its partition, or every partition of its range."""
    if run.tags.get("dagster/partition"):
        return [run.tags["dagster/partition"]]
    key_range = dg.RunRequest(tags=run.tags).partition_key_range
    if key_range is None:
        return []
    keys = documents_partitions.get_partition_keys(dynamic_partitions_store=instance)
    return keys[keys.index(key_range.start) : keys.index(key_range.end) + 1]


def _failure_reason(context: dg.RunFailureSensorContext) -> str:
    """What ended the run: the engine's last word on it (a signal, an exit code) when there is one."""
    run_id = context.dagster_run.run_id
    engine_events = context.instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
    detail = (engine_events[-1].message if engine_events else None) or context.failure_event.message or ""
    sentences = re.split(r"(?<=\.)\s+", re.sub(r"^\[\w+\]\s*", "", detail.strip()))
    return f"run {run_id} failed: {' '.join(sentences[:2]) or 'no reason given'}"


def fail_unfinished_documents(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    reason: str,
    document_store: DocumentStore,
    tracking: TrackingStore,
) -> list[str]:
    """Mark FAILED the documents `run` owned and left unfinished; returns their ids.

    A run Dagster will retry (run retries, `dagster/will_retry`) is left alone: its retry
    carries on the same attempts, started by it or by the run it re-executes.
    """
    if run.tags.get(WILL_RETRY_TAG) == "true":
        return []
    own_attempts = {run.run_id, run.parent_run_id, run.root_run_id} - {None}
    run_record = instance.get_run_record_by_id(run.run_id)
    created = run_record.create_timestamp if run_record else None
    failed = []
    for document_id in run_documents(run, instance):
        record = tracking.get(document_id)
        if record is None or record.status.is_terminal:
            continue
        if record.attempt_id is None:
            # Registered for this run, which ended before starting it (a later upload would be newer).
            if created is None or record.updated_at > created:
                continue
            record = tracking.start_attempt(document_id, run.run_id)
        elif record.attempt_id not in own_attempts:
            continue  # another run owns the document now
        record_failure(document_store, tracking, record, record.attempt_id, "run", reason)
        failed.append(document_id)
    return failed


def ended_run_sensors(jobs: list[dg.UnresolvedAssetJobDefinition]) -> list[dg.SensorDefinition]:
    """Sensors for runs of `jobs` that failed or were canceled: their unfinished documents end FAILED."""

    @dg.run_failure_sensor(
        monitored_jobs=jobs,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=5,
        description="Marks FAILED, with the run's failure as the reason, the documents a failed run left unfinished.",
    )
    def failed_run_documents(
        context: dg.RunFailureSensorContext, document_store: DocumentStore, tracking: TrackingStore
    ) -> None:
        run = context.dagster_run
        failed = fail_unfinished_documents(context.instance, run, _failure_reason(context), document_store, tracking)
        if failed:
            context.log.warning(f"marked {len(failed)} documents of run {run.run_id} FAILED: {failed}")

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.CANCELED,
        monitored_jobs=jobs,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=5,
        description="Marks FAILED the documents a canceled run left unfinished.",
    )
    def canceled_run_documents(
        context: dg.RunStatusSensorContext, document_store: DocumentStore, tracking: TrackingStore
    ) -> None:
        run = context.dagster_run
        reason = f"run {run.run_id} was canceled before it finished"
        failed = fail_unfinished_documents(context.instance, run, reason, document_store, tracking)
        if failed:
            context.log.warning(f"marked {len(failed)} documents of canceled run {run.run_id} FAILED: {failed}")

    return [failed_run_documents, canceled_run_documents]
