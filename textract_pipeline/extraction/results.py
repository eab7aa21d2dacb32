"""What an extractor returns: the record plus how it was produced (for backfill traceability)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from textract_pipeline.extraction.schema_v1 import SCHEMA_VERSION, V1Record


class TokenUsage(BaseModel):
    input_tokens: int = Field(0, ge=0)
    output_tokens: int = Field(0, ge=0)

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


class V1Result(BaseModel):
    record: V1Record
    extractor: str
    model_id: str | None = None
    schema_version: str = SCHEMA_VERSION
    prompt_version: str | None = Field(None, description="Set by LLM extractors only")
    usage: TokenUsage = Field(default_factory=TokenUsage)
    repaired: bool = Field(False, description="True when the LLM output needed one repair round")
    extra_fields: dict[str, object] = Field(
        default_factory=dict, description="Fields an LLM returned that V1 has no place for (flattened paths)"
    )
