"""One pricing table for the cost of a document: Textract pages plus LLM tokens.

A document's ``CostEstimate`` holds two figures: what it was paid (``paid_usd``: Textract only
when Amazon Textract analysed it, model tokens only at a Bedrock price; the local engine and the
deterministic extractor cost nothing) and what the same document costs on AWS (``aws_usd``:
its pages on Textract, plus its tokens on Bedrock when a model ran: the model used if Bedrock
prices it, else the default Bedrock model). Sums are exact (Decimal); outputs are floats.

Textract: AnalyzeDocument / StartDocumentAnalysis list prices in US East (N. Virginia)
for the first million pages a month, as published on the AWS Textract pricing page in
2025 (checked for this table: November 2025). TABLES+FORMS is $0.065 per page (the
$0.045 figure quoted in older material is wrong). LAYOUT is $0.004 per page on its own
and is added to the combined price when requested with other features.
Bedrock: on-demand list prices per token in us-east-1 (2025). A model not in the table (a local
model server) counts as 0 paid, flagged in ``CostEstimate.notes``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, model_validator

from textract_pipeline.extraction.llm import DEFAULT_BEDROCK_MODEL
from textract_pipeline.extraction.results import TokenUsage

PRICING_AS_OF = "2025-11"

TEXTRACT_PER_PAGE: dict[frozenset[str], Decimal] = {
    frozenset(): Decimal("0.0015"),  # DetectDocumentText
    frozenset({"TABLES"}): Decimal("0.015"),
    frozenset({"FORMS"}): Decimal("0.05"),
    frozenset({"TABLES", "FORMS"}): Decimal("0.065"),
    frozenset({"QUERIES"}): Decimal("0.015"),
    frozenset({"LAYOUT"}): Decimal("0.004"),
    frozenset({"SIGNATURES"}): Decimal("0.0035"),
}
# Added per page when combined with any other feature.
TEXTRACT_ADD_ON: dict[str, Decimal] = {
    "LAYOUT": Decimal("0.004"),
    "QUERIES": Decimal("0.015"),
    "SIGNATURES": Decimal("0.0035"),
    "TABLES": Decimal("0.015"),
}
# (input, output) USD per 1,000 tokens.
LLM_PER_1K_TOKENS: dict[str, tuple[Decimal, Decimal]] = {
    "amazon.nova-micro-v1:0": (Decimal("0.000035"), Decimal("0.00014")),
    "amazon.nova-lite-v1:0": (Decimal("0.00006"), Decimal("0.00024")),
    "amazon.nova-pro-v1:0": (Decimal("0.0008"), Decimal("0.0032")),
    # Qwen 2.5 7B Instruct: no first-party on-demand price was published when this table was
    # written; this is the rate of comparable 7-8B open models on Bedrock (Llama 3.1 8B) - verify.
    "qwen.qwen2.5-7b-instruct": (Decimal("0.00022"), Decimal("0.00022")),
}


class CostEstimate(BaseModel):
    pages: int
    feature_set: str
    textract_per_page_usd: float
    textract_billed: bool  # Amazon Textract analysed this document (not the local engine, not the cache)
    model_id: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    paid_textract_usd: float
    paid_llm_usd: float
    paid_usd: float
    aws_textract_usd: float
    aws_model_id: str | None  # the model the AWS estimate prices the tokens at; None without tokens
    aws_llm_usd: float
    aws_usd: float
    pricing_as_of: str = PRICING_AS_OF
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _single_total_layout(cls, data: Any) -> Any:
        """Manifests written with one total (textract_usd, llm_usd, total_usd) read as paid on AWS."""
        if isinstance(data, dict) and "total_usd" in data and "paid_usd" not in data:
            textract, llm, total = data["textract_usd"], data.get("llm_usd", 0.0), data["total_usd"]
            data = {
                **data,
                "textract_billed": True,
                "paid_textract_usd": textract,
                "paid_llm_usd": llm,
                "paid_usd": total,
                "aws_textract_usd": textract,
                "aws_model_id": data.get("model_id") if llm else None,
                "aws_llm_usd": llm,
                "aws_usd": total,
            }
        return data

    @property
    def total_usd(self) -> float:
        """What the document was paid."""
        return self.paid_usd


def _normalize_model(model_id: str) -> str:
    """Cross-region inference profiles ('us.amazon.nova-lite-v1:0') bill as the base model."""
    for prefix in ("us.", "eu.", "apac.", "global."):
        if model_id.startswith(prefix):
            return model_id[len(prefix) :]
    return model_id


def textract_page_price(feature_set: str) -> Decimal:
    """Price per page for a feature set written like 'TABLES+FORMS+LAYOUT' (order and case free)."""
    features = frozenset(f.strip().upper() for f in feature_set.replace(",", "+").split("+") if f.strip())
    features -= {"TEXT", "DETECT"}
    if features in TEXTRACT_PER_PAGE:
        return TEXTRACT_PER_PAGE[features]
    base = features & {"FORMS", "TABLES"}
    price = TEXTRACT_PER_PAGE.get(frozenset(base), Decimal(0))
    for feature in sorted(features - base):
        if feature not in TEXTRACT_ADD_ON:
            raise ValueError(f"unknown Textract feature {feature!r}")
        price += TEXTRACT_ADD_ON[feature]
    return price


def _llm_price(model_id: str, usage: TokenUsage) -> Decimal | None:
    prices = LLM_PER_1K_TOKENS.get(_normalize_model(model_id))
    if prices is None:
        return None
    return (prices[0] * usage.input_tokens + prices[1] * usage.output_tokens) / 1000


def _usd(amount: Decimal) -> float:
    return float(round(amount, 8))


def estimate_cost(
    pages: int, feature_set: str, model_id: str | None, usage: TokenUsage, *, textract_billed: bool = True
) -> CostEstimate:
    """What the document was paid and what it costs on AWS; `textract_billed` says Amazon Textract analysed it."""
    per_page = textract_page_price(feature_set)
    textract = per_page * pages
    notes: list[str] = []
    paid_llm = Decimal(0)
    if model_id:
        price = _llm_price(model_id, usage)
        if price is None:
            notes.append(f"no price for model {model_id!r}: its tokens count as 0 paid")
        else:
            paid_llm = price
    aws_model: str | None = None
    aws_llm = Decimal(0)
    if usage.input_tokens or usage.output_tokens:
        aws_model = model_id if model_id and _llm_price(model_id, usage) is not None else DEFAULT_BEDROCK_MODEL
        aws_llm = _llm_price(aws_model, usage) or Decimal(0)
    else:
        notes.append("no model tokens: the AWS figure is Textract alone")
    paid_textract = textract if textract_billed else Decimal(0)
    return CostEstimate(
        pages=pages,
        feature_set=feature_set,
        textract_per_page_usd=float(per_page),
        textract_billed=textract_billed,
        model_id=model_id,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        paid_textract_usd=_usd(paid_textract),
        paid_llm_usd=_usd(paid_llm),
        paid_usd=_usd(paid_textract + paid_llm),
        aws_textract_usd=_usd(textract),
        aws_model_id=aws_model,
        aws_llm_usd=_usd(aws_llm),
        aws_usd=_usd(textract + aws_llm),
        notes=notes,
    )
