import os
import stat
import time
from datetime import UTC, datetime, timedelta

from textract_pipeline.records import utc_now
from textract_pipeline.resources import document_store as document_store_module
from textract_pipeline.resources.document_store import LocalDocumentStore, dated_incoming_key
from textract_pipeline.sensors.listing import LOOKBACK, ListingPass, UploadCursor, scan_listing


def test_modified_since_skips_old_objects_but_not_ones_replaced_or_rewritten_in_place(tmp_path):
    store = LocalDocumentStore(root=str(tmp_path))
    for name in ("old.tif", "rewritten.tif", "replaced.tif"):
        store.write_bytes(f"incoming/a/{name}", b"old")
    time.sleep(0.05)
    since = datetime.now(UTC)
    time.sleep(0.05)
    store.write_bytes("incoming/new.tif", b"new")
    store.write_bytes("incoming/a/replaced.tif", b"new bytes")  # atomic rename over the old file
    path = tmp_path / "incoming" / "a" / "rewritten.tif"
    stat = path.stat()
    path.write_bytes(b"rewritten in place")  # e.g. `cp` over it, keeping the old mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    recent = sorted(o.key for o in store.list_objects("incoming/", modified_since=since))
    assert recent == ["incoming/a/replaced.tif", "incoming/a/rewritten.tif", "incoming/new.tif"]
    assert len(list(store.list_objects("incoming/"))) == 4


def test_top_level_listing_does_not_enter_sub_folders(tmp_path):
    store = LocalDocumentStore(root=str(tmp_path))
    for key in ("incoming/top.tif", "incoming/2026/11/21/09/dated.tif", "incoming/batch/deep.tif"):
        store.write_bytes(key, b"scan")
    assert [o.key for o in store.list_objects("incoming/", recursive=False)] == ["incoming/top.tif"]
    assert len(list(store.list_objects("incoming/"))) == 3


def test_a_tick_over_a_month_of_hour_folders_reads_only_the_current_ones(tmp_path, monkeypatch):
    store = LocalDocumentStore(root=str(tmp_path))
    now = utc_now()
    for hours in range(0, 30 * 24, 1):
        for index in range(3):
            path = tmp_path / dated_incoming_key(f"scan-{index}.tif", now - timedelta(hours=hours))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"scan")
    for index in range(5):
        (tmp_path / "incoming" / f"top-{index}.tif").write_bytes(b"scan")
    folders_read: list[str] = []
    real_scandir = document_store_module.os.scandir

    def counting_scandir(path):
        if str(path).startswith(str(tmp_path)):
            folders_read.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(document_store_module.os, "scandir", counting_scandir)
    # A sensor that has seen all of them (their ctime is now: the horizon must be past it).
    watermark = utc_now() + LOOKBACK
    seen = UploadCursor(watermark=watermark, full_pass=ListingPass(watermark=watermark), full_pass_at=utc_now())
    new, _, cursor = scan_listing(store, seen, utc_now())
    assert new == [] and cursor.full_pass_at == seen.full_pass_at
    # incoming/ itself and at most two hour folders (this hour's and, near its end, the next one's).
    assert 1 <= len(folders_read) <= 3, folders_read
    folders_read.clear()
    due = seen.model_copy(update={"full_pass_at": utc_now() - timedelta(hours=2)})
    _, _, cursor = scan_listing(store, due, utc_now())
    assert len(folders_read) > 30 * 24 and cursor.full_pass_at > due.full_pass_at  # the full pass reads them all


def test_outputs_are_written_with_the_users_umask_not_private_to_the_writer(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    store = LocalDocumentStore(root=str(tmp_path))
    store.write_text("processed/2026-12-02/deed_v1_schema.json", "{}")
    store.write_file("processed/2026-12-02/copy.json", tmp_path / "processed/2026-12-02/deed_v1_schema.json")
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "processed/2026-12-02").iterdir()}
    assert modes == {"deed_v1_schema.json": 0o666 & ~umask, "copy.json": 0o666 & ~umask}
    assert 0o666 & ~umask != 0o600, "a umask that keeps files private would not test anything"
