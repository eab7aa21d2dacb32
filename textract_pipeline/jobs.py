"""The one job: every asset of one document partition, source to results record."""

import dagster as dg

process_documents = dg.define_asset_job(
    name="process_documents",
    selection=dg.AssetSelection.groups("ingest", "ocr", "extraction", "reports", "tracking")
    - dg.AssetSelection.assets("processing_ledger"),
    description="Process one uploaded document: validate, OCR, extract V1/V2, write reports and the results record.",
)

reconcile_ledger = dg.define_asset_job(
    name="reconcile_ledger",
    selection=dg.AssetSelection.assets("processing_ledger"),
    description="Reconcile every object in incoming/ with its tracking status.",
)

hourly_ledger_schedule = dg.ScheduleDefinition(
    job=reconcile_ledger, cron_schedule="0 * * * *", default_status=dg.DefaultScheduleStatus.RUNNING
)
