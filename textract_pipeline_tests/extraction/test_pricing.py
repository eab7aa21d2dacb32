import pytest

from textract_pipeline.extraction import TokenUsage, estimate_cost
from textract_pipeline.extraction.pricing import textract_page_price


def test_tables_and_forms_is_the_2025_price():
    estimate = estimate_cost(4, "TABLES+FORMS", None, TokenUsage())
    assert estimate.textract_per_page_usd == 0.065
    assert estimate.textract_usd == pytest.approx(0.26)
    assert estimate.total_usd == pytest.approx(0.26) and estimate.llm_usd == 0


def test_feature_order_and_layout_add_on():
    assert textract_page_price("forms, tables") == textract_page_price("TABLES+FORMS")
    assert float(textract_page_price("TABLES+FORMS+LAYOUT")) == pytest.approx(0.069)
    assert float(textract_page_price("LAYOUT")) == pytest.approx(0.004)
    with pytest.raises(ValueError):
        textract_page_price("TABLES+MAGIC")


def test_llm_tokens_priced_per_model_and_inference_profile():
    usage = TokenUsage(input_tokens=10_000, output_tokens=1_000)
    nova = estimate_cost(2, "TABLES+FORMS", "us.amazon.nova-lite-v1:0", usage)
    assert nova.llm_usd == pytest.approx(10 * 0.00006 + 1 * 0.00024)
    assert nova.total_usd == pytest.approx(0.13 + nova.llm_usd)
    unknown = estimate_cost(1, "FORMS", "local/llama", usage)
    assert unknown.llm_usd == 0 and unknown.notes
