"""Every value V1 reads also appears in V2: what a label/value pair does not already show is added.

V1 finds values that carry no label of their own (the parties in a conveying clause, the recorded
date in a stamp, the document's title); V2 would miss them. Each is added under a section named
for its V1 group, with its V1 path's last part as the field name, unless a V2 field already holds
the same value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textract_pipeline.extraction.names import normalize_name
from textract_pipeline.extraction.schema_v1 import DateValue, IntValue, MoneyValue, V1Record
from textract_pipeline.extraction.schema_v2 import V2Document, V2Field, ValueType

if TYPE_CHECKING:
    from textract_pipeline.extraction.v2 import _Builder

_SECTIONS = {
    "document_type": "instrument",
    "recording": "recording",
    "grantors": "parties",
    "grantees": "parties",
    "trustees": "parties",
    "property": "property",
    "mail_to": "return_to",
    "tax_statements_to": "tax_statements_to",
    "consideration": "consideration_and_tax",
    "loan_amount": "consideration_and_tax",
    "transfer_tax": "consideration_and_tax",
    "dated_date": "signing",
    "notary_date": "signing",
    "title_company": "title_and_escrow",
    "escrow_number": "title_and_escrow",
    "order_number": "title_and_escrow",
    "file_number": "title_and_escrow",
}


def record_values(record: V1Record) -> Iterator[tuple[str, str, object, object]]:
    """(section, name, value, evidence) for every value of a V1 record, in schema order."""
    for group, section in _SECTIONS.items():
        node = getattr(record, group)
        if node is None:
            continue
        if group in ("grantors", "grantees", "trustees"):
            for party in node:
                yield section, group.rstrip("s"), party.full_name, party
                if party.vesting:
                    yield section, f"{group.rstrip('s')}_vesting", party.vesting, party
        elif hasattr(node, "evidence"):
            yield section, group, node.value, node
        else:
            for name, child in node:
                for item in child if isinstance(child, list) else [child]:
                    if item is not None and hasattr(item, "evidence"):
                        yield section, name.rstrip("s") if isinstance(child, list) else name, item.value, item


def _value_type(node: object) -> ValueType:
    if isinstance(node, MoneyValue):
        return ValueType.MONEY
    if isinstance(node, DateValue):
        return ValueType.DATE
    if isinstance(node, IntValue):
        return ValueType.NUMBER
    return ValueType.TEXT


def _key(value: object) -> str:
    value = getattr(value, "value", value)  # an enum (document type) by its value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_name(str(value))


def _present(fields: Iterable[V2Field]) -> set[str]:
    return {key for field in fields for key in (_key(field.value), _key(field.raw_text))}


def missing_record_values(v2: V2Document, record: V1Record) -> list[tuple[str, str, object]]:
    """(section, name, value) of every V1 value that no V2 field holds: empty when V2 covers V1."""
    present = _present(v2.paths().values())
    return [(section, name, value) for section, name, value, _ in record_values(record) if _key(value) not in present]


def add_record_fields(builder: _Builder, record: V1Record) -> None:
    present = _present(field for section in builder.sections.values() for field in section.fields)
    for section, name, value, node in record_values(record):
        if _key(value) in present:
            continue
        evidence = node.evidence
        value_type = _value_type(node)
        typed = value.value if hasattr(value, "value") else value  # an enum (document type) as its value
        if value_type is ValueType.NUMBER:
            typed = float(typed)
        builder.add(section, name, str(typed), evidence.page, evidence.confidence, "rules", value_type, typed)
        present.add(_key(value))
