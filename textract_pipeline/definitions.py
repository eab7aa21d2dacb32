"""The code location: assets, job and sensor, with resources chosen by the environment."""

import dagster as dg

from textract_pipeline.assets import extraction, reports, results, source, textract
from textract_pipeline.jobs import process_documents
from textract_pipeline.resources import build_resources
from textract_pipeline.sensors.incoming import incoming_documents_sensor
from textract_pipeline.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([source, textract, extraction, reports, results]),
        jobs=[process_documents],
        sensors=[incoming_documents_sensor],
        resources=build_resources(settings),
    )


defs = build_definitions(Settings.from_environ())
