"""Batches: new documents of a tick run as one run over a range of their partitions."""

import random

import dagster as dg
import pytest

from textract_pipeline.documents import document_id_for_key, documents_partitions
from textract_pipeline.io_manager import JsonManifestIOManager
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.extractor import DeterministicExtractorResource
from textract_pipeline.resources.run_batching import RunBatching
from textract_pipeline.sensors.failed_runs import fail_unfinished_documents, run_documents
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.run_requests import OBJECT_KEY_TAG, range_tags
from textract_pipeline.validation import DocumentLimits
from textract_pipeline_tests.conftest import DOCUMENT_ASSETS
from textract_pipeline_tests.fakes import ThrottledTextract


def test_a_tick_is_cut_into_a_multiple_of_the_parallel_runs_of_consecutive_documents():
    ids = [f"doc-{index:02d}" for index in range(26)]
    batches = RunBatching(max_documents_per_run=10, parallel_runs=2).batches(ids)
    assert [len(batch) for batch in batches] == [7, 6, 7, 6]
    assert [key for batch in batches for key in batch] == ids
    assert RunBatching(max_documents_per_run=10, parallel_runs=2).batches(ids[:3]) == [ids[:2], ids[2:3]]
    assert RunBatching(max_documents_per_run=1, parallel_runs=2).batches(ids[:3]) == [[key] for key in ids[:3]]
    assert RunBatching().batches([]) == []


def test_batches_are_cut_to_near_equal_bytes_within_the_document_limit():
    ids = [f"doc-{index:02d}" for index in range(8)]
    sizes = [900, 100, 100, 100, 100, 100, 100, 100]  # one large scan, then small ones
    batches = RunBatching(max_documents_per_run=10, parallel_runs=2).batches(ids, sizes)
    assert batches == [ids[:1], ids[1:]]  # 900 bytes against 700, not 1200 against 400 by count
    capped = RunBatching(max_documents_per_run=5, parallel_runs=2).batches(ids, sizes)
    assert capped == [ids[:3], ids[3:]]  # the limit of 5 documents a run wins over the bytes
    with pytest.raises(ValueError, match="one size per document"):
        RunBatching().batches(ids, sizes[:3])


@pytest.mark.parametrize("seed", range(20))
def test_weighted_batches_keep_every_document_once_in_order_and_respect_the_limits(seed):
    rng = random.Random(seed)
    ids = [f"doc-{index:03d}" for index in range(rng.randint(1, 120))]
    sizes = [rng.choice([0, 1, 10, 10_000, 2_000_000]) for _ in ids]
    batching = RunBatching(max_documents_per_run=rng.randint(1, 12), parallel_runs=rng.randint(1, 4))
    batches = batching.batches(ids, sizes)
    assert [key for batch in batches for key in batch] == ids
    assert all(1 <= len(batch) <= batching.max_documents_per_run for batch in batches)
    assert len(batches) == len(batching.batches(ids))  # bytes change the cuts, not the number of runs


def tick(instance, document_store, tracking, batching):
    context = dg.build_sensor_context(
        instance=instance,
        resources={"document_store": document_store, "tracking": tracking, "run_batching": batching},
    )
    return incoming_documents_sensor(context)


def test_the_sensor_batches_new_partitions_and_runs_a_new_version_of_a_known_object_alone(
    instance, document_store, tracking
):
    batching = RunBatching(max_documents_per_run=3, parallel_runs=1)
    document_store.write_bytes("incoming/known.pdf", b"%PDF-1.4 first version")
    first = tick(instance, document_store, tracking, batching)
    assert [request.partition_key for request in first.run_requests] == [document_id_for_key("incoming/known.pdf")]

    document_store.write_bytes("incoming/known.pdf", b"%PDF-1.4 second version, longer")
    keys = [f"incoming/new-{index}.tif" for index in range(5)]
    for key in keys:
        document_store.write_bytes(key, b"II*\x00 scan " + key.encode())
    result = tick(instance, document_store, tracking, batching)

    new_ids = sorted(document_id_for_key(key) for key in keys)
    (added,) = result.dynamic_partitions_requests
    assert list(added.partition_keys) == sorted([*new_ids, document_id_for_key("incoming/known.pdf")])
    single = [request for request in result.run_requests if request.partition_key is not None]
    ranges = [request.partition_key_range for request in result.run_requests if request.partition_key is None]
    assert [(request.partition_key, request.tags[OBJECT_KEY_TAG]) for request in single] == [
        (document_id_for_key("incoming/known.pdf"), "incoming/known.pdf")
    ]
    assert [(r.start, r.end) for r in ranges] == [(new_ids[0], new_ids[2]), (new_ids[3], new_ids[4])]
    assert len({request.run_key for request in result.run_requests}) == 3


@pytest.fixture
def run_batch(instance, document_store, tracking, tmp_path):
    """Upload and register documents as the sensor does, then materialize them as one range run."""

    def run(files: dict[str, bytes], textract_service) -> tuple[dg.ExecuteInProcessResult, list[str]]:
        ids = []
        for key, data in files.items():
            document_store.write_bytes(key, data)
            ids.append(document_id_for_key(key))
            tracking.register_upload(ids[-1], document_store.head(key))
        ids.sort()
        instance.add_dynamic_partitions(documents_partitions.name, ids)
        result = dg.materialize(
            DOCUMENT_ASSETS,
            instance=instance,
            tags=range_tags(ids),
            raise_on_error=False,
            resources={
                "document_store": document_store,
                "tracking": tracking,
                "textract": textract_service,
                "extractor": DeterministicExtractorResource(),
                "document_limits": DocumentLimits(),
                "io_manager": JsonManifestIOManager(document_store=document_store, tracking=tracking),
            },
        )
        return result, ids

    return run


def materializations(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, dict]:
    events = [event.step_materialization_data.materialization for event in result.get_asset_materialization_events()]
    return {m.partition: m.metadata for m in events if m.asset_key.path[-1] == asset}


def test_a_bad_document_in_a_batch_fails_alone_and_the_others_complete(
    run_batch, fake_textract, tracking, document_store, make_tiff
):
    result, ids = run_batch(
        {
            "incoming/a.tif": make_tiff(text="GRANT DEED A"),
            "incoming/broken.tif": b"II*\x00 not really a tiff",
            "incoming/c.tif": make_tiff(text="GRANT DEED C"),
        },
        fake_textract(),
    )

    assert result.success, "one bad document does not fail its batch"
    broken = document_id_for_key("incoming/broken.tif")
    good = [document_id for document_id in ids if document_id != broken]
    assert {document_id: tracking.get(document_id).status for document_id in ids} == {
        good[0]: DocumentStatus.COMPLETED,
        good[1]: DocumentStatus.COMPLETED,
        broken: DocumentStatus.FAILED,
    }
    assert tracking.get(broken).reason.startswith("source_document: ")
    assert "error_log" in tracking.get(broken).outputs
    source_metadata = materializations(result, "source_document")
    assert source_metadata[broken]["status"].value.startswith("FAILED: ")
    assert {source_metadata[document_id]["sha256"].value for document_id in good} != {None}
    assert materializations(result, "document_result")[broken]["status"].value.startswith("skipped")
    results = {record.document_id for record in tracking.query_results(status=DocumentStatus.COMPLETED)}
    assert results == set(good)
    assert [o.key for o in document_store.list_objects(f"pipeline-state/textract_raw/{broken}/")] == []
    checks = {
        (evaluation.partition, evaluation.check_name): evaluation.passed
        for evaluation in (event.event_specific_data for event in result.all_events)
        if isinstance(evaluation, dg.AssetCheckEvaluation)
    }
    assert checks[(broken, "document_completed")] is False
    assert all(checks[(document_id, "document_completed")] for document_id in good)
    assert all(checks[(document_id, "v1_matches_schema")] for document_id in good)


def test_a_document_that_fails_later_does_not_leave_an_older_manifest_for_the_next_steps(
    run_batch, fake_textract, tracking, document_store, make_tiff
):
    first, ids = run_batch({"incoming/a.tif": make_tiff(), "incoming/b.tif": make_tiff(text="B")}, fake_textract())
    assert first.success
    b = document_id_for_key("incoming/b.tif")

    again, _ = run_batch({"incoming/a.tif": make_tiff(), "incoming/b.tif": b"II*\x00 a broken scan"}, fake_textract())

    assert again.success
    assert tracking.get(b).status == DocumentStatus.FAILED
    attempt = tracking.get(b).attempt_id
    assert document_store.head(f"pipeline-state/source_document/{b}/{attempt}.json") is None
    assert materializations(again, "v1_schema")[b]["status"].value.startswith("skipped")


def test_a_throttled_document_is_retried_inside_the_batch(run_batch, fake_textract, tracking, tmp_path, make_tiff):
    result, ids = run_batch(
        {"incoming/a.tif": make_tiff(), "incoming/b.tif": make_tiff(text="B")},
        fake_textract(ThrottledTextract, throttled_calls=1),
    )

    assert result.success
    assert all(tracking.get(document_id).status == DocumentStatus.COMPLETED for document_id in ids)
    assert len((tmp_path / "textract" / "throttle").read_text().splitlines()) == 3, "1 throttled + 2 answered"
    assert [e for e in result.all_events if e.event_type_value == "STEP_RESTARTED"] == []


def test_a_listing_that_starts_over_reruns_only_unfinished_documents_one_by_one(instance, document_store, tracking):
    batching = RunBatching(max_documents_per_run=10, parallel_runs=1)
    keys = [f"incoming/deed-{index}.pdf" for index in range(3)]
    for key in keys:
        document_store.write_bytes(key, b"%PDF-1.4 " + key.encode())
    (batch,) = tick(instance, document_store, tracking, batching).run_requests
    assert batch.partition_key is None and batch.partition_key_range is not None
    done = document_id_for_key(keys[0])
    tracking.start_attempt(done, "run-1")
    tracking.set_status(done, "run-1", DocumentStatus.COMPLETED)

    # `textract-pipeline process` ticks without a cursor, as if the batch run had been killed.
    again = tick(instance, document_store, tracking, batching)

    assert sorted(request.partition_key for request in again.run_requests) == sorted(
        document_id_for_key(key) for key in keys[1:]
    )
    assert all(request.run_key.startswith("incoming/deed-") for request in again.run_requests)


@dg.op
def nothing() -> None:
    pass


@dg.job
def stand_in() -> None:
    nothing()


def recorded_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> dg.DagsterRun:
    """A run in the instance carrying `tags`, as a run the sensor requested would."""
    return stand_in.execute_in_process(instance=instance, tags=tags).dagster_run


def test_a_failed_range_run_fails_each_unfinished_document_of_its_range(instance, document_store, tracking, make_tiff):
    ids = []
    for name in ("a", "b", "c", "d"):
        key = f"incoming/{name}.tif"
        document_store.write_bytes(key, make_tiff(text=name))
        ids.append(document_id_for_key(key))
        tracking.register_upload(ids[-1], document_store.head(key))
    instance.add_dynamic_partitions(documents_partitions.name, sorted(ids))
    covered = sorted(ids)[1:3]
    run = recorded_run(instance, range_tags(covered))
    tracking.start_attempt(covered[0], run.run_id)
    tracking.set_status(covered[0], run.run_id, DocumentStatus.TEXTRACT_COMPLETED)

    assert run_documents(run, instance) == covered
    failed = fail_unfinished_documents(instance, run, "run x failed: killed", document_store, tracking)

    assert failed == covered
    for document_id in ids:
        record = tracking.get(document_id)
        expected = DocumentStatus.FAILED if document_id in covered else DocumentStatus.RECEIVED
        assert record.status == expected, document_id
    assert tracking.get(covered[1]).reason == "run: run x failed: killed"


def test_a_run_dagster_will_retry_is_left_to_its_retry_which_fails_its_documents_if_it_fails(
    instance, document_store, tracking, make_tiff
):
    key = "incoming/retried.tif"
    document_store.write_bytes(key, make_tiff())
    document_id = document_id_for_key(key)
    tracking.register_upload(document_id, document_store.head(key))
    instance.add_dynamic_partitions(documents_partitions.name, [document_id])
    first = recorded_run(instance, {"dagster/partition": document_id, "dagster/will_retry": "true"})
    tracking.start_attempt(document_id, first.run_id)

    assert fail_unfinished_documents(instance, first, "run failed", document_store, tracking) == []
    assert tracking.get(document_id).status == DocumentStatus.RECEIVED

    retry = instance.create_run_for_job(
        stand_in, tags={"dagster/partition": document_id}, parent_run_id=first.run_id, root_run_id=first.run_id
    )
    assert fail_unfinished_documents(instance, retry, "retry failed", document_store, tracking) == [document_id]
    assert tracking.get(document_id).status == DocumentStatus.FAILED
