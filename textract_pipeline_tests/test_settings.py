"""Settings from TEXTRACT_PIPELINE_* variables (pydantic-settings), with defaults chosen by the profile."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from textract_pipeline.settings import MAX_DOCUMENTS_PER_RUN, Settings


def test_the_process_environment_is_read_by_plain_construction(monkeypatch, tmp_path):
    monkeypatch.setenv("TEXTRACT_PIPELINE_PROFILE", "aws")
    monkeypatch.setenv("TEXTRACT_PIPELINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TEXTRACT_PIPELINE_MAX_PAGES", "7")
    monkeypatch.setenv("TEXTRACT_PIPELINE_BUCKET", "")  # empty counts as unset
    settings = Settings()
    assert (settings.profile, settings.data_dir, settings.max_pages, settings.bucket) == ("aws", tmp_path, 7, None)
    assert (settings.store, settings.tracking, settings.ocr, settings.extractor) == (
        "s3",
        "dynamodb",
        "textract",
        "bedrock",
    )
    assert settings.max_documents_per_run == 1
    assert Settings.from_environ() == settings


def test_a_given_mapping_is_read_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("TEXTRACT_PIPELINE_PROFILE", "aws")
    monkeypatch.setenv("TEXTRACT_PIPELINE_MAX_PAGES", "7")
    settings = Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": "relative", "TEXTRACT_PIPELINE_OCR": "textract"})
    assert (settings.profile, settings.max_pages, settings.ocr, settings.store) == ("local", 500, "textract", "local")
    assert settings.data_dir == Path("relative").resolve()
    assert settings.max_documents_per_run == MAX_DOCUMENTS_PER_RUN
    assert (settings.dagster_home, settings.tracking_path) == (
        settings.data_dir / "dagster_home",
        settings.data_dir / "tracking.sqlite",
    )


def test_a_wrong_value_names_the_setting():
    with pytest.raises(ValidationError, match="profile"):
        Settings.from_environ({"TEXTRACT_PIPELINE_PROFILE": "cloud"})
    with pytest.raises(ValidationError, match="max_bytes"):
        Settings.from_environ({"TEXTRACT_PIPELINE_MAX_BYTES": "lots"})
