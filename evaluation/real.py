"""Field-level accuracy on real recorded documents against an analyst's truth file.

    python -m evaluation real DIR --truth FILE [--extractor deterministic|bedrock|openai] [--cache DIR]

Runs the pipeline's local OCR engine (responses cached by content hash and engine version, so a
re-run pays only for extraction) and the chosen extractor on every document the truth file
lists, then prints per document and per field whether each labelled value was found, wrong or
missing, the overall shares, the same shares for printed values only (the truth marks the values
written by hand), and extraction CPU time as a share of OCR CPU time. The LLM extractors are built
from the pipeline's own settings (``TEXTRACT_PIPELINE_BEDROCK_MODEL_ID``,
``TEXTRACT_PIPELINE_OPENAI_BASE_URL`` / ``_MODEL`` / ``_API_KEY``), so comparing them with the rules
is one command.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.ocr_cache import DEFAULT_CACHE_DIR, ocr_document
from evaluation.real_scoring import FIELD_ORDER, Outcome, Scored, score_record
from evaluation.real_truth import RealTruthFile
from textract_pipeline.extraction import DeterministicExtractor, Extractor, build_view
from textract_pipeline.textract_document import load_document

_MARK = {Outcome.FOUND: "✓", Outcome.WRONG: "✗", Outcome.MISSING: "·"}


@dataclass
class DocumentRun:
    file: str
    document_type: str
    scored: list[Scored]
    extra: dict[str, int]
    ocr_cpu_seconds: float
    extraction_cpu_seconds: float


@dataclass
class Report:
    extractor: str
    documents: list[DocumentRun] = field(default_factory=list)

    def outcomes(self, *, printed_only: bool = False, readable_only: bool = False) -> Counter[Outcome]:
        return Counter(
            s.outcome
            for run in self.documents
            for s in run.scored
            if not (printed_only and s.handwritten) and not (readable_only and not s.readable)
        )

    def share(self, outcome: Outcome, *, printed_only: bool = False, readable_only: bool = False) -> float:
        counts = self.outcomes(printed_only=printed_only, readable_only=readable_only)
        total = sum(counts.values())
        return counts[outcome] / total if total else 0.0

    @property
    def document_types_missed(self) -> list[str]:
        return [
            run.file
            for run in self.documents
            for s in run.scored
            if s.field == "document_type" and s.outcome is not Outcome.FOUND
        ]


def build_extractor(name: str) -> Extractor:
    """The extractor the pipeline would build for ``name`` from the same environment variables."""
    if name == "deterministic":
        return DeterministicExtractor()
    from textract_pipeline.settings import Settings

    settings = Settings.from_environ()
    if name == "bedrock":
        from textract_pipeline.extraction import BedrockExtractor

        return BedrockExtractor(settings.bedrock_model_id, region_name=settings.bedrock_region or settings.aws_region)
    if name == "openai":
        from textract_pipeline.extraction import OpenAICompatibleExtractor

        if not settings.openai_base_url or not settings.openai_model:
            raise SystemExit(
                "set TEXTRACT_PIPELINE_OPENAI_BASE_URL and TEXTRACT_PIPELINE_OPENAI_MODEL for --extractor openai"
            )
        return OpenAICompatibleExtractor(
            settings.openai_base_url, settings.openai_model, api_key=os.environ.get("TEXTRACT_PIPELINE_OPENAI_API_KEY")
        )
    raise SystemExit(f"unknown extractor {name!r}: deterministic, bedrock or openai")


def run(folder: Path, truth_file: Path, extractor: Extractor, cache_dir: Path = DEFAULT_CACHE_DIR) -> Report:
    truth = RealTruthFile.load(truth_file)
    report = Report(extractor=extractor.name)
    for document in truth.documents:
        path = folder / document.file
        if not path.is_file():
            raise SystemExit(f"{path} is listed in {truth_file} but is not in {folder}")
        ocr = ocr_document(path, cache_dir)
        view = build_view(load_document(ocr.response))
        started = time.process_time()
        result = extractor.extract_v1(view)
        seconds = time.process_time() - started
        scored, extra = score_record(document, result.record, "\n".join(line.text for line in view.lines))
        report.documents.append(
            DocumentRun(document.file, document.document_type.value, scored, extra, ocr.cpu_seconds, seconds)
        )
    return report


def _short(name: str) -> str:
    stem = Path(name).stem.split("__")[-1]
    return stem[:38]


def format_report(report: Report) -> str:
    lines = [f"extractor: {report.extractor}, {len(report.documents)} documents", ""]
    labels = {run.file: f"D{i}" for i, run in enumerate(report.documents, start=1)}
    lines.append("Documents:")
    for run in report.documents:
        counts = Counter(s.outcome for s in run.scored)
        total = sum(counts.values())
        ratio = run.extraction_cpu_seconds / run.ocr_cpu_seconds if run.ocr_cpu_seconds else 0.0
        lines.append(
            f"  {labels[run.file]:>3} {_short(run.file):<38} {run.document_type:<30} found {counts[Outcome.FOUND]:>2}/{total:<2}"
            f" wrong {counts[Outcome.WRONG]:>2} missing {counts[Outcome.MISSING]:>2}"
            f"  OCR {run.ocr_cpu_seconds:5.1f} s, extraction {run.extraction_cpu_seconds * 1000:6.1f} ms ({ratio:.1%})"
        )
    lines += ["", "Per field (✓ found, ✗ wrong, · missing, blank: not labelled; h: written by hand):", ""]
    header = f"  {'field':<24} {'found':>5} {'wrong':>5} {'miss':>5}  " + " ".join(
        f"{labels[run.file]:>4}" for run in report.documents
    )
    lines.append(header)
    by_field: dict[str, dict[str, list[Scored]]] = defaultdict(lambda: defaultdict(list))
    for run in report.documents:
        for s in run.scored:
            by_field[s.field][run.file].append(s)
    for name in FIELD_ORDER:
        if name not in by_field:
            continue
        cells, counts = [], Counter()
        for run in report.documents:
            values = by_field[name].get(run.file, [])
            counts.update(s.outcome for s in values)
            mark = "".join(_MARK[s.outcome] for s in values)[:3]
            hand = "h" if any(s.handwritten for s in values) else ""
            cells.append(f"{mark + hand:>4}")
        lines.append(
            f"  {name:<24} {counts[Outcome.FOUND]:>5} {counts[Outcome.WRONG]:>5} {counts[Outcome.MISSING]:>5}  "
            + " ".join(cells)
        )
    lines += ["", "Wrong and missing values:"]
    for run in report.documents:
        for s in run.scored:
            if s.outcome is not Outcome.FOUND:
                hand = (" (handwritten)" if s.handwritten else "") + ("" if s.readable else " (not in the OCR text)")
                lines.append(
                    f"  {labels[run.file]:>3} {s.field:<24} {s.outcome.value:<7} truth {s.truth!r}{hand}; got {s.predicted!r}"
                )
    extras = Counter()
    for run in report.documents:
        extras.update(run.extra)
    all_counts, printed = report.outcomes(), report.outcomes(printed_only=True)
    readable = report.outcomes(readable_only=True)
    ocr = sum(run.ocr_cpu_seconds for run in report.documents)
    extraction = sum(run.extraction_cpu_seconds for run in report.documents)
    worst = max(
        (r.extraction_cpu_seconds / r.ocr_cpu_seconds for r in report.documents if r.ocr_cpu_seconds), default=0
    )
    lines += [
        "",
        f"values labelled {sum(all_counts.values())}: found {all_counts[Outcome.FOUND]} "
        f"({report.share(Outcome.FOUND):.3f}), wrong {all_counts[Outcome.WRONG]} ({report.share(Outcome.WRONG):.3f}), "
        f"missing {all_counts[Outcome.MISSING]} ({report.share(Outcome.MISSING):.3f})",
        f"printed values only {sum(printed.values())}: found {report.share(Outcome.FOUND, printed_only=True):.3f}, "
        f"wrong {report.share(Outcome.WRONG, printed_only=True):.3f}",
        f"values the OCR text holds {sum(readable.values())}: found {report.share(Outcome.FOUND, readable_only=True):.3f},"
        f" wrong {report.share(Outcome.WRONG, readable_only=True):.3f}",
        f"extra list entries (not in the truth): {dict(extras) or 'none'}",
        f"document types missed: {len(report.document_types_missed)} {report.document_types_missed or ''}".rstrip(),
        f"extraction CPU {extraction:.2f} s vs OCR CPU {ocr:.1f} s: {extraction / ocr if ocr else 0:.1%} "
        f"(worst document {worst:.1%})",
    ]
    return "\n".join(lines)


def report_json(report: Report) -> dict:
    return {
        "extractor": report.extractor,
        "share_found": report.share(Outcome.FOUND),
        "share_wrong": report.share(Outcome.WRONG),
        "share_found_printed": report.share(Outcome.FOUND, printed_only=True),
        "share_found_ocr_read": report.share(Outcome.FOUND, readable_only=True),
        "documents": [
            {
                "file": run.file,
                "ocr_cpu_seconds": run.ocr_cpu_seconds,
                "extraction_cpu_seconds": run.extraction_cpu_seconds,
                "values": [
                    {
                        "field": s.field,
                        "outcome": s.outcome.value,
                        "truth": s.truth,
                        "predicted": s.predicted,
                        "handwritten": s.handwritten,
                        "in_ocr_text": s.readable,
                    }
                    for s in run.scored
                ],
            }
            for run in report.documents
        ],
    }


def main(argv: list[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(prog="python -m evaluation real", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding the documents the truth file lists")
    parser.add_argument("--truth", type=Path, required=True, help="RealTruthFile JSON (evaluation/real_truth.py)")
    parser.add_argument("--extractor", default="deterministic", choices=("deterministic", "bedrock", "openai"))
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_DIR, help="OCR response cache folder")
    parser.add_argument("--json", type=Path, help="also write every scored value here")
    args = parser.parse_args(argv)
    report = run(args.folder, args.truth, build_extractor(args.extractor), args.cache)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report_json(report), indent=1, default=str), encoding="utf-8")
    return report
