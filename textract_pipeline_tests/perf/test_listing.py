import os
import time
from datetime import UTC, datetime

from textract_pipeline.resources.document_store import LocalDocumentStore


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
