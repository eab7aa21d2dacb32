"""The runs the upload sensor requests: new documents in batches over ranges of their partitions.

A run over a range of partitions is a RunRequest carrying Dagster's two partition-range run
tags, the same ones its backfills set: in Dagster 1.13 `RunRequest` has no range argument, and
its public `partition_key_range` property is read from exactly these tags.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import dagster as dg

from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.resources.run_batching import RunBatching

PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
OBJECT_KEY_TAG = "textract_pipeline/object_key"
BATCH_SIZE_TAG = "textract_pipeline/batch_size"


def run_key_for(stored: StoredObject) -> str:
    """Same object and content version -> same key; a re-upload with new bytes gets a new one."""
    return f"{stored.key}@{stored.version}"


def range_tags(document_ids: Sequence[str]) -> dict[str, str]:
    """Run tags that make a run cover the partitions from the first id to the last."""
    return {PARTITION_RANGE_START_TAG: document_ids[0], PARTITION_RANGE_END_TAG: document_ids[-1]}


def single_run(document_id: str, stored: StoredObject) -> dg.RunRequest:
    return dg.RunRequest(run_key=run_key_for(stored), partition_key=document_id, tags={OBJECT_KEY_TAG: stored.key})


def run_requests(
    first_seen: dict[str, StoredObject], seen_before: dict[str, StoredObject], run_batching: RunBatching
) -> list[dg.RunRequest]:
    """Documents seen for the first time run in batches over their new partitions; the rest one by one.

    New partitions are added in sorted order at the end of the partition list, so a slice of the
    sorted new ids is a contiguous range; the slices are cut to near-equal bytes. A document
    whose partition exists already (a new version of an object) sits elsewhere in that list and
    gets a run of its own, keyed by object version, so a redelivered upload event still maps to
    a run Dagster already has.
    """
    requests = [single_run(document_id, stored) for document_id, stored in seen_before.items()]
    new_ids = sorted(first_seen)
    for batch in run_batching.batches(new_ids, [first_seen[document_id].size for document_id in new_ids]):
        if len(batch) == 1:
            requests.append(single_run(batch[0], first_seen[batch[0]]))
            continue
        member_keys = "\n".join(run_key_for(first_seen[document_id]) for document_id in batch)
        requests.append(
            dg.RunRequest(
                run_key=f"batch:{hashlib.sha1(member_keys.encode()).hexdigest()}",
                tags={**range_tags(batch), BATCH_SIZE_TAG: str(len(batch))},
            )
        )
    return requests
