"""Extraction accuracy against truth: on freshly generated deeds (`python -m evaluation`)."""
