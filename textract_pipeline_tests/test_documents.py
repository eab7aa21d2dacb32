from datetime import UTC, datetime

import dagster as dg
import pytest

from textract_pipeline.documents import (
    document_id_for_key,
    documents_partitions,
    is_supported_key,
)
from textract_pipeline.outputs import output_key


@pytest.mark.parametrize(
    ("key", "prefix"),
    [
        ("incoming/Grant Deed 2025-000123.TIF", "grant-deed-2025-000123-"),
        ("incoming/sub/folder/déed (copy).pdf", "d-ed-copy-"),
        ("incoming/" + "x" * 300 + ".tiff", "x" * 40 + "-"),
        ("incoming/%%%.pdf", "document-"),
    ],
)
def test_document_ids_are_short_readable_and_valid_partition_keys(key, prefix):
    document_id = document_id_for_key(key)
    assert document_id.startswith(prefix)
    assert len(document_id) <= 49
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(documents_partitions.name, [document_id])
    assert instance.has_dynamic_partition(documents_partitions.name, document_id)


def test_same_name_in_two_folders_gets_two_ids_and_ids_are_stable():
    first, second = document_id_for_key("incoming/a/deed.tif"), document_id_for_key("incoming/b/deed.tif")
    assert first != second
    assert first == document_id_for_key("incoming/a/deed.tif")


def test_supported_suffixes_in_any_case():
    assert [is_supported_key(k) for k in ("a.tif", "a.TIFF", "a.Pdf", "a.png", "a.tif.txt", "tif")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_output_layout_matches_the_original_pipeline():
    at = datetime(2026, 11, 21, 23, 5, 9, tzinfo=UTC)
    assert (
        output_key("incoming/Deed 7.tif", "v2_summary", at)
        == "processed/2026-11-21/Deed 7_v2_summary_20261121_230509.md"
    )
    assert output_key("incoming/x.pdf", "textract_raw", at).endswith("x_textract_raw_20261121_230509.json")
