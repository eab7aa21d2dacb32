import boto3
import pytest

from textract_pipeline.resources.document_store import UnsafeKeyError
from textract_pipeline_tests.aws.conftest import BUCKET, REGION


def test_write_read_head_copy_and_uri(s3_store):
    uri = s3_store.write_text("processed/2026-11-22/deed_v1_schema.json", '{"a": 1}', "application/json")
    assert uri == f"s3://{BUCKET}/processed/2026-11-22/deed_v1_schema.json"
    assert s3_store.read_text("processed/2026-11-22/deed_v1_schema.json") == '{"a": 1}'
    raw = boto3.client("s3", region_name=REGION).head_object(
        Bucket=BUCKET, Key="processed/2026-11-22/deed_v1_schema.json"
    )
    assert raw["ContentType"] == "application/json"

    s3_store.write_bytes("incoming/deed.tif", b"II*\x00scan")
    stored = s3_store.head("incoming/deed.tif")
    assert (stored.key, stored.size) == ("incoming/deed.tif", 8)
    assert (
        s3_store.copy("incoming/deed.tif", "failed/2026-11-22/deed.tif") == f"s3://{BUCKET}/failed/2026-11-22/deed.tif"
    )
    assert s3_store.read_bytes("failed/2026-11-22/deed.tif") == b"II*\x00scan"
    assert s3_store.head("incoming/missing.tif") is None


def test_version_is_the_same_in_listings_and_head_and_changes_with_the_bytes(s3_store):
    s3_store.write_bytes("incoming/deed.tif", b"first")
    [listed] = s3_store.list_objects("incoming/")
    assert listed.version == s3_store.head("incoming/deed.tif").version
    assert '"' not in listed.version
    s3_store.write_bytes("incoming/deed.tif", b"second")
    assert s3_store.head("incoming/deed.tif").version != listed.version


def test_listing_is_in_key_order_and_resumes_after_a_key(s3_store):
    for name in ["c.tif", "a.tif", "b/deep.pdf", "d.tif"]:
        s3_store.write_bytes(f"incoming/{name}", b"x")
    s3_store.write_bytes("processed/other.json", b"{}")
    assert [o.key for o in s3_store.list_objects("incoming/")] == [
        "incoming/a.tif",
        "incoming/b/deep.pdf",
        "incoming/c.tif",
        "incoming/d.tif",
    ]
    assert [o.key for o in s3_store.list_objects("incoming/", start_after="incoming/b/deep.pdf")] == [
        "incoming/c.tif",
        "incoming/d.tif",
    ]


@pytest.mark.parametrize("key", ["../escape.tif", "/absolute.tif", "incoming/../x.tif", ""])
def test_unsafe_keys_are_refused_before_any_call(s3_store, key):
    with pytest.raises(UnsafeKeyError):
        s3_store.write_bytes(key, b"x")


def test_read_if_present_takes_one_request_and_gives_none_for_a_missing_object(s3_store):
    s3_store.write_text("pipeline-state/v1_schema/doc-a.json", '{"a": 1}', "application/json")
    operations = []
    s3_store.s3.meta.events.register("before-call.s3", lambda model, **_: operations.append(model.name))
    assert s3_store.read_bytes_if_present("pipeline-state/v1_schema/doc-a.json") == b'{"a": 1}'
    assert s3_store.read_bytes_if_present("pipeline-state/v1_schema/doc-b.json") is None
    assert operations == ["GetObject", "GetObject"]
