import shutil
import threading

import dagster as dg
import pytest
import sqlalchemy
from dagster._core.storage.event_log import SqliteEventLogStorage

from benchmarks.event_log import events_job
from textract_pipeline.event_log import OPEN_RUN_FILES, PooledSqliteEventLogStorage
from textract_pipeline.runner import open_instance
from textract_pipeline.settings import Settings


@pytest.fixture
def events_dir(tmp_path):
    return str(tmp_path / "history" / "runs")


@pytest.fixture
def pooled_instance(events_dir):
    with dg.instance_for_test(
        overrides={
            "event_log_storage": {
                "module": "textract_pipeline.event_log",
                "class": "PooledSqliteEventLogStorage",
                "config": {"base_dir": events_dir},
            }
        }
    ) as instance:
        yield instance


def _connections_opened(run) -> int:
    opened = []

    def count(*_):
        opened.append(1)

    sqlalchemy.event.listen(sqlalchemy.pool.Pool, "connect", count)
    try:
        run()
    finally:
        sqlalchemy.event.remove(sqlalchemy.pool.Pool, "connect", count)
    return len(opened)


def test_connections_opened_do_not_grow_with_the_events_written(pooled_instance):
    assert isinstance(pooled_instance.event_log_storage, PooledSqliteEventLogStorage)
    events_job(1).execute_in_process(instance=pooled_instance)  # the index file and its tables, opened once
    few = _connections_opened(lambda: events_job(4).execute_in_process(instance=pooled_instance))
    many = _connections_opened(lambda: events_job(40).execute_in_process(instance=pooled_instance))
    # Dagster's own storage opens new connections for every asset event: to the run file, the index, and
    # one to check the tags table exists.
    assert many == few


def test_what_it_writes_is_what_dagsters_own_storage_reads(pooled_instance, events_dir):
    result = events_job(6).execute_in_process(instance=pooled_instance)

    stock = SqliteEventLogStorage(events_dir)
    written = [entry.dagster_event_type for entry in pooled_instance.all_logs(result.run_id)]
    assert [entry.dagster_event_type for entry in stock.get_logs_for_run(result.run_id)] == written
    materialized = stock.get_event_records(
        dg.EventRecordsFilter(event_type=dg.DagsterEventType.ASSET_MATERIALIZATION, asset_key=dg.AssetKey("page"))
    )
    assert sorted(record.partition_key for record in materialized) == [f"p{index}" for index in range(6)]


def test_a_bounded_number_of_run_files_stay_open_and_closed_ones_reopen(pooled_instance):
    run_ids = [events_job(1).execute_in_process(instance=pooled_instance).run_id for _ in range(OPEN_RUN_FILES + 4)]

    storage = pooled_instance.event_log_storage
    assert len(storage._engines) <= OPEN_RUN_FILES + 1, "the index and the most recent run files"
    for run_id in run_ids:  # the first ones were closed: reading them reopens them
        assert pooled_instance.get_run_stats(run_id).materializations == 1


def test_threads_writing_at_once_lose_no_event(pooled_instance):
    def report(thread: int) -> None:
        for index in range(10):
            pooled_instance.report_runless_asset_event(dg.AssetMaterialization("page", partition=f"t{thread}-{index}"))

    threads = [threading.Thread(target=report, args=(thread,)) for thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    records = pooled_instance.fetch_materializations(dg.AssetKey("page"), limit=100).records
    assert sorted(record.partition_key for record in records) == sorted(
        f"t{t}-{i}" for t in range(4) for i in range(10)
    )


def test_after_a_wipe_events_go_to_the_new_files_not_the_deleted_ones(pooled_instance, events_dir):
    run = pooled_instance.get_run_by_id(events_job(1).execute_in_process(instance=pooled_instance).run_id)
    pooled_instance.event_log_storage.wipe()
    pooled_instance.report_engine_event("after the wipe", run)

    logged = SqliteEventLogStorage(events_dir).get_logs_for_run(run.run_id)
    assert [entry.message for entry in logged] == ["after the wipe"]


def test_the_embedded_instance_uses_it_and_refuses_a_moved_folder(tmp_path, settings):
    assert isinstance(open_instance(settings).event_log_storage, PooledSqliteEventLogStorage)

    moved = Settings(data_dir=tmp_path / "moved")
    shutil.copytree(settings.dagster_home, moved.dagster_home)
    with pytest.raises(ValueError, match="event_log_storage's base_dir"):
        open_instance(moved)
