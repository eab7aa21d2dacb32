"""`textract-pipeline`: process documents, run the OCR engine or the extractor alone, show status."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
from pathlib import Path, PurePosixPath

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from textract_pipeline.records import DocumentStatus
from textract_pipeline.settings import Settings

# What a data folder that cannot take writes looks like: read-only, not ours, full, over a quota or size limit.
STORAGE_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# SQLite's words for the same, from the tracking and Dagster databases.
SQLITE_STORAGE_ERRORS = ("disk is full", "disk I/O error", "readonly database", "unable to open database")


def storage_failure(error: BaseException) -> str | None:
    """The cause, if `error` says the data folder cannot take writes; None for any other error."""
    if isinstance(error, OSError) and error.errno in STORAGE_ERRORS:
        return error.strerror
    original = getattr(error, "orig", error)  # SQLAlchemy wraps the sqlite3 error
    if isinstance(original, sqlite3.OperationalError) and any(
        words in str(original) for words in SQLITE_STORAGE_ERRORS
    ):
        return str(original)
    return None


# Piped output (logs, CI) gets wide lines instead of tables truncated to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 250)


def _settings(data_dir: Path | None) -> Settings:
    settings = Settings.from_environ()
    return settings.model_copy(update={"data_dir": data_dir.resolve()}) if data_dir else settings


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Local bucket and state folder (default: $TEXTRACT_PIPELINE_DATA_DIR or ./data).",
)


@click.group()
def main() -> None:
    """Turn scanned real-estate records into structured data."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@data_dir_option
def process(paths: tuple[Path, ...], data_dir: Path | None) -> None:
    """Put PATHS (files, or the files of folders) into incoming/ and process them to completion."""
    from textract_pipeline.process import process_paths
    from textract_pipeline.terminal_text import escaped, safe_text

    settings = _settings(data_dir)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    try:
        with Progress(*columns, console=console, transient=False) as progress:
            tasks = []  # the bar appears once the files are in incoming/ and counted
            report = process_paths(
                list(paths),
                settings,
                on_planned=lambda total: tasks.append(progress.add_task("documents", total=total)),
                on_done=lambda outcome: progress.advance(tasks[0]),
                on_notice=lambda message: progress.console.print(safe_text(message)),
            )
    except Exception as error:  # a read-only or full data folder: one line, the folder and the cause
        cause = storage_failure(error)
        if cause is None:
            raise
        where = escaped(os.fsdecode(error.filename)) if getattr(error, "filename", None) else str(settings.data_dir)
        raise click.ClickException(f"cannot write to {where}: {cause}") from error

    table = Table("document id", "file name", "status", "pages", "document type", "output folder", "seconds")
    failed = any(item.refused for item in report.not_run)
    for outcome in report.outcomes:
        record = outcome.record
        status = record.status.value if record else "UNKNOWN"
        failed |= status != DocumentStatus.COMPLETED
        if outcome.already_processed:
            status += " (already processed)"
        elif record and not record.status.is_terminal:
            status += " (not finished: runs when a daemon runs next)"
        if record and record.reason:
            status += f": {record.reason}"
        outputs = record.outputs if record else {}
        folder = str(settings.data_dir / PurePosixPath(outputs["v1_schema"]).parent) if "v1_schema" in outputs else "-"
        table.add_row(
            safe_text(outcome.document_id),
            safe_text(outcome.path),
            safe_text(status),
            str(record.pages if record and record.pages is not None else "-"),
            safe_text(record.document_type if record and record.document_type else "-"),
            safe_text(folder),
            f"{outcome.seconds:.1f}",
        )
    for item in report.not_run:
        table.add_row("-", safe_text(item.path), safe_text(f"NOT RUN: {item.reason}"), "-", "-", "-", "-")
    console.print(table)
    dagster = Path(sys.executable).with_name("dagster")
    console.print(
        safe_text(f"Browse the runs: DAGSTER_HOME={report.dagster_home} {dagster} dev -m textract_pipeline.definitions")
    )
    if report.interrupted_by is not None:
        sys.exit(128 + report.interrupted_by)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON here.")
def ocr(file: Path, output: Path | None) -> None:
    """Run the local OCR engine on FILE and write Textract AnalyzeDocument-format JSON."""
    from textract_pipeline.ocr import analyze_document
    from textract_pipeline.ocr.errors import UnreadableDocumentError

    try:
        response = analyze_document(file.read_bytes())
    except UnreadableDocumentError as error:
        raise click.ClickException(f"{file}: {error.reason}") from error
    text = json.dumps(response, indent=2)
    if output:
        output.write_text(text)
        console.print(f"wrote {output} ({response['DocumentMetadata']['Pages']} pages)")
    else:
        click.echo(text)


@main.command()
@click.argument("response_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the V1 and V2 JSON files and the two markdown reports.",
)
def extract(response_file: Path, output_dir: Path) -> None:
    """V1, V2 and both reports from a saved Textract response (RESPONSE_FILE), read a page at a time."""
    from textract_pipeline.extraction import (
        DeterministicExtractor,
        read_document_view,
        render_schema_extensions,
        render_v2_summary,
    )
    from textract_pipeline.textract_document import MalformedResponseError

    try:
        document = read_document_view(response_file)
    except MalformedResponseError as error:
        raise click.ClickException(f"{response_file} is not a Textract response: {error}") from None
    except OSError as error:
        raise click.ClickException(f"cannot read {response_file}: {error.strerror or error}") from None
    if document.page_count == 0:
        raise click.ClickException(f"{response_file} is not a Textract response: it has no blocks")
    extractor = DeterministicExtractor()
    v1, v2 = extractor.extract_v1(document), extractor.extract_v2(document)
    stem = response_file.name.removesuffix(".json").removesuffix(".textract")
    output_dir.mkdir(parents=True, exist_ok=True)
    files = {
        f"{stem}_v1_schema.json": v1.model_dump_json(indent=2),
        f"{stem}_v2_dynamic.json": v2.model_dump_json(indent=2),
        f"{stem}_schema_extensions.md": render_schema_extensions(v1, v2),
        f"{stem}_v2_summary.md": render_v2_summary(v1, v2),
    }
    for name, text in files.items():
        (output_dir / name).write_text(text)
        console.print(f"wrote {output_dir / name}")


@main.command()
@data_dir_option
@click.option(
    "--status",
    "status_filter",
    type=click.Choice([status.value for status in DocumentStatus], case_sensitive=False),
    help="Only the documents in this status (any case).",
)
def status(data_dir: Path | None, status_filter: str | None) -> None:
    """The tracking records as a table; names and reasons are printed escaped, as text."""
    import sqlite3

    from textract_pipeline.resources import build_resources
    from textract_pipeline.terminal_text import safe_text

    settings = _settings(data_dir)
    tracking = build_resources(settings)["tracking"]
    try:
        records = tracking.list_documents(DocumentStatus(status_filter) if status_filter else None)
    except (OSError, sqlite3.Error) as error:
        raise click.ClickException(f"cannot read the tracking records in {settings.data_dir}: {error}") from error
    table = Table("document id", "object key", "status", "pages", "document type", "updated", "reason")
    for record in records:
        table.add_row(
            *(
                safe_text(value)
                for value in (
                    record.document_id,
                    record.object_key,
                    record.status.value,
                    record.pages if record.pages is not None else "-",
                    record.document_type or "-",
                    f"{record.updated_at:%Y-%m-%d %H:%M:%S}",
                    record.reason or "",
                )
            )
        )
    console.print(table)
