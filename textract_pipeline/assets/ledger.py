"""processing_ledger: every object ever seen in incoming/ reconciled with its tracking status.

pandas is imported where the ledger is built: every document run loads this module, few build a ledger.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import BaseModel

if TYPE_CHECKING:
    import pandas as pd

from textract_pipeline.documents import is_supported_key
from textract_pipeline.records import DocumentStatus, utc_now
from textract_pipeline.resources.document_store import INCOMING_PREFIX, DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

LEDGER_KEY = "ledger/processing_ledger.csv"
ACCOUNTED_FOR = "every_upload_accounted_for"


class LedgerConfig(dg.Config):
    stale_after_minutes: int = 360


class LedgerSummary(BaseModel):
    csv_key: str
    counts: dict[str, int]
    unaccounted: list[str]


def reconcile(objects: "pd.DataFrame", records: "pd.DataFrame", stale_before: "pd.Timestamp") -> "pd.DataFrame":
    """One row per object key, from the bucket and the tracking table, with a `state` and `accounted` flag."""
    ledger = objects.merge(records, on="object_key", how="outer", suffixes=("", "_tracked"), indicator=True)
    terminal = ledger["status"].isin([DocumentStatus.COMPLETED.value, DocumentStatus.FAILED.value])
    current = ledger["version"] == ledger["version_tracked"]
    fresh = ledger["updated_at"] >= stale_before
    supported = ledger["object_key"].map(is_supported_key)
    ledger["state"] = ledger["status"].where(current, "NEW_VERSION_NOT_REGISTERED")
    ledger.loc[ledger["_merge"] == "left_only", "state"] = "NOT_REGISTERED"
    ledger.loc[~supported & (ledger["_merge"] == "left_only"), "state"] = "SKIPPED_UNSUPPORTED"
    ledger.loc[ledger["_merge"] == "right_only", "state"] = ledger["status"] + "_OBJECT_GONE"
    ledger["accounted"] = (
        (current & (terminal | fresh))
        | (ledger["state"] == "SKIPPED_UNSUPPORTED")
        | ((ledger["_merge"] == "right_only") & terminal)
    )
    return ledger.drop(columns="_merge").sort_values("object_key").reset_index(drop=True)


@dg.asset(
    group_name="tracking",
    kinds={"pandas"},
    check_specs=[
        dg.AssetCheckSpec(
            ACCOUNTED_FOR,
            asset="processing_ledger",
            description="Fails when an object in incoming/ has no terminal status (or a stale in-progress one).",
        )
    ],
    description="Every object in incoming/ beside its tracking status; the CSV is written to ledger/.",
)
def processing_ledger(
    context: dg.AssetExecutionContext, config: LedgerConfig, document_store: DocumentStore, tracking: TrackingStore
) -> Iterator[dg.Output[LedgerSummary] | dg.AssetCheckResult]:
    import pandas as pd

    objects = pd.DataFrame(
        [
            {"object_key": o.key, "version": o.version, "size": o.size}
            for o in document_store.list_objects(INCOMING_PREFIX)
        ],
        columns=["object_key", "version", "size"],
    )
    records = pd.DataFrame(
        [
            {
                "object_key": r.object_key,
                "document_id": r.document_id,
                "version_tracked": r.version,
                "status": r.status.value,
                "reason": r.reason,
                "updated_at": pd.Timestamp(r.updated_at),
            }
            for r in tracking.list_documents()
        ],
        columns=["object_key", "document_id", "version_tracked", "status", "reason", "updated_at"],
    )
    records["updated_at"] = pd.to_datetime(records["updated_at"], utc=True)
    stale_before = pd.Timestamp(utc_now() - timedelta(minutes=config.stale_after_minutes))
    ledger = reconcile(objects, records, stale_before)
    document_store.write_text(LEDGER_KEY, ledger.to_csv(index=False), "text/csv")
    unaccounted = ledger.loc[~ledger["accounted"], "object_key"].tolist()
    counts = {str(state): int(count) for state, count in ledger["state"].value_counts().items()}
    summary = LedgerSummary(csv_key=LEDGER_KEY, counts=counts, unaccounted=unaccounted)
    yield dg.Output(
        summary,
        metadata={
            "objects": len(ledger),
            "unaccounted": len(unaccounted),
            "states": dg.MetadataValue.json(counts),
            "ledger": dg.MetadataValue.url(document_store.uri(LEDGER_KEY)),
        },
    )
    yield dg.AssetCheckResult(
        check_name=ACCOUNTED_FOR,
        passed=not unaccounted,
        metadata={"unaccounted": dg.MetadataValue.json(unaccounted[:100])},
    )
