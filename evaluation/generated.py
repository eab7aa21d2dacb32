"""Field-level accuracy of the deterministic extractor on freshly generated documents.

    python -m evaluation --count 50 --seed 7 [--out DIR] [--text-layer]

Generates ``count`` documents with ground truth, runs the local OCR engine (or, with
``--text-layer``, the generator's exact text, to separate rule errors from OCR errors)
and the deterministic extractor, then prints precision / recall / F1 per field and
overall (micro-averaged). Names are compared after normalization, amounts numerically,
dates as dates, APNs and document numbers by their digits and letters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.real_scoring import alnum_key, money_key, text_key, value_of
from sample_deeds.generator import generate_document
from sample_deeds.ground_truth import GroundTruth
from sample_deeds.text_layer import textract_response
from textract_pipeline.extraction import DeterministicExtractor, V1Record
from textract_pipeline.textract_document import load_document

HEADLINE_FIELDS = ("document_type", "document_number", "recorded_date", "apns", "grantors", "grantees")


def _date(value) -> dt.date | None:
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    truth: Callable[[GroundTruth], object]
    predicted: Callable[[V1Record], object]
    many: bool = False  # compared as sets (parties, APNs)
    similar: bool = False  # long text: equal when 95% similar after normalization


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("document_type", lambda t: t.document_type.value, lambda r: r.document_type.value.value),
    FieldSpec(
        "document_number",
        lambda t: alnum_key(t.document_number),
        lambda r: alnum_key(value_of(r.recording.document_number)),
    ),
    FieldSpec("book", lambda t: alnum_key(t.book), lambda r: alnum_key(value_of(r.recording.book))),
    FieldSpec("book_page", lambda t: alnum_key(t.book_page), lambda r: alnum_key(value_of(r.recording.book_page))),
    FieldSpec("recorded_date", lambda t: t.recorded_date, lambda r: _date(value_of(r.recording.recorded_date))),
    FieldSpec("recorded_time", lambda t: t.recorded_time, lambda r: value_of(r.recording.recorded_time)),
    FieldSpec("state", lambda t: text_key(t.state), lambda r: text_key(value_of(r.recording.recording_state))),
    FieldSpec(
        "recording_county",
        lambda t: text_key(t.recording_county),
        lambda r: text_key(value_of(r.recording.recording_county)),
    ),
    FieldSpec("page_count", lambda t: t.page_count, lambda r: value_of(r.recording.page_count)),
    FieldSpec("fees", lambda t: money_key(t.fees), lambda r: money_key(value_of(r.recording.fees))),
    FieldSpec(
        "grantors",
        lambda t: {text_key(p.full_name) for p in t.grantors},
        lambda r: {text_key(p.full_name) for p in r.grantors},
        many=True,
    ),
    FieldSpec(
        "grantees",
        lambda t: {text_key(p.full_name) for p in t.grantees},
        lambda r: {text_key(p.full_name) for p in r.grantees},
        many=True,
    ),
    FieldSpec(
        "trustees",
        lambda t: {text_key(p.full_name) for p in t.trustees},
        lambda r: {text_key(p.full_name) for p in r.trustees},
        many=True,
    ),
    FieldSpec(
        "vesting",
        lambda t: {(text_key(p.full_name), text_key(p.vesting)) for p in t.grantors + t.grantees if p.vesting},
        lambda r: {(text_key(p.full_name), text_key(p.vesting)) for p in r.grantors + r.grantees if p.vesting},
        many=True,
    ),
    FieldSpec(
        "apns",
        lambda t: {alnum_key(a) for a in t.apns},
        lambda r: {alnum_key(a.value) for a in r.property.apns},
        many=True,
    ),
    FieldSpec(
        "situs_address", lambda t: text_key(t.situs_address), lambda r: text_key(value_of(r.property.situs_address))
    ),
    FieldSpec(
        "legal_description",
        lambda t: text_key(t.legal_description),
        lambda r: text_key(value_of(r.property.legal_description)),
        similar=True,
    ),
    FieldSpec("mail_to_name", lambda t: text_key(t.mail_to_name), lambda r: text_key(value_of(r.mail_to.name))),
    FieldSpec(
        "mail_to_address", lambda t: text_key(t.mail_to_address), lambda r: text_key(value_of(r.mail_to.address))
    ),
    FieldSpec(
        "tax_statements_to_name",
        lambda t: text_key(t.tax_statements_to_name),
        lambda r: text_key(value_of(r.tax_statements_to.name)),
    ),
    FieldSpec("consideration", lambda t: money_key(t.consideration), lambda r: money_key(value_of(r.consideration))),
    FieldSpec("loan_amount", lambda t: money_key(t.loan_amount), lambda r: money_key(value_of(r.loan_amount))),
    FieldSpec(
        "transfer_tax_amount",
        lambda t: money_key(t.transfer_tax_amount),
        lambda r: money_key(value_of(r.transfer_tax.amount)),
    ),
    FieldSpec(
        "transfer_tax_exemption",
        lambda t: alnum_key(t.transfer_tax_exemption),
        lambda r: alnum_key(value_of(r.transfer_tax.exemption)),
    ),
    FieldSpec("dated_date", lambda t: t.dated_date, lambda r: _date(value_of(r.dated_date))),
    FieldSpec("notary_date", lambda t: t.notary_date, lambda r: _date(value_of(r.notary_date))),
    FieldSpec("title_company", lambda t: text_key(t.title_company), lambda r: text_key(value_of(r.title_company))),
    FieldSpec("escrow_number", lambda t: alnum_key(t.escrow_number), lambda r: alnum_key(value_of(r.escrow_number))),
    FieldSpec("order_number", lambda t: alnum_key(t.order_number), lambda r: alnum_key(value_of(r.order_number))),
    FieldSpec("file_number", lambda t: alnum_key(t.file_number), lambda r: alnum_key(value_of(r.file_number))),
)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Mismatch:
    document: str
    field: str
    truth: object
    predicted: object


@dataclass
class Scores:
    per_field: dict[str, Counts] = field(default_factory=lambda: {spec.name: Counts() for spec in FIELDS})
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.per_field.values():
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total


def _same(spec: FieldSpec, truth, predicted) -> bool:
    if spec.similar and isinstance(truth, str) and isinstance(predicted, str):
        return difflib.SequenceMatcher(None, truth, predicted, autojunk=False).ratio() >= 0.95
    return truth == predicted


def score_document(scores: Scores, name: str, truth: GroundTruth, record: V1Record) -> None:
    for spec in FIELDS:
        expected, got = spec.truth(truth), spec.predicted(record)
        counts = scores.per_field[spec.name]
        if spec.many:
            expected, got = {e for e in expected if e}, {g for g in got if g}
            hits = len(expected & got)
            counts.tp += hits
            counts.fp += len(got) - hits
            counts.fn += len(expected) - hits
        else:
            if expected is not None and got is not None and _same(spec, expected, got):
                counts.tp += 1
                continue
            counts.fp += got is not None
            counts.fn += expected is not None
        if expected != got and (expected or got):
            scores.mismatches.append(Mismatch(name, spec.name, expected, got))


def format_table(scores: Scores, documents: int, pages: int, seconds: float, source: str) -> str:
    lines = [
        f"{documents} documents, {pages} pages, text from {source}, {seconds:.0f} s",
        "",
        f"| {'field':<24} | {'precision':>9} | {'recall':>6} | {'F1':>5} | {'support':>7} |",
        f"|{'-' * 26}|{'-' * 11}|{'-' * 8}|{'-' * 7}|{'-' * 9}|",
    ]
    for name, counts in scores.per_field.items():
        lines.append(
            f"| {name:<24} | {counts.precision:>9.3f} | {counts.recall:>6.3f} | {counts.f1:>5.3f} | "
            f"{counts.tp + counts.fn:>7} |"
        )
    overall = scores.overall
    lines.append(
        f"| {'**overall (micro)**':<24} | {overall.precision:>9.3f} | {overall.recall:>6.3f} | "
        f"{overall.f1:>5.3f} | {overall.tp + overall.fn:>7} |"
    )
    return "\n".join(lines)


def conditions(truth: GroundTruth) -> list[str]:
    """The scan conditions a document was drawn with, for slicing the scores ("clean" when none)."""
    render = truth.render
    found = [
        name
        for name, present in (
            ("watermark", render.watermark),
            ("handwritten fill-ins", render.handwritten_fill_ins),
            ("handwritten dates", render.handwritten_dates),
        )
        if present
    ]
    return found or ["clean"]


def format_slices(slices: dict[str, tuple[Scores, int]]) -> str:
    return "\n".join(
        f"  {name:<26} F1 {scores.overall.f1:.3f}  ({documents} documents)"
        for name, (scores, documents) in slices.items()
    )


def run(count: int, seed: int, out_dir: Path, *, text_layer: bool = False) -> tuple[Scores, str]:
    extractor = DeterministicExtractor()
    scores = Scores()
    slices: dict[str, tuple[Scores, int]] = {}
    rng = random.Random(seed)
    started = time.monotonic()
    pages = 0
    if not text_layer:
        from textract_pipeline.ocr import analyze_document
    for index in range(count):
        generated = generate_document(rng, out_dir, f"eval_{seed}_{index:03d}")
        if text_layer:
            response = textract_response(generated.pages)
        else:
            response = analyze_document(generated.path.read_bytes())
            (out_dir / f"{generated.path.stem}.textract.json").write_text(json.dumps(response), encoding="utf-8")
        result = extractor.extract_v1(load_document(response))
        (out_dir / f"{generated.path.stem}.v1.json").write_text(result.model_dump_json(indent=1), encoding="utf-8")
        score_document(scores, generated.path.stem, generated.truth, result.record)
        for name in [*conditions(generated.truth), f"layout {generated.truth.render.layout}"]:
            part, documents = slices.get(name, (Scores(), 0))
            score_document(part, generated.path.stem, generated.truth, result.record)
            slices[name] = (part, documents + 1)
        pages += generated.truth.page_count
    seconds = time.monotonic() - started
    table = format_table(scores, count, pages, seconds, "the generator's text layer" if text_layer else "local OCR")
    table += "\n\nOverall F1 by scan condition and by layout (a document may have several conditions):\n"
    table += format_slices(dict(sorted(slices.items())))
    (out_dir / "mismatches.json").write_text(
        json.dumps([m.__dict__ for m in scores.mismatches], indent=1, default=str), encoding="utf-8"
    )
    return scores, table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="keep documents, OCR responses, records and mismatches here")
    parser.add_argument("--text-layer", action="store_true", help="skip OCR: score the rules on exact text")
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        scores, table = run(args.count, args.seed, args.out, text_layer=args.text_layer)
    else:
        with tempfile.TemporaryDirectory(prefix="textract-eval-") as tmp:
            scores, table = run(args.count, args.seed, Path(tmp), text_layer=args.text_layer)
    print(table)
    short = [name for name in HEADLINE_FIELDS if scores.per_field[name].f1 < 0.95]
    print(
        f"\noverall F1 {scores.overall.f1:.3f} (target 0.90); headline fields below 0.95: {', '.join(short) or 'none'}"
    )


if __name__ == "__main__":
    main()
