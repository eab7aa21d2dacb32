"""The shipped truth files validate, name each document once and say where each came from."""

from pathlib import Path

import pytest

from evaluation.real_truth import RealTruthFile

TRUTH_FOLDER = Path(__file__).resolve().parents[2] / "evaluation" / "truth"


@pytest.mark.parametrize("name", ["real_deeds.json", "held_out_deeds.json"])
def test_a_truth_file_names_each_sourced_document_once(name):
    documents = RealTruthFile.load(TRUTH_FOLDER / name).documents
    files = [document.file for document in documents]
    assert len(files) == len(set(files)) >= 14
    assert all(document.source is not None and len(document.source.commit) == 40 for document in documents)


def test_the_held_out_set_shares_no_document_with_the_development_set():
    def sources(name):
        return {(d.source.repository, d.source.path) for d in RealTruthFile.load(TRUTH_FOLDER / name).documents}

    assert not sources("real_deeds.json") & sources("held_out_deeds.json")
