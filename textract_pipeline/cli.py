"""`textract-pipeline`: process documents, run the OCR engine or the extractor alone, show status."""

from __future__ import annotations

import json
import sys
from pathlib import Path, PurePosixPath

import click
from rich.console import Console
from rich.markup import escape as rich_escape
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

    settings = _settings(data_dir)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("documents", total=None)
        report = process_paths(
            list(paths),
            settings,
            on_planned=lambda total: progress.update(task, total=total),
            on_done=lambda outcome: progress.advance(task),
            on_notice=lambda message: progress.console.print(printable(message)),
        )

    table = Table("document id", "file", "status", "pages", "document type", "output folder", "seconds")
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
            printable(outcome.document_id),
            printable(outcome.path),
            printable(status),
            str(record.pages if record and record.pages is not None else "-"),
            printable(record.document_type if record and record.document_type else "-"),
            printable(folder),
            f"{outcome.seconds:.1f}",
        )
    for item in report.not_run:
        table.add_row("-", printable(item.path), printable(f"NOT RUN: {item.reason}"), "-", "-", "-", "-")
    console.print(table)
    dagster = Path(sys.executable).with_name("dagster")
    console.print(
        printable(f"Browse the runs: DAGSTER_HOME={report.dagster_home} {dagster} dev -m textract_pipeline.definitions")
    )
    if report.interrupted_by is not None:
        sys.exit(128 + report.interrupted_by)
    sys.exit(1 if failed else 0)


def printable(text: str) -> str:
    """Text as the terminal should show it: control characters escaped, Rich markup shown, not applied."""
    visible = "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode("ascii")
        for character in text
    )
    return rich_escape(visible)


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
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def extract(response_file: Path, output_dir: Path) -> None:
    """V1, V2 and both reports from a saved Textract response (RESPONSE_FILE)."""
    from textract_pipeline.extraction import (
        DeterministicExtractor,
        render_schema_extensions,
        render_v2_summary,
    )
    from textract_pipeline.textract_document import load_document

    try:
        document = load_document(json.loads(response_file.read_text()))
    except (ValueError, KeyError) as error:
        raise click.ClickException(f"{response_file} is not a Textract response: {error}") from error
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
@click.option("--status", "status_filter", type=click.Choice([status.value for status in DocumentStatus]))
def status(data_dir: Path | None, status_filter: str | None) -> None:
    """The tracking records as a table."""
    from textract_pipeline.resources import build_resources

    tracking = build_resources(_settings(data_dir))["tracking"]
    records = tracking.list_documents(DocumentStatus(status_filter) if status_filter else None)
    table = Table("document id", "object key", "status", "pages", "document type", "updated", "reason")
    for record in records:
        table.add_row(
            record.document_id,
            record.object_key,
            record.status.value,
            str(record.pages if record.pages is not None else "-"),
            record.document_type or "-",
            f"{record.updated_at:%Y-%m-%d %H:%M:%S}",
            record.reason or "",
        )
    console.print(table)
