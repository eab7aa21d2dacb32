"""Regenerate the shipped V1 JSON Schema: ``python -m textract_pipeline.extraction.export_schema``."""

from __future__ import annotations

import json
from pathlib import Path

from textract_pipeline.extraction.schema_v1 import v1_json_schema

SCHEMA_PATH = Path(__file__).with_name("schema.json")


def render_schema() -> str:
    return json.dumps(v1_json_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
