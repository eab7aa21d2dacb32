"""Per-document quality checks on the V1 record: schema validity and low-confidence values."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from pydantic import ValidationError

from textract_pipeline.extraction import V1Record

LOW_CONFIDENCE = 0.6
V1_VALID = "v1_matches_schema"
V1_CONFIDENT = "v1_confident_values"
V1_CHECK_SPECS = [
    dg.AssetCheckSpec(V1_VALID, asset="v1_schema", description="The written V1 JSON validates against V1Record."),
    dg.AssetCheckSpec(
        V1_CONFIDENT,
        asset="v1_schema",
        description=f"Flags extracted values whose evidence confidence is below {LOW_CONFIDENCE}.",
    ),
]


def evidenced_values(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (path, evidence) pair in a dumped V1 record."""
    if isinstance(node, dict):
        if isinstance(node.get("evidence"), dict):
            yield path, node["evidence"]
        for key, child in node.items():
            if key != "evidence":
                yield from evidenced_values(child, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from evidenced_values(child, f"{path}[{index}]")


def check_schema(written_record: dict[str, Any]) -> dg.AssetCheckResult:
    try:
        V1Record.model_validate(written_record)
    except ValidationError as error:
        return dg.AssetCheckResult(
            check_name=V1_VALID,
            passed=False,
            metadata={"errors": dg.MetadataValue.json(error.errors(include_url=False))},
        )
    return dg.AssetCheckResult(check_name=V1_VALID, passed=True)


def check_confidence(written_record: dict[str, Any]) -> dg.AssetCheckResult:
    low = [
        {"field": path, "confidence": evidence["confidence"], "source_text": evidence.get("source_text")}
        for path, evidence in evidenced_values(written_record)
        if evidence.get("confidence", 1.0) < LOW_CONFIDENCE
    ]
    return dg.AssetCheckResult(
        check_name=V1_CONFIDENT,
        passed=not low,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"low_confidence_fields": len(low), "fields": dg.MetadataValue.json(low)},
    )
