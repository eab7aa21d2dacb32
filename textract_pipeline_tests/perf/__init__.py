"""Retention and the parallel `process` path: correctness, not timing."""
