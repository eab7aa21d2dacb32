"""Benchmarks run as `python -m textract_pipeline.benchmarks.<name>`."""
