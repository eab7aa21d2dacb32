"""Per-document quality checks on the V1 record: schema validity and low-confidence values."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from pydantic import ValidationError

from textract_pipeline.documents import documents_partitions
from textract_pipeline.extraction import V1Record
from textract_pipeline.extraction.schema_v1 import LOW_CONFIDENCE

V1_VALID = "v1_matches_schema"
V1_CONFIDENT = "v1_confident_values"
V1_CHECK_SPECS = [
    dg.AssetCheckSpec(
        V1_VALID,
        asset="v1_schema",
        partitions_def=documents_partitions,
        description="The written V1 JSON validates against V1Record.",
    ),
    dg.AssetCheckSpec(
        V1_CONFIDENT,
        asset="v1_schema",
        partitions_def=documents_partitions,
        description=f"Lists, by field, the values found on weak evidence (confidence below {LOW_CONFIDENCE}: low OCR "
        "confidence, handwriting, a rule that guessed) so a person checks them against the scan.",
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


def check_schema(written_records: dict[str, dict[str, Any]]) -> dg.AssetCheckResult:
    """Passes when every document of the run wrote a record that validates; errors listed per document."""
    invalid = {}
    for document_id, record in written_records.items():
        try:
            V1Record.model_validate(record)
        except ValidationError as error:
            invalid[document_id] = error.errors(include_url=False)
    if invalid:
        return dg.AssetCheckResult(
            check_name=V1_VALID, passed=False, metadata={"errors": dg.MetadataValue.json(invalid)}
        )
    return dg.AssetCheckResult(check_name=V1_VALID, passed=True, metadata={"documents": len(written_records)})


def _is_weak(evidence: dict[str, Any]) -> bool:
    return bool(evidence.get("weak")) or evidence.get("confidence", 1.0) < LOW_CONFIDENCE


def check_confidence(written_records: dict[str, dict[str, Any]]) -> dg.AssetCheckResult:
    """Warns, naming each field, when a document of the run has values found on weak evidence."""
    low = {
        document_id: [
            {
                "field": path,
                "confidence": evidence.get("confidence"),
                "why": evidence.get("weak") or f"confidence below {LOW_CONFIDENCE}",
                "source_text": evidence.get("source_text"),
            }
            for path, evidence in evidenced_values(record)
            if _is_weak(evidence)
        ]
        for document_id, record in written_records.items()
    }
    low = {document_id: fields for document_id, fields in low.items() if fields}
    names = sorted({item["field"] for fields in low.values() for item in fields})
    return dg.AssetCheckResult(
        check_name=V1_CONFIDENT,
        passed=not low,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"Weak values in {', '.join(names)}" if names else "Every value rests on confident evidence",
        metadata={
            "low_confidence_fields": sum(len(fields) for fields in low.values()),
            "weak_fields": dg.MetadataValue.json(
                {document_id: [i["field"] for i in f] for document_id, f in low.items()}
            ),
            "fields": dg.MetadataValue.json(low),
        },
    )


def check_v1(document_id: str, written_record: dict[str, Any]) -> Iterator[dg.AssetCheckEvaluation]:
    """Both checks on one document's written record, as evaluations of its own partition."""
    for result in (check_schema({document_id: written_record}), check_confidence({document_id: written_record})):
        yield dg.AssetCheckEvaluation(
            asset_key=dg.AssetKey("v1_schema"),
            check_name=result.check_name,
            passed=result.passed,
            metadata=result.metadata,
            severity=result.severity,
            partition=document_id,
        )
