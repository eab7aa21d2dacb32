"""The code location: assets, jobs, sensors and schedule, with resources chosen by the environment."""

import dagster as dg

from textract_pipeline.assets import extraction, ledger, reports, results, source, textract
from textract_pipeline.jobs import hourly_ledger_schedule, process_documents, reconcile_ledger
from textract_pipeline.resources import build_resources
from textract_pipeline.retention import daily_retention_schedule, partition_retention
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.sensors.textract_completion import (
    collect_textract_results,
    textract_completion_sensor,
)
from textract_pipeline.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([source, textract, extraction, reports, results, ledger]),
        jobs=[process_documents, collect_textract_results, reconcile_ledger, partition_retention],
        schedules=[hourly_ledger_schedule, daily_retention_schedule],
        sensors=[incoming_documents_sensor, textract_completion_sensor],
        resources=build_resources(settings),
        # One process per run, not per step: a step process re-imports the code location (seconds of
        # CPU) to do less work than that; documents run in parallel as runs instead.
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_environ())
