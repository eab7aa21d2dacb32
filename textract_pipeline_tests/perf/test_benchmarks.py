"""Every script in benchmarks/ runs at a tiny size and prints its table: an import error, a changed
API or a broken measurement fails here instead of the next time someone measures.

Timing is not asserted: the figures are the scripts' business (docs/PERFORMANCE.md). What is
checked is that the table has its rows and that its seconds, ratios and sizes are positive numbers.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import (
    end_to_end,
    event_log,
    memory,
    ocr_corpus,
    ocr_generated_forms,
    ocr_isolation,
    ocr_many_pages,
    ocr_page_limits,
    ocr_vs_textract,
    partitions,
    sensor_ticks,
    tesseract_floor,
)
from benchmarks.common import shown_number

SAMPLES = Path(__file__).parents[2] / "sample_deeds" / "data"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def printed_tables(text: str) -> list[pd.DataFrame]:
    """The markdown tables in a benchmark's output (`benchmarks.common.print_table`), as text cells."""
    tables, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            if not line.startswith("|-"):
                rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            tables.append(pd.DataFrame(rows[1:], columns=rows[0]))
            rows = []
    return tables


def positive(table: pd.DataFrame, columns: list[str]) -> None:
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce")
        assert values.notna().all() and (values > 0).all(), f"{column}: {list(table[column])}"


def test_a_figure_below_a_tenth_keeps_three_significant_digits_instead_of_printing_zero():
    assert [shown_number(value) for value in (0.0, 0.004123, 0.0999, 0.1, 12.345)] == [
        "0.00",
        "0.00412",
        "0.0999",
        "0.10",
        "12.35",
    ]


def one_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(SAMPLES / "grant_deed_sample.tif", folder)
    return folder


@pytest.mark.slow
@pytest.mark.integration
def test_end_to_end_times_process_and_daemon_against_the_floor_and_reports_the_fixed_cost(tmp_path, capsys):
    end_to_end.main(["--files", str(one_sample(tmp_path)), "--workers", "1"])
    main_table, fixed, by_process = printed_tables(capsys.readouterr().out)
    assert list(main_table["path"]) == [
        "OCR floor (mean)",
        "(a) process",
        "(b) daemon, from drop",
        "(b) daemon, from 1st run",
    ]
    positive(main_table, ["wall s", "pages/min", "wall ÷ floor"])
    positive(main_table.iloc[1:2], ["CPU ÷ floor CPU", "CPU ÷ own OCR CPU"])  # the floor has no OCR of its own
    # The whole process tree's CPU is counted: it cannot be less than the OCR inside it.
    assert float(main_table.iloc[1]["CPU ÷ own OCR CPU"]) > 1
    assert list(fixed["path"]) == ["(a) process"] and list(fixed["statuses"]) == ["COMPLETED 1"]
    positive(fixed, ["to 1st run created", "to 1st run started", "after last run", "fixed s", "runs"])
    # Every kind of process was seen and its CPU counted: "seconds (processes)".
    kinds = ["process command", "daemon", "code servers", "OCR engine children", "run processes"]
    assert all(float(by_process.iloc[0][kind].split()[0]) > 0 for kind in kinds), by_process.to_dict("records")


@pytest.mark.slow
@pytest.mark.integration
def test_end_to_end_runs_a_committed_version_beside_the_working_tree(tmp_path, capsys):
    end_to_end.main(["--files", str(one_sample(tmp_path)), "--workers", "1", "--mode", "process", "--baseline", "HEAD"])
    main_table, fixed, by_process = printed_tables(capsys.readouterr().out)
    assert list(main_table["path"]) == ["OCR floor (mean)", "(a) process at HEAD", "(a) process"]
    assert list(by_process["path"]) == ["(a) process at HEAD", "(a) process"]
    positive(fixed, ["fixed s", "fixed ÷ wall"])


def test_end_to_end_counts_the_pages_of_a_folder_of_documents():
    files, pages = end_to_end.input_files(SAMPLES, 0)
    assert [file.name for file in files] == ["grant_deed_sample.tif", "quitclaim_deed_sample.pdf"]
    assert pages == 2 + 3  # a two-page TIFF and a three-page PDF


def test_event_log_benchmark_times_an_event_in_sqlite(capsys):
    event_log.main(["--events", "20", "--rounds", "1", "--storages", "sqlite"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["event log storage"]) == ["sqlite"]
    positive(table, ["ms/event wall", "ms/event CPU (this process)"])


@pytest.mark.postgres
def test_event_log_benchmark_compares_sqlite_and_postgres(capsys):
    event_log.main(["--events", "50", "--rounds", "1"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["event log storage"]) == ["sqlite", "postgres"]
    positive(table, ["ms/event wall", "wall ÷ sqlite"])


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.integration
def test_partitions_benchmark_ticks_queries_and_sweeps_a_postgres_instance(capsys):
    partitions.main(["--sizes", "40", "--materialized", "5"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["partitions"]) == ["40"]
    positive(table, ["seed s", "sensor tick s", "GraphQL status s (1st)", "(2nd)", "sweep s"])
    assert table.iloc[0]["archived"] == "4" and table.iloc[0]["left"] == str(40 + 10 - 4)


def test_sensor_ticks_benchmark_finds_the_new_uploads_in_a_local_folder(capsys):
    sensor_ticks.main(["--sizes", "20", "40", "--ticks", "1", "--stores", "local"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(zip(table["store"], table["objects"], strict=True)) == [
        ("local folder", "20"),
        ("local folder", "40"),
        ("local folder: hourly full pass", "20"),
        ("local folder: hourly full pass", "40"),
        ("local folder", "20"),
        ("local folder", "40"),
    ]
    positive(table, ["ticks to find 10 new", "seconds", "÷ smallest"])
    assert sensor_ticks.listing.LOOKBACK.total_seconds() > 1, "the benchmark's 1 s lookback leaked out"


@pytest.mark.slow
def test_sensor_ticks_benchmark_finds_the_new_uploads_in_every_store(capsys):
    sensor_ticks.main(["--sizes", "20", "--ticks", "1", "--flat-s3-max", "20"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(zip(table["store"], table["layout"], strict=True)) == [
        ("local folder", "hour folders"),
        ("local folder: hourly full pass", "hour folders"),
        ("local folder", "flat"),
        ("S3 listing", "hour folders"),
        ("S3 listing: hourly full pass", "hour folders"),
        ("S3 listing", "flat"),
        ("S3 + uploads queue", "any"),
    ]
    positive(table, ["ticks to find 10 new", "seconds", "÷ smallest"])
    assert sensor_ticks.listing.LOOKBACK.total_seconds() > 1, "the benchmark's 1 s lookback leaked out"


@pytest.mark.slow
@pytest.mark.integration
def test_memory_benchmark_reports_the_run_process_peak(capsys):
    memory.main(["--tiff-pages", "1", "--response-pages", "2"])
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["document"]) == ["1-page TIFF, local OCR", "2-page Textract response"]
    assert set(table["status"]) == {"COMPLETED"}
    positive(table, ["process s", "run process peak RSS MB", "largest other process MB"])


def test_memory_benchmark_library_mode_streams_and_reads_whole(capsys):
    memory.main(["--mode", "library", "--pages", "2", "--legacy"])
    streaming, whole = printed_tables(capsys.readouterr().out)
    assert list(streaming["pages"]) == ["2"] and list(whole["pages"]) == ["2"]
    positive(streaming, ["file MB", "words", "view s", "peak RSS MB"])
    positive(whole, ["words", "V1 + V2 s", "peak RSS MB"])


def test_ocr_corpus_writes_each_manifest_document_and_its_response(tmp_path, monkeypatch, capsys):
    repository = tmp_path / "repository"
    (repository / "docs").mkdir(parents=True)
    shutil.copy(FIXTURES / "form.png", repository / "docs" / "form.png")
    (repository / "docs" / "form.json").write_text('"{\\"Blocks\\": []}"')  # a response saved as a JSON string
    git = ["git", "-C", str(repository), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "fixture"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        f"set,name,repo,commit,document,response\ndevelopment,form.png,o/r,{commit},docs/form.png,docs/form.json\n"
    )
    monkeypatch.setattr(ocr_corpus, "MANIFEST", manifest)
    assert ocr_corpus.main([f"o/r={repository / '.git'}", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "development" / "form.png").read_bytes() == (FIXTURES / "form.png").read_bytes()
    assert (tmp_path / "out" / "development" / "form.png.textract.json").read_text() == '{"Blocks": []}'


def test_generated_forms_come_with_their_layout_as_a_response(tmp_path):
    assert ocr_generated_forms.main(["--count", "1", "--out", str(tmp_path)]) == 0
    (response,) = tmp_path.glob("*.textract.json")
    assert response.with_name(response.name.removesuffix(".textract.json")).exists()


@pytest.mark.slow
def test_ocr_vs_textract_scores_the_engine_against_saved_responses(tmp_path, capsys):
    folder = tmp_path / "fixtures"
    folder.mkdir()
    for name in ("single-page-1.png", "single-page-1.png.textract.json"):
        shutil.copy(FIXTURES / name, folder)
    assert ocr_vs_textract.main([str(folder), "--many-pages", "0"]) == 0
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["document"]) == ["single-page-1.png", "**overall**"]
    positive(table, ["pages", "word F1", "CPU s/page", "engine ÷ tesseract", "peak RSS MB"])


def test_ocr_isolation_compares_cpu_in_and_out_of_a_child(capsys):
    assert ocr_isolation.main([str(FIXTURES / "form.png"), "--rounds", "1"]) == 0
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["document"]) == ["form.png", "**overall**"]
    positive(table, ["in process CPU s/page", "isolated CPU s/page", "isolated ÷ in process"])


def test_tesseract_floor_prints_the_engine_against_bare_recognition(capsys):
    assert tesseract_floor.main([str(FIXTURES / "form.png")]) == 0
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["document"]) == ["form.png", "**overall (scanned pages)**"]
    positive(table, ["engine CPU s/page", "tesseract alone s/page", "engine ÷ tesseract"])


def test_ocr_page_limits_measures_a_small_page(capsys):
    assert ocr_page_limits.main(["--megapixels", "1"]) == 0
    (table,) = printed_tables(capsys.readouterr().out)
    assert list(table["megapixels"]) == ["1.00"]
    positive(table, ["RSS before MB", "peak RSS MB", "recognition CPU s"])
    assert float(table.iloc[0]["tesseract's part MB"]) >= 0  # a small page may fit in memory already mapped


@pytest.mark.slow
def test_ocr_many_pages_reads_a_generated_document(capsys):
    assert ocr_many_pages.main(["--pages", "1", "--floor-pages", "1"]) == 0
