"""Faults, retries and idempotency: nothing lost, nothing duplicated, nothing clobbered."""

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from sample_deeds import sample_paths
from textract_pipeline.documents import document_id_for_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.textract import LocalTextract
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline_tests.fakes import (
    BrokenExtractorResource,
    BuggyTextract,
    EmptyTextract,
    FailingWritesStore,
    SlowOnceExtractorResource,
    ThrottledTextract,
)
from textract_pipeline_tests.ocr.test_hostile_pages import scribbled_page, text_page


def statuses(record) -> list[str]:
    return [entry["status"] for entry in record.history]


def test_textract_throttling_is_retried_and_the_document_completes(run_document, fake_textract, tracking, make_tiff):
    result = run_document("incoming/busy.tif", make_tiff(), fake_textract(ThrottledTextract, throttled_calls=2))
    assert result.success
    record = tracking.get(document_id_for_key("incoming/busy.tif"))
    assert record.status == DocumentStatus.COMPLETED
    assert "FAILED" not in statuses(record) and "failed_copy" not in record.outputs


def test_throttling_that_outlasts_the_retries_fails_with_the_last_error(
    run_document, fake_textract, tmp_path, tracking, make_tiff
):
    result = run_document("incoming/busy.tif", make_tiff(), fake_textract(ThrottledTextract, throttled_calls=99))
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/busy.tif"))
    assert record.status == DocumentStatus.FAILED
    assert "ThrottlingException" in record.reason and record.reason.startswith("textract_raw: ")
    assert len((tmp_path / "textract" / "throttle").read_text().splitlines()) == 4, "1 try + 3 retries"


def test_invalid_llm_output_fails_at_once_with_a_clear_reason(
    run_document, fake_textract, tmp_path, tracking, make_tiff
):
    result = run_document("incoming/x.tif", make_tiff(), fake_textract(), extractor=BrokenExtractorResource())
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/x.tif"))
    assert record.status == DocumentStatus.FAILED
    assert "failed validation after one repair" in record.reason or "not JSON" in record.reason
    retries = [e for e in result.all_events if e.event_type_value == "STEP_RESTARTED"]
    assert retries == [], "an unrepairable answer is not retried"


def test_an_llm_timeout_is_retried_and_the_document_completes(
    run_document, fake_textract, tmp_path, tracking, make_tiff
):
    extractor = SlowOnceExtractorResource(state_dir=str(tmp_path / "llm"))
    result = run_document("incoming/z.tif", make_tiff(), fake_textract(), extractor=extractor)
    assert result.success
    assert [e.step_key for e in result.all_events if e.event_type_value == "STEP_RESTARTED"] == ["extract_records"]
    record = tracking.get(document_id_for_key("incoming/z.tif"))
    assert record.status == DocumentStatus.COMPLETED and "FAILED" not in statuses(record)


def test_a_store_write_failing_midway_leaves_no_partial_file_and_is_retried(
    run_document, fake_textract, settings, tmp_path, tracking, make_tiff
):
    store = FailingWritesStore(root=str(settings.data_dir), state_dir=str(tmp_path / "store"), failing_writes=1)
    result = run_document("incoming/y.tif", make_tiff(), fake_textract(), document_store=store)
    assert result.success
    assert tracking.get(document_id_for_key("incoming/y.tif")).status == DocumentStatus.COMPLETED
    leftovers = [p for p in settings.data_dir.rglob(".tmp-*")]
    assert leftovers == []
    processed = [p for p in (settings.data_dir / "processed").rglob("*") if p.is_file()]
    assert len(processed) == 5


def test_rerunning_a_partition_replaces_outputs_and_keeps_one_result(
    run_document, fake_textract, settings, tracking, make_tiff
):
    data = make_tiff()
    assert run_document("incoming/twice.tif", data, fake_textract()).success
    first = tracking.get(document_id_for_key("incoming/twice.tif"))
    assert run_document("incoming/twice.tif", data, fake_textract()).success
    second = tracking.get(document_id_for_key("incoming/twice.tif"))
    assert second.attempt_id != first.attempt_id and second.outputs == first.outputs
    assert len([p for p in (settings.data_dir / "processed").rglob("*") if p.is_file()]) == 5
    assert len(tracking.query_results(object_key="incoming/twice.tif")) == 1


def _status_counts(tracking_path: Path) -> dict[str, int]:
    return dict(
        Counter(record.status.value for record in SqliteTrackingStore(path=str(tracking_path)).list_documents())
    )


@pytest.mark.slow
@pytest.mark.integration
def test_a_killed_process_run_is_finished_by_the_next_one(tmp_path):
    data = tmp_path / "data"
    command = [sys.executable, "-m", "textract_pipeline", "process", *map(str, sample_paths()), "--data-dir", str(data)]
    victim = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    # Kill it once the first document is past OCR but before every document is done.
    while time.monotonic() < deadline and victim.poll() is None:
        counts = _status_counts(data / "tracking.sqlite")
        if counts.get("EXTRACTED") or counts.get("TEXTRACT_COMPLETED") or counts.get("COMPLETED"):
            break
        time.sleep(0.05)
    assert victim.poll() is None, "the run finished before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert _status_counts(data / "tracking.sqlite").get("COMPLETED", 0) < len(sample_paths())

    rerun = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _status_counts(data / "tracking.sqlite") == {"COMPLETED": len(sample_paths())}
    results = SqliteTrackingStore(path=str(data / "tracking.sqlite")).query_results()
    assert sorted(Counter(result.document_id for result in results).values()) == [1] * len(sample_paths())
    outputs = [p for p in (data / "processed").rglob("*") if p.is_file()]
    assert len(outputs) == 5 * len(sample_paths())
    assert not list(data.rglob(".tmp-*"))


def test_empty_textract_blocks_fail_the_document_instead_of_completing_it(
    run_document, fake_textract, tracking, make_tiff
):
    result = run_document("incoming/empty.tif", make_tiff(), fake_textract(EmptyTextract))
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/empty.tif"))
    assert record.status == DocumentStatus.FAILED
    assert "returned no pages" in record.reason and "check the Textract endpoint" in record.reason
    assert tracking.query_results(object_key="incoming/empty.tif") == []


def test_a_scan_without_any_text_is_not_extracted_as_if_it_were_fine(run_document, tracking):
    blank = io.BytesIO()
    Image.new("1", (850, 1100), 1).save(blank, format="TIFF", compression="group4", dpi=(300, 300))
    result = run_document("incoming/blank.tif", blank.getvalue(), LocalTextract())
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/blank.tif"))
    assert record.status == DocumentStatus.FAILED and "no text was found on any of the 1 page(s)" in record.reason
    assert "v1_schema" not in record.outputs


def test_an_error_that_fails_the_same_way_every_time_is_not_retried(
    run_document, fake_textract, tmp_path, tracking, make_tiff
):
    result = run_document("incoming/bug.tif", make_tiff(), fake_textract(BuggyTextract))
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/bug.tif"))
    assert record.status == DocumentStatus.FAILED and "division by zero" in record.reason
    assert (tmp_path / "textract" / "buggy").read_text().count("call") == 1, "tried once"
    assert [e for e in result.all_events if e.event_type_value == "STEP_RESTARTED"] == []


def test_a_page_with_ink_but_no_text_is_a_warning_on_the_completed_document(run_document, tracking):
    pages = [text_page("GRANT DEED recorded in the County of Orange"), scribbled_page()]
    scan = io.BytesIO()
    pages[0].save(scan, format="TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300))
    result = run_document("incoming/scribbled.tif", scan.getvalue(), LocalTextract())
    assert result.success
    record = tracking.get(document_id_for_key("incoming/scribbled.tif"))
    assert record.status == DocumentStatus.COMPLETED
    assert record.warnings == ["NO_TEXT_ON_INKED_PAGE on page(s) 2"]
    (metadata,) = [
        event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.asset_key.path[-1] == "textract_raw"
    ]
    assert metadata["ocr_warnings"].value == "NO_TEXT_ON_INKED_PAGE on page(s) 2"
