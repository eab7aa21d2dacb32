import os

import dagster as dg

from textract_pipeline.documents import documents_partitions
from textract_pipeline.records import DocumentStatus
from textract_pipeline.runner import open_instance, process_paths
from textract_pipeline.sensors.incoming import incoming_documents_sensor


def test_documents_are_shared_over_worker_processes_and_stay_one_run_per_partition(tmp_path, settings, make_tiff):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(4):
        (inputs / f"deed {index}.tif").write_bytes(make_tiff(pages=1 + index % 2, text=f"GRANT DEED {index}"))
    done = []

    outcomes = process_paths([inputs], settings, on_done=done.append, workers=2)

    assert [o.object_key for o in outcomes] == [f"incoming/deed {index}.tif" for index in range(4)]
    assert sorted(o.document_id for o in done) == sorted(o.document_id for o in outcomes)
    assert all(o.run_succeeded and o.record.status == DocumentStatus.COMPLETED for o in outcomes)
    instance = open_instance(settings)
    assert sorted(instance.get_dynamic_partitions(documents_partitions.name)) == sorted(o.document_id for o in outcomes)
    worker_pids = set()
    for outcome in outcomes:
        run = instance.get_run_by_id(outcome.run_id)
        assert run.tags["dagster/partition"] == outcome.document_id
        assert run.tags["dagster/sensor_name"] == incoming_documents_sensor.name
        assert run.tags["textract_pipeline/runner_pid"] == str(os.getpid())
        events = instance.all_logs(outcome.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        assert {e.dagster_event.asset_key.path[-1] for e in events} >= {"source_document", "document_result"}
        worker_pids |= {e.dagster_event.pid for e in events}
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids


def test_a_single_document_runs_in_this_process(tmp_path, settings, make_tiff):
    (tmp_path / "one.tif").write_bytes(make_tiff())
    (outcome,) = process_paths([tmp_path / "one.tif"], settings, workers=4)
    assert outcome.record.status == DocumentStatus.COMPLETED
    events = open_instance(settings).all_logs(outcome.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    assert {e.dagster_event.pid for e in events} == {os.getpid()}
