import pytest

from textract_pipeline.extraction import CostEstimate, TokenUsage, estimate_cost
from textract_pipeline.extraction.llm import DEFAULT_BEDROCK_MODEL
from textract_pipeline.extraction.pricing import textract_page_price


def test_tables_and_forms_is_the_2025_price():
    estimate = estimate_cost(4, "TABLES+FORMS", None, TokenUsage())
    assert estimate.textract_per_page_usd == 0.065
    assert estimate.paid_textract_usd == estimate.aws_textract_usd == pytest.approx(0.26)
    assert estimate.paid_usd == estimate.aws_usd == pytest.approx(0.26) and estimate.paid_llm_usd == 0


def test_feature_order_and_layout_add_on():
    assert textract_page_price("forms, tables") == textract_page_price("TABLES+FORMS")
    assert float(textract_page_price("TABLES+FORMS+LAYOUT")) == pytest.approx(0.069)
    assert float(textract_page_price("LAYOUT")) == pytest.approx(0.004)
    with pytest.raises(ValueError):
        textract_page_price("TABLES+MAGIC")


def test_llm_tokens_priced_per_model_and_inference_profile():
    usage = TokenUsage(input_tokens=10_000, output_tokens=1_000)
    nova = estimate_cost(2, "TABLES+FORMS", "us.amazon.nova-lite-v1:0", usage)
    assert nova.paid_llm_usd == nova.aws_llm_usd == pytest.approx(10 * 0.00006 + 1 * 0.00024)
    assert nova.paid_usd == nova.total_usd == pytest.approx(0.13 + nova.paid_llm_usd)
    unknown = estimate_cost(1, "FORMS", "local/llama", usage)
    assert unknown.paid_llm_usd == 0 and unknown.notes


def test_a_fully_local_run_paid_nothing_and_shows_what_aws_would_cost():
    local = estimate_cost(3, "TABLES+FORMS+LAYOUT", None, TokenUsage(), textract_billed=False)
    assert (local.paid_textract_usd, local.paid_llm_usd, local.paid_usd, local.total_usd) == (0, 0, 0, 0)
    assert local.aws_textract_usd == local.aws_usd == pytest.approx(3 * 0.069)
    assert local.aws_model_id is None and any("Textract alone" in note for note in local.notes)


def test_tokens_of_a_local_model_are_priced_at_the_default_bedrock_model_on_aws():
    usage = TokenUsage(input_tokens=20_000, output_tokens=2_000)
    local_model = estimate_cost(2, "TABLES+FORMS", "qwen2.5-7b-instruct-q4", usage, textract_billed=False)
    bedrock = estimate_cost(2, "TABLES+FORMS", DEFAULT_BEDROCK_MODEL, usage)
    assert local_model.paid_usd == 0
    assert local_model.aws_model_id == DEFAULT_BEDROCK_MODEL
    assert (
        local_model.aws_usd == bedrock.aws_usd == bedrock.paid_usd == pytest.approx(0.13 + 20 * 0.00006 + 2 * 0.00024)
    )


def test_sums_are_exact():
    assert 3 * 0.069 != 0.207  # what float arithmetic would report
    assert estimate_cost(3, "TABLES+FORMS+LAYOUT", None, TokenUsage()).aws_usd == 0.207
    with_tokens = estimate_cost(3, "TABLES", "amazon.nova-micro-v1:0", TokenUsage(input_tokens=1, output_tokens=1))
    assert with_tokens.aws_usd == 0.04500018  # 0.045 + 0.000000175, rounded once at the end


def test_an_estimate_stored_with_one_total_still_reads():
    stored = {
        "pages": 2,
        "feature_set": "TABLES+FORMS",
        "textract_per_page_usd": 0.065,
        "textract_usd": 0.13,
        "model_id": "amazon.nova-lite-v1:0",
        "llm_usd": 0.001,
        "total_usd": 0.131,
    }
    estimate = CostEstimate.model_validate(stored)
    assert (estimate.paid_usd, estimate.aws_usd, estimate.paid_textract_usd, estimate.aws_llm_usd) == (
        0.131,
        0.131,
        0.13,
        0.001,
    )
