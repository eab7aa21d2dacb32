import json
from pathlib import PurePosixPath

import dagster as dg

from textract_pipeline.documents import document_id_for_key
from textract_pipeline.outputs import OUTPUT_EXTENSIONS
from textract_pipeline.records import DocumentStatus

AFTER_SOURCE = dg.AssetSelection.assets("textract_raw").downstream()


def test_every_stage_writes_its_output_and_the_record_completes(
    run_document, fake_textract, document_store, tracking, make_tiff
):
    result = run_document("incoming/Deed 1.tif", make_tiff(pages=2), fake_textract())
    assert result.success
    assert {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} == {
        "source_document",
        "textract_raw",
        "v1_schema",
        "v2_dynamic",
        "schema_extensions_report",
        "v2_summary_report",
        "document_result",
    }
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["v1_matches_schema"].passed
    assert "v1_confident_values" in checks
    record = tracking.get(document_id_for_key("incoming/Deed 1.tif"))
    assert record.status == DocumentStatus.COMPLETED
    assert record.pages == 2 and len(record.content_hash) == 64
    for kind, extension in OUTPUT_EXTENSIONS.items():
        key = record.outputs[kind]
        path = PurePosixPath(key)
        assert path.parts[0] == "processed" and path.name.startswith(f"Deed 1_{kind}_")
        assert path.suffix == f".{extension}"
        text = document_store.read_text(key)
        if extension == "json":
            json.loads(text)
        else:
            assert text.startswith("#")
    raw = json.loads(document_store.read_text(record.outputs["textract_raw"]))
    assert any(block["BlockType"] == "KEY_VALUE_SET" for block in raw["Blocks"])
    [stored_result] = tracking.query_results(object_key="incoming/Deed 1.tif")
    assert stored_result.status == DocumentStatus.COMPLETED and stored_result.outputs == {
        kind: record.outputs[kind] for kind in OUTPUT_EXTENSIONS
    }
    manifests = [o.key for o in document_store.list_objects("pipeline-state/")]
    assert len(manifests) == 7 and all(key.endswith(".json") for key in manifests)


def test_duplicate_content_pays_for_textract_once(run_document, fake_textract, tracking, make_tiff):
    service = fake_textract()
    data = make_tiff()
    assert run_document("incoming/a.tif", data, service).success
    assert run_document("incoming/copy of a.tif", data, service).success
    assert service.started() == [document_id_for_key("incoming/a.tif")]
    assert tracking.get(document_id_for_key("incoming/copy of a.tif")).status == DocumentStatus.COMPLETED


def test_in_progress_job_ends_the_run_early_and_is_resumed_not_restarted(
    run_document, fake_textract, tracking, make_tiff
):
    service = fake_textract(polls_before_done=1)
    document_id = document_id_for_key("incoming/slow.tif")
    first = run_document("incoming/slow.tif", make_tiff(), service)
    assert first.success
    assert [e.asset_key.to_user_string() for e in first.get_asset_materialization_events()] == ["source_document"]
    record = tracking.get(document_id)
    assert (record.status, record.textract_job_id) == (DocumentStatus.TEXTRACT_STARTED, "job-1")

    second = run_document("incoming/slow.tif", make_tiff(), service, selection=AFTER_SOURCE)
    assert second.success
    assert service.started() == [document_id]
    assert tracking.get(document_id).status == DocumentStatus.COMPLETED


def test_bad_input_fails_with_a_reason_and_keeps_the_original(run_document, fake_textract, document_store, tracking):
    result = run_document("incoming/prices.tif", b"parcel,price\n1,2\n", fake_textract())
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/prices.tif"))
    assert record.status == DocumentStatus.FAILED
    assert "not a TIFF, PDF, PNG or JPEG" in record.reason
    assert document_store.read_bytes(record.outputs["failed_copy"]) == b"parcel,price\n1,2\n"
    log = json.loads(document_store.read_text(record.outputs["error_log"]))
    assert log["step"] == "source_document" and "not a TIFF" in log["reason"]
    assert record.outputs["failed_copy"].startswith("failed/")
    assert document_store.head("incoming/prices.tif") is not None


def test_textract_job_failure_is_terminal_with_the_service_message(run_document, fake_textract, tracking, make_tiff):
    result = run_document("incoming/x.tif", make_tiff(), fake_textract(fail_with="UNSUPPORTED_DOCUMENT"))
    assert not result.success
    record = tracking.get(document_id_for_key("incoming/x.tif"))
    assert record.status == DocumentStatus.FAILED
    assert "UNSUPPORTED_DOCUMENT" in record.reason
