"""Dagster pipeline turning scanned real-estate records into structured data."""
