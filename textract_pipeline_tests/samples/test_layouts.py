"""Every layout composes documents whose truth validates and whose truth values are really printed."""

from __future__ import annotations

import random

import pytest

from sample_deeds.generator import compose_document
from sample_deeds.ground_truth import GroundTruth
from sample_deeds.layouts import LAYOUTS
from sample_deeds.page_model import Text
from textract_pipeline_tests.samples.printed import missing_values

SEEDS_PER_LAYOUT = 12
LONG_LAYOUTS = {"deed_of_trust", "mortgage"}  # 10-20 pages each: fewer seeds keep the test quick


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_truth_values_are_printed_on_the_pages(layout):
    for seed in range(4 if layout in LONG_LAYOUTS else SEEDS_PER_LAYOUT):
        composed = compose_document(random.Random(f"{layout}-{seed}"), layout=layout)
        truth = GroundTruth.model_validate_json(composed.truth.model_dump_json())
        assert truth == composed.truth
        assert truth.render.layout == layout and truth.state in LAYOUTS[layout].states
        assert truth.document_type in LAYOUTS[layout].types
        assert missing_values(truth, composed.pages) == [], f"seed {seed}: {truth.document_type.value}"


def _arrangement(page) -> tuple:
    """Where page 1 puts its first lines and in which face, values aside."""
    texts = [item for item in page.items if isinstance(item, Text)][:14]
    return tuple((item.role, round(item.x, 1), round(item.y, 1)) for item in texts)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_varies_between_documents(layout):
    """No single template: page 1's arrangement differs across documents of one layout."""
    arrangements = {
        _arrangement(compose_document(random.Random(f"vary-{layout}-{seed}"), layout=layout).pages[0])
        for seed in range(8)
    }
    assert len(arrangements) >= 5


def test_truth_converts_to_the_real_document_truth_model():
    composed = compose_document(random.Random(3), state="FL")
    real = composed.truth.as_real_truth("deed.tif")
    assert real.state == "FL" and real.county == composed.truth.recording_county
    assert real.recording_number == composed.truth.document_number
    assert real.grantors == [party.full_name for party in composed.truth.grantors]


def test_choices_that_do_not_fit_together_are_refused():
    with pytest.raises(ValueError):
        compose_document(random.Random(1), state="FL", layout="texas_deed")
    with pytest.raises(ValueError):
        compose_document(random.Random(1), state="FL", document_type="grant_deed")
    composed = compose_document(random.Random(1), state="CO", document_type="court_decree")
    assert composed.truth.render.layout == "court_decree" and composed.truth.file_number
