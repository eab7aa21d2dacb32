"""The two markdown reports: what V1 misses (schema_extensions) and a 30-second summary (v2_summary)."""

from __future__ import annotations

import re

from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.results import V1Result
from textract_pipeline.extraction.schema_v1 import SCHEMA_VERSION, V1Record
from textract_pipeline.extraction.schema_v2 import V2Document, V2Field

# V2 field names (labels as deeds print them) that V1 already models.
_V1_LABEL_SYNONYMS = re.compile(
    r"^(apn|a_p_n|apn_parcel_id_s|assessor_s_parcel_no|assessors_parcel_number|parcel_id|doc_number|document_no|"
    r"instrument_no|order_no|order_number|escrow_no|escrow_number|total_fees|fees|pages|recording_requested_by|"
    r"commonly_known_as|property_address|documentary_transfer_tax|dated|mail_tax_statements_to|when_recorded_mail_to|"
    r"sales_price|consideration)(_\d+)?$"
)


def _cell(value: object, limit: int = 60) -> str:
    text = " ".join(str(value).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _v1_values(record: V1Record) -> set[str]:
    """Normalized text of every V1 value (not its evidence lines), to recognise V2 fields V1 already holds."""
    values: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                if key in ("value", "full_name", "label") and child not in (None, ""):
                    values.add(normalize_name(str(child)))
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(record.model_dump(mode="json"))
    values.discard("")
    return values


def _covered_by_v1(field: V2Field, v1_values: set[str]) -> bool:
    if field.source == "rules" or _V1_LABEL_SYNONYMS.match(field.name):  # "rules" fields are V1's own values
        return True
    if field.source == "checkbox":
        return normalize_name(field.label) in v1_values
    raw = normalize_name(field.raw_text)
    if not raw:
        return True
    value = normalize_name(str(field.value))
    return raw in v1_values or value in v1_values or any(raw in text for text in v1_values if len(raw) >= 8)


def extension_rows(v1: V1Result, v2: V2Document) -> list[tuple[str, str, str, str]]:
    """(path, type, example, origin) for everything the document holds that V1 has no field for."""
    v1_values = _v1_values(v1.record)
    rows = [
        (path, field.value_type.value, _cell(field.value), f"V2 {field.source}, page {field.page}")
        for path, field in v2.paths().items()
        if not _covered_by_v1(field, v1_values)
    ]
    rows += [
        (path, type(value).__name__, _cell(value), f"{v1.extractor} extra field")
        for path, value in v1.extra_fields.items()
    ]
    return rows


def render_schema_extensions(v1: V1Result, v2: V2Document) -> str:
    rows = extension_rows(v1, v2)
    lines = [
        "# Schema extensions",
        "",
        f"V1 schema {SCHEMA_VERSION} (extractor `{v1.extractor}`) has no field for the {len(rows)} value(s) below; "
        "each is a candidate for the next schema version.",
        "",
    ]
    if not rows:
        lines.append("_Nothing: every value found in the document maps to a V1 field._")
        return "\n".join(lines) + "\n"
    lines += ["| path | type | example | found by |", "|---|---|---|---|"]
    lines += [f"| `{path}` | {kind} | {example} | {origin} |" for path, kind, example, origin in rows]
    return "\n".join(lines) + "\n"


def _party_line(parties) -> str:
    if not parties:
        return "_not found_"
    return "; ".join(f"{p.full_name}" + (f" ({p.vesting.lower()})" if p.vesting else "") for p in parties)


def _value(field) -> str:
    return "_not found_" if field is None else str(field.value)


def render_v2_summary(v1: V1Result, v2: V2Document) -> str:
    record = v1.record
    rec = record.recording
    if record.transfer_tax.amount is not None and record.transfer_tax.amount.value > 0:
        money = f"documentary transfer tax ${record.transfer_tax.amount.value:,.2f}"
    elif record.transfer_tax.exemption is not None:
        money = f"exempt: {record.transfer_tax.exemption.value}"
    else:
        money = "no transfer tax stated"
    if record.consideration is not None:
        money = f"consideration ${record.consideration.value:,.2f}; " + money
    if record.loan_amount is not None:
        money = f"loan ${record.loan_amount.value:,.2f}; " + money
    title = record.document_type.value.value.replace("_", " ")
    lines = [
        f"# {title.title()} — {_value(rec.document_number)}",
        "",
        "| | |",
        "|---|---|",
        f"| **Grantor(s)** | {_cell(_party_line(record.grantors), 200)} |",
        f"| **Grantee(s)** | {_cell(_party_line(record.grantees), 200)} |",
        f"| **Property** | APN {', '.join(a.value for a in record.property.apns) or '_not found_'}; "
        f"{_cell(_value(record.property.situs_address), 120)} |",
        f"| **Price / tax** | {money} |",
        f"| **Recorded** | {_value(rec.recorded_date)}, {_value(rec.recording_county)} County, "
        f"{_value(rec.page_count)} page(s), fees {_value(rec.fees)} |",
        f"| **Signed / notarized** | {_value(record.dated_date)} / {_value(record.notary_date)} |",
        f"| **Title company** | {_value(record.title_company)} (order {_value(record.order_number)}, "
        f"escrow {_value(record.escrow_number)}) |",
        "",
        f"Extractor `{v1.extractor}`" + (f" ({v1.model_id})" if v1.model_id else "") + f", schema {v1.schema_version}.",
        "",
        "## Fields per section",
        "",
        "| section | fields |",
        "|---|---|",
    ]
    lines += [f"| {section.name} | {len(section.fields)} |" for section in v2.sections]
    lines.append(f"| **total** | {sum(len(s.fields) for s in v2.sections)} |")
    return "\n".join(lines) + "\n"
