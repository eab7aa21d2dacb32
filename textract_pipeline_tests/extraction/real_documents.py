"""The copied real deeds (fixtures/real_deeds): their OCR responses, their truth (the development set's), a seeded cache."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

from evaluation.ocr_cache import engine_version
from evaluation.real_truth import RealTruth, RealTruthFile
from textract_pipeline.extraction import DocumentView, build_view
from textract_pipeline.textract_document import load_document

REAL_DEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "real_deeds"
TRUTH = Path(__file__).resolve().parents[2] / "evaluation" / "truth" / "real_deeds.json"
ORANGE_SWD = "regrid-scraper__deed_20240437830_1762148007890.pdf"
LEE_WD = "regrid-scraper__lee_deed_2022000220622.pdf"
PINELLAS_QCD = "regrid-scraper__pinellas_deed_22450_0430.pdf"
MIAMI_DADE_QCD = "regrid-scraper__miami-dade_deed_30585_4762_1762317777098.pdf"
KING_QCD = "regrid-scraper__20250430000422.tiff"
THURSTON_STATUTORY = "conveyance-assessment-cross-reference__DeschutesHeights4414_p087-089_SWD_2021.tif"
THURSTON_IN_LIEU = "conveyance-assessment-cross-reference__DeschutesHeights4414_p077-079_DeedInLieu_2020.tif"


def response(name: str) -> dict:
    with gzip.open(REAL_DEEDS / f"{name}.textract.json.gz", "rt", encoding="utf-8") as file:
        return json.load(file)


def view(name: str) -> DocumentView:
    return build_view(load_document(response(name)))


def truth(name: str) -> RealTruth:
    return next(d for d in RealTruthFile.load(TRUTH).documents if d.file == name)


def folder_with(names: list[str], folder: Path, cache: Path) -> Path:
    """A documents folder and truth file for ``names``, with their OCR responses already in ``cache``."""
    folder.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(REAL_DEEDS / name, folder / name)
        key = f"{hashlib.sha256((REAL_DEEDS / name).read_bytes()).hexdigest()}.{engine_version()}"
        (cache / f"{key}.json").write_text(json.dumps(response(name)), encoding="utf-8")
        (cache / f"{key}.meta.json").write_text(json.dumps({"file": name, "cpu_seconds": 2.0}), encoding="utf-8")
    truth_file = folder / "truth.json"
    RealTruthFile(documents=[truth(name) for name in names]).save(truth_file)
    return truth_file
