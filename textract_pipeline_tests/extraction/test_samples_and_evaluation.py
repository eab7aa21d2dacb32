import random
from functools import partial

import pypdfium2 as pdfium
from PIL import Image

from evaluation import generated
from evaluation.generated import Scores, format_table, run, score_document
from sample_deeds import sample_paths
from sample_deeds.generator import compose_document, generate_document
from sample_deeds.ground_truth import GroundTruth, truth_path


def test_shipped_samples():
    paths = sample_paths()
    assert [p.name for p in paths] == ["grant_deed_sample.tif", "quitclaim_deed_sample.pdf"]
    for path in paths:
        assert path.stat().st_size < 300_000
        truth = GroundTruth.load(truth_path(path))
        assert truth.grantors and truth.document_number
    tiff = Image.open(paths[0])
    assert tiff.n_frames == 2 and tiff.mode == "1"
    assert tiff.info["compression"] == "group4" and tiff.info["dpi"] == (300, 300)
    pdf = pdfium.PdfDocument(str(paths[1]))
    text = pdf[0].get_textpage().get_text_range()
    assert GroundTruth.load(truth_path(paths[1])).document_number in text.replace(" ", "")


def test_generator_is_reproducible_and_varied():
    first = compose_document(random.Random(9)).truth
    assert compose_document(random.Random(9)).truth == first
    kinds = {compose_document(random.Random(seed)).truth.document_type for seed in range(30)}
    assert len(kinds) >= 4


def test_scoring_counts_hits_misses_and_wrong_values(tmp_path, monkeypatch):
    """Scored on California deeds without watermark, which the rules read in full."""
    california = partial(generate_document, state="CA", layout="exhibit", watermark=False)
    monkeypatch.setattr(generated, "generate_document", california)
    scores, table = run(2, seed=5, out_dir=tmp_path, text_layer=True)
    assert scores.per_field["document_number"].tp == 2
    assert "| document_type" in table and "overall" in table
    truth = GroundTruth.load(tmp_path / "eval_5_000.truth.json")
    from textract_pipeline.extraction import V1Result

    record = V1Result.model_validate_json((tmp_path / "eval_5_000.v1.json").read_text()).record
    record.recording.document_number.value = "1"
    record.grantors = record.grantors[:-1] if len(record.grantors) > 1 else []
    fresh = Scores()
    score_document(fresh, "x", truth, record)
    assert fresh.per_field["document_number"].fp == 1 and fresh.per_field["document_number"].fn == 1
    assert fresh.per_field["grantors"].fn >= 1 and fresh.per_field["grantors"].fp == 0
    assert "x" in {m.document for m in fresh.mismatches}
    assert format_table(fresh, 1, truth.page_count, 1.0, "test").count("\n") > 20
