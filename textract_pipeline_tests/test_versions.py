"""A stale run never writes over a newer version: every write is bound to the attempt (and object version) it began on.

A run of `same.tif` is held at a gate (in OCR, or in extraction) while new bytes are uploaded under the same name and
processed to the end by another run; then the old run is let go. It must stop without writing anything, and every
record and output must describe the new version only.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from textract_pipeline.documents import document_id_for_key
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.extractor import DeterministicExtractorResource
from textract_pipeline.resources.textract import LocalTextract
from textract_pipeline_tests.fakes import GatedExtractorResource, GatedTextract

KEY = "incoming/same.tif"


def wait_for(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.parametrize("gate_in", ["ocr", "extraction"])
def test_a_run_overtaken_by_a_new_upload_stops_without_writing(
    run_document, instance, tracking, document_store, tmp_path, make_tiff, gate_in
):
    gate = tmp_path / "gate"
    gate.mkdir()
    if gate_in == "ocr":
        old_services = {"textract_service": GatedTextract(state_dir=str(gate))}
    else:
        old_services = {"textract_service": LocalTextract(), "extractor": GatedExtractorResource(state_dir=str(gate))}
    # Real OCR, so each version's outputs say which bytes they were made from.
    old_bytes, new_bytes = make_tiff(text="GRANT DEED OLDBYTES"), make_tiff(text="GRANT DEED NEWBYTES")
    old_run: dict = {}

    def run_old() -> None:
        old_run["result"] = run_document(KEY, old_bytes, old_services.pop("textract_service"), **old_services)

    old = threading.Thread(target=run_old)
    old.start()
    wait_for(gate / "reached")

    new = run_document(KEY, new_bytes, LocalTextract(), extractor=DeterministicExtractorResource())
    assert new.success
    document_id = document_id_for_key(KEY)
    after_new = tracking.get(document_id)
    assert after_new.status == DocumentStatus.COMPLETED
    outputs_after_new = {key: document_store.read_bytes(key) for key in after_new.outputs.values()}

    let_go = time.time()
    (gate / "gate").touch()
    old.join(timeout=120)
    assert not old.is_alive()

    record = tracking.get(document_id)
    new_hash = hashlib.sha256(new_bytes).hexdigest()
    assert (record.attempt_id, record.version, record.content_hash) == (
        after_new.attempt_id,
        after_new.version,
        new_hash,
    )
    assert record.status == DocumentStatus.COMPLETED and record.history == after_new.history, (
        "the old run wrote no status"
    )
    assert {key: document_store.read_bytes(key) for key in record.outputs.values()} == outputs_after_new
    since = datetime.fromtimestamp(let_go, UTC)
    after = [o.key for o in document_store.list_objects("processed/", modified_since=since)]
    assert [key for key in after if b"OLDBYTES" in document_store.read_bytes(key)] == [], "no stale write"
    assert all(b"NEWBYTES" in outputs_after_new[record.outputs[kind]] for kind in ("textract_raw", "v2_dynamic"))
    v1 = json.loads(document_store.read_text(record.outputs["v1_schema"]))
    assert v1["source"]["content_hash"] == new_hash
    (result,) = tracking.query_results(object_key=KEY)
    assert result.processing_id == f"{document_id}-{new_hash[:12]}"
    old_result = old_run["result"]
    superseded = [
        entry.user_message for entry in instance.all_logs(old_result.run_id) if "superseded" in entry.user_message
    ]
    assert superseded, "the old run says why it wrote nothing"
    made_before_the_gate = {"ocr": {"source_document"}, "extraction": {"source_document", "textract_raw"}}[gate_in]
    assert {e.asset_key.path[-1] for e in old_result.get_asset_materialization_events()} == made_before_the_gate
    assert [o.key for o in document_store.list_objects("failed/")] == [], "being overtaken is not a failure"
