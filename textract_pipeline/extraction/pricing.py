"""One pricing table for the cost of a document: Textract pages plus LLM tokens.

Textract: AnalyzeDocument / StartDocumentAnalysis list prices in US East (N. Virginia)
for the first million pages a month, as published on the AWS Textract pricing page in
2025 (checked for this table: November 2025). TABLES+FORMS is $0.065 per page (the
$0.045 figure quoted in older material is wrong). LAYOUT is $0.004 per page on its own
and is added to the combined price when requested with other features.
Bedrock: on-demand list prices per token in us-east-1 (2025). Models not in the table
cost nothing in the estimate and are flagged in ``CostEstimate.notes``.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

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
    textract_usd: float
    model_id: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    llm_usd: float = 0.0
    total_usd: float
    pricing_as_of: str = PRICING_AS_OF
    notes: list[str] = Field(default_factory=list)


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


def estimate_cost(pages: int, feature_set: str, model_id: str | None, usage: TokenUsage) -> CostEstimate:
    per_page = textract_page_price(feature_set)
    textract = per_page * pages
    notes: list[str] = []
    llm = Decimal(0)
    if model_id:
        prices = LLM_PER_1K_TOKENS.get(_normalize_model(model_id))
        if prices is None:
            notes.append(f"no price for model {model_id!r}: LLM cost counted as 0")
        else:
            llm = (prices[0] * usage.input_tokens + prices[1] * usage.output_tokens) / 1000
    return CostEstimate(
        pages=pages,
        feature_set=feature_set,
        textract_per_page_usd=float(per_page),
        textract_usd=float(textract),
        model_id=model_id,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        llm_usd=float(round(llm, 8)),
        total_usd=float(round(textract + llm, 8)),
        notes=notes,
    )
