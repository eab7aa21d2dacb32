import os

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.records import DocumentStatus
from textract_pipeline.runner import open_instance, process_paths
from textract_pipeline.sensors.incoming import incoming_documents_sensor


def test_new_documents_run_in_one_batch_per_worker_and_each_keeps_its_partition(tmp_path, settings, make_tiff):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(5):
        (inputs / f"deed {index}.tif").write_bytes(make_tiff(pages=1 + index % 2, text=f"GRANT DEED {index}"))
    done = []

    outcomes = process_paths([inputs], settings, on_done=done.append, workers=2)

    assert [o.object_key for o in outcomes] == [f"incoming/deed {index}.tif" for index in range(5)]
    assert sorted(o.document_id for o in done) == sorted(o.document_id for o in outcomes)
    assert all(o.run_succeeded and o.record.status == DocumentStatus.COMPLETED for o in outcomes)
    instance = open_instance(settings)
    assert sorted(instance.get_dynamic_partitions(documents_partitions.name)) == sorted(o.document_id for o in outcomes)
    runs = {outcome.run_id for outcome in outcomes}
    assert len(runs) == 2, "five new documents on two workers: two batch runs"
    worker_pids, materialized = set(), {}
    for run_id in runs:
        run = instance.get_run_by_id(run_id)
        assert run.tags["dagster/sensor_name"] == incoming_documents_sensor.name
        assert run.tags["textract_pipeline/runner_pid"] == str(os.getpid())
        assert "dagster/asset_partition_range_start" in run.tags and "dagster/partition" not in run.tags
        for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
            materialization = event.dagster_event.step_materialization_data.materialization
            materialized.setdefault(materialization.partition, set()).add(materialization.asset_key.path[-1])
            worker_pids.add(event.dagster_event.pid)
    assert set(materialized) == {o.document_id for o in outcomes}
    assert all({"source_document", "textract_raw", "document_result"} <= assets for assets in materialized.values())
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids


def test_a_single_document_runs_in_this_process(tmp_path, settings, make_tiff):
    (tmp_path / "one.tif").write_bytes(make_tiff())
    (outcome,) = process_paths([tmp_path / "one.tif"], settings, workers=4)
    assert outcome.record.status == DocumentStatus.COMPLETED
    events = open_instance(settings).all_logs(outcome.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    assert {e.dagster_event.pid for e in events} == {os.getpid()}
