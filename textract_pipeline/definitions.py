"""The code location: assets, jobs, sensors and schedules, with resources chosen by the environment."""

import dagster as dg

from textract_pipeline.assets import extraction, ledger, reports, results, source, textract
from textract_pipeline.jobs import hourly_ledger_schedule, process_documents, reconcile_ledger
from textract_pipeline.resources import asset_kinds, build_resources
from textract_pipeline.retention import daily_retention_schedule, partition_retention
from textract_pipeline.sensors.failed_runs import ended_run_sensors
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    assets = dg.load_assets_from_modules([source, textract, extraction, reports, results, ledger])
    kinds = asset_kinds(settings)
    document_jobs = [process_documents]
    sensors = [incoming_documents_sensor]
    if settings.ocr == "textract":  # async jobs finish outside the run: a sensor collects them
        from textract_pipeline.sensors.textract_completion import collect_textract_results, textract_completion_sensor

        document_jobs.append(collect_textract_results)
        sensors.append(textract_completion_sensor)
    return dg.Definitions(
        assets=dg.map_asset_specs(
            lambda spec: spec.replace_attributes(kinds=kinds.get(spec.key.to_user_string(), spec.kinds)), assets
        ),
        jobs=[*document_jobs, reconcile_ledger, partition_retention],
        schedules=[hourly_ledger_schedule, daily_retention_schedule],
        sensors=[*sensors, *ended_run_sensors(document_jobs)],
        resources=build_resources(settings),
        # One process per run, not per step: a step process re-imports the code location (seconds of
        # CPU) to do less work than that; documents run in parallel as runs instead.
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_environ())
