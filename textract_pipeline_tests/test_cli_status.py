"""`textract-pipeline status`: hostile names print as text, any case of a status, a read-only data folder."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from textract_pipeline.cli import main
from textract_pipeline.records import DocumentStatus
from textract_pipeline.resources.document_store import StoredObject
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.terminal_text import escaped, safe_text
from textract_pipeline_tests.other_user import as_reader_without_write_access

# Object keys as uploaders can make them: a screen-clearing escape, markup Rich would
# interpret or refuse, an emoji code, a line break.
HOSTILE_KEYS = {
    "clear-screen": "incoming/\x1b[2J\x1b[Hgone.tif",
    "markup": "incoming/[bold]loud[/bold].tif",
    "closing-tag": "incoming/[/]unbalanced.tif",
    "emoji-code": "incoming/:x:.tif",
    "line-break": "incoming/two\nlines.tif",
}


def run_status(data: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["status", "--data-dir", str(data), *arguments])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def register(tracking: SqliteTrackingStore, document_id: str, key: str) -> None:
    tracking.register_upload(
        document_id, StoredObject(key=key, version="v1", size=10, last_modified=datetime(2026, 1, 2, tzinfo=UTC))
    )


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    tracking = SqliteTrackingStore(path=str(data / "tracking.sqlite"))
    for document_id, key in HOSTILE_KEYS.items():
        register(tracking, document_id, key)
    tracking.start_attempt("markup", "attempt-1")
    tracking.set_status("markup", "attempt-1", DocumentStatus.FAILED, reason="[red]bad[/] \x07bell")
    return data


def test_names_with_escapes_markup_and_undecodable_bytes_print_as_escaped_text(hostile_folder):
    code, output = run_status(hostile_folder)
    assert code == 0, output
    assert "\x1b" not in output and "\x07" not in output
    for shown in (r"\x1b[2J\x1b[Hgone.tif", "[bold]loud[/bold].tif", "[/]unbalanced.tif", ":x:.tif", r"two\nlines"):
        assert shown in output, (shown, output)
    assert "❌" not in output
    assert r"[red]bad[/] \x07bell" in output


def test_undecodable_bytes_show_as_their_escapes():
    name = os.fsdecode(b"incoming/caf\xe9\xff.tif")
    assert escaped(name) == r"incoming/caf\xe9\xff.tif"
    assert escaped("zero\u200bwidth") == r"zero\u200bwidth"
    assert safe_text("[bold]x[/]").plain == "[bold]x[/]"


@pytest.mark.parametrize("spelling", ["failed", "FAILED", "Failed"])
def test_the_status_filter_takes_any_case(hostile_folder, spelling):
    code, output = run_status(hostile_folder, "--status", spelling)
    assert code == 0, output
    assert "loud" in output and "gone.tif" not in output


def test_extract_output_option_is_explained():
    result = CliRunner().invoke(main, ["extract", "--help"])
    output_line = next(line for line in result.output.splitlines() if "--output-dir" in line)
    assert len(output_line.split("DIRECTORY", 1)[1].strip()) > 10


def test_status_reads_a_read_only_data_folder_without_writing_it(shared_folder):
    data = shared_folder / "data"
    tracking = SqliteTrackingStore(path=str(data / "tracking.sqlite"))
    register(tracking, "deed-1", "incoming/deed-1.tif")
    register(tracking, "deed-2", "incoming/deed-2.tif")
    files = sorted(data.iterdir())
    before = {path.name: path.read_bytes() for path in files}
    for path in files:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    data.chmod(0o555)

    code, output = as_reader_without_write_access(lambda: run_status(data))

    assert code == 0, output
    assert "deed-1.tif" in output and "deed-2.tif" in output
    assert {path.name: path.read_bytes() for path in sorted(data.iterdir())} == before
