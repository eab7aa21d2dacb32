"""Throughput, sensor, partition and memory benchmarks; each script prints a table (docs/PERFORMANCE.md)."""
