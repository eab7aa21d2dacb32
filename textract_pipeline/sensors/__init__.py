"""Sensors: what turns uploads (and, in AWS mode, Textract completions) into runs."""
