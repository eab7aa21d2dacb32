"""V2: schema-free extraction, grouped by section, snake_case names, typed values.

V2 keeps everything the document says, whether or not V1 has a field for it; the
schema_extensions report is the diff between the two.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, Field


class ValueType(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    BOOLEAN = "boolean"
    LIST = "list"


class V2Field(BaseModel):
    name: str = Field(..., description="snake_case, unique within its section")
    label: str = Field(..., description="The label as printed")
    value_type: ValueType
    value: str | float | bool | dt.date | list[str]
    raw_text: str
    page: int | None = None
    confidence: float = Field(..., ge=0, le=1)
    source: str = Field(..., description="key_value, table, checkbox or line")


class V2Section(BaseModel):
    name: str
    fields: list[V2Field] = Field(default_factory=list)


class V2Document(BaseModel):
    schema_version: str = "2.0.0"
    page_count: int
    sections: list[V2Section] = Field(default_factory=list)

    def paths(self) -> dict[str, V2Field]:
        """Every field by its ``section.field`` path."""
        return {f"{s.name}.{f.name}": f for s in self.sections for f in s.fields}
