"""The one job: every asset of one document partition, source to results record."""

import dagster as dg

process_documents = dg.define_asset_job(
    name="process_documents",
    selection=dg.AssetSelection.groups("ingest", "ocr", "extraction", "reports", "tracking"),
    description="Process one uploaded document: validate, OCR, extract V1/V2, write reports and the results record.",
)
