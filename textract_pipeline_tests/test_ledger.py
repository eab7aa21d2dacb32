import dagster as dg

from textract_pipeline.assets.ledger import ACCOUNTED_FOR, processing_ledger
from textract_pipeline.documents import document_id_for_key
from textract_pipeline.io_manager import JsonManifestIOManager
from textract_pipeline.records import DocumentStatus


def materialize_ledger(document_store, tracking, stale_after_minutes=360):
    return dg.materialize(
        [processing_ledger],
        resources={
            "document_store": document_store,
            "tracking": tracking,
            "io_manager": JsonManifestIOManager(document_store=document_store),
        },
        run_config={"ops": {"processing_ledger": {"config": {"stale_after_minutes": stale_after_minutes}}}},
        raise_on_error=False,
    )


def register(document_store, tracking, key, status=None):
    document_store.write_bytes(key, b"%PDF-1.7 " + key.encode())
    document_id = document_id_for_key(key)
    tracking.register_upload(document_id, document_store.head(key))
    if status:
        tracking.start_attempt(document_id, "run-1")
        tracking.set_status(document_id, "run-1", status)


def test_ledger_accounts_for_every_object_and_flags_the_rest(document_store, tracking):
    register(document_store, tracking, "incoming/done.pdf", DocumentStatus.COMPLETED)
    register(document_store, tracking, "incoming/bad.pdf", DocumentStatus.FAILED)
    register(document_store, tracking, "incoming/running.pdf", DocumentStatus.TEXTRACT_STARTED)
    document_store.write_bytes("incoming/notes.txt", b"skipped by the sensor")
    document_store.write_bytes("incoming/never-seen.tif", b"II*\x00")

    result = materialize_ledger(document_store, tracking)
    summary = result.output_for_node("processing_ledger")
    assert summary.counts == {
        "COMPLETED": 1,
        "FAILED": 1,
        "TEXTRACT_STARTED": 1,
        "SKIPPED_UNSUPPORTED": 1,
        "NOT_REGISTERED": 1,
    }
    assert summary.unaccounted == ["incoming/never-seen.tif"]
    [check] = result.get_asset_check_evaluations()
    assert (check.check_name, check.passed) == (ACCOUNTED_FOR, False)
    csv = document_store.read_text(summary.csv_key)
    assert csv.splitlines()[0].startswith("object_key,") and len(csv.splitlines()) == 6


def test_stale_in_progress_and_new_versions_are_unaccounted_and_a_clean_ledger_passes(document_store, tracking):
    register(document_store, tracking, "incoming/running.pdf", DocumentStatus.EXTRACTED)
    stale = materialize_ledger(document_store, tracking, stale_after_minutes=-1)
    assert stale.output_for_node("processing_ledger").unaccounted == ["incoming/running.pdf"]

    tracking.set_status(document_id_for_key("incoming/running.pdf"), "run-1", DocumentStatus.COMPLETED)
    clean = materialize_ledger(document_store, tracking)
    assert clean.output_for_node("processing_ledger").unaccounted == []
    assert clean.get_asset_check_evaluations()[0].passed

    document_store.write_bytes("incoming/running.pdf", b"%PDF-1.7 new bytes, not yet seen by the sensor")
    reuploaded = materialize_ledger(document_store, tracking)
    summary = reuploaded.output_for_node("processing_ledger")
    assert summary.counts == {"NEW_VERSION_NOT_REGISTERED": 1} and summary.unaccounted == ["incoming/running.pdf"]
