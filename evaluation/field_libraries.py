"""Field parsers compared on real documents: the project's own against the field's libraries.

    python -m evaluation libraries DIR --truth FILE [--cache DIR]

On every document of the truth file (its OCR text, from the same cache as ``real``), each parser
is asked for the values the analyst recorded, and timed:

- dates (recorded, dated, notary): ``dates.find_dates`` vs ``dateparser.search.search_dates``;
- amounts (consideration, taxes, fees, loan): ``amounts.find_amounts`` plus a bare figure after a
  label vs ``price_parser.Price`` per line;
- amounts in words ("Ten And No/100 Dollars"): ``amounts.words_to_amount`` vs ``word2number`` vs
  ``text_to_num``;
- parties: entity kind (``names.entity_kind`` vs ``probablepeople``) and a person's last name
  (``names.parse_person`` vs ``nameparser``);
- return-to blocks: telling address lines from name lines: a ZIP/number pattern, ``usaddress`` alone, and the
  rules' ``contacts._is_address`` (the pattern, with usaddress confirming a line that starts with a number).

A value counts as found when the parser yields it from the document's text (or, for names, parses
the truth's name as expected); the table prints found / asked and milliseconds per document.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import usaddress

from evaluation.ocr_cache import DEFAULT_CACHE_DIR, ocr_document
from evaluation.real_truth import RealTruth, RealTruthFile
from textract_pipeline.extraction import build_view
from textract_pipeline.extraction.amounts import find_amounts, words_to_amount
from textract_pipeline.extraction.dates import find_dates
from textract_pipeline.extraction.names import EntityKind, entity_kind, normalize_name, parse_person
from textract_pipeline.extraction.rules.contacts import _is_address
from textract_pipeline.textract_document import load_document

_SUFFIXES = {"JR", "SR", "II", "III", "IV"}
_WORDED = re.compile(r"\b((?:[A-Za-z]+[\s-]+){1,12}?(?:and\s+(?:no|00)/100\s+)?dollars?)\b", re.I)
_LABELLED_FIGURE = re.compile(r":\s*(\d{1,3}(?:,\d{3})+(?:\.\d{2})?)")


@dataclass
class Tally:
    found: int = 0
    asked: int = 0
    seconds: float = 0.0

    def add(self, hit: bool) -> None:
        self.found += hit
        self.asked += 1


@dataclass
class Comparison:
    rows: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.rows.setdefault(name, Tally())

    def timed(self, name: str, call: Callable, *args):
        started = time.perf_counter()
        result = call(*args)
        self.tally(name).seconds += time.perf_counter() - started
        return result


def _expected_kind(name: str) -> EntityKind:
    """The analyst's reading of a truth name: a trust or a company by its words, else a person."""
    if re.search(r"\bTRUST\b", name, re.I):
        return EntityKind.TRUST
    if re.search(r"\b(LLC|INC|CORP|COMPANY|L\.?P\.?|BANK|P\.A\.)\b|\bINVESTMENTS?\b", name, re.I):
        return EntityKind.COMPANY
    return EntityKind.PERSON


def _expected_last(name: str) -> str:
    words = [w.strip(".,") for w in name.split() if w.strip(".,").upper() not in _SUFFIXES]
    return words[-1].upper()


def _dates(comparison: Comparison, truth: RealTruth, text: str) -> None:
    from dateparser.search import search_dates

    wanted = [d for d in (truth.recorded_date, truth.dated_date, truth.notary_date) if d]
    ours = {d for d, _ in comparison.timed("dates: dates.find_dates", find_dates, text)}
    theirs = comparison.timed("dates: dateparser", search_dates, text, ["en"]) or []
    theirs = {found.date() for _, found in theirs}
    for date in wanted:
        comparison.tally("dates: dates.find_dates").add(date in ours)
        comparison.tally("dates: dateparser").add(date in theirs)


def _amounts(comparison: Comparison, truth: RealTruth, lines: list[str]) -> None:
    from price_parser import Price

    wanted = [a for a in (truth.consideration, truth.transfer_tax, truth.recording_fees, truth.loan_amount) if a]

    def ours(texts: list[str]) -> set[float]:
        found = {amount for text in texts for amount, _ in find_amounts(text)}
        return found | {float(m.replace(",", "")) for text in texts for m in _LABELLED_FIGURE.findall(text)}

    def theirs(texts: list[str]) -> set[float]:
        prices = (Price.fromstring(text).amount_float for text in texts)
        return {price for price in prices if price is not None}

    mine, libs = (
        comparison.timed("amounts: amounts.py", ours, lines),
        comparison.timed("amounts: price-parser", theirs, lines),
    )
    for amount in wanted:
        comparison.tally("amounts: amounts.py").add(any(abs(a - amount) < 0.005 for a in mine))
        comparison.tally("amounts: price-parser").add(any(abs(a - amount) < 0.005 for a in libs))


def _worded(comparison: Comparison, truth: RealTruth, text: str) -> None:
    from text_to_num import text2num
    from word2number import w2n

    if truth.consideration is None:
        return
    phrases = [
        m.group(1) for m in _WORDED.finditer(text) if re.search(r"hundred|thousand|ten|one|dollar", m.group(1), re.I)
    ]
    phrases = [p for p in phrases if words_to_amount(p) or re.search(r"\b(?:ten|one|hundred|thousand)\b", p, re.I)]
    if not phrases:
        return

    def with_library(convert) -> float | None:
        for phrase in phrases:
            words = re.sub(r"(?i)\band\s+(?:no|00)/100\b|\bdollars?\b|[^A-Za-z\s-]", " ", phrase).lower().split()
            for start in range(len(words)):
                try:
                    return float(convert(" ".join(words[start:])))
                except (ValueError, IndexError):
                    continue
        return None

    results = {
        "words: amounts.words_to_amount": lambda: next((v for v in map(words_to_amount, phrases) if v), None),
        "words: word2number": lambda: with_library(w2n.word_to_num),
        "words: text2num": lambda: with_library(lambda words: text2num(words, "en")),
    }
    for name, convert in results.items():
        comparison.tally(name).add(comparison.timed(name, convert) == truth.consideration)


def _names(comparison: Comparison, truth: RealTruth) -> None:
    import probablepeople
    from nameparser import HumanName

    def library_kind(name: str) -> EntityKind:
        try:
            _, kind = probablepeople.tag(name)
        except probablepeople.RepeatedLabelError:
            return EntityKind.PERSON
        return (
            EntityKind.COMPANY
            if kind == "Corporation" and not re.search(r"trust", name, re.I)
            else (EntityKind.TRUST if re.search(r"\btrust\b", name, re.I) else EntityKind.PERSON)
        )

    for name in [*truth.grantors, *truth.grantees, *truth.trustees]:
        expected = _expected_kind(name)
        comparison.tally("entity kind: names.py").add(
            comparison.timed("entity kind: names.py", entity_kind, name) == expected
        )
        comparison.tally("entity kind: probablepeople").add(
            comparison.timed("entity kind: probablepeople", library_kind, name) == expected
        )
        if expected is EntityKind.PERSON:
            ours = comparison.timed("last name: names.parse_person", parse_person, name)[2]
            theirs = comparison.timed("last name: nameparser", lambda n: HumanName(n).last, name)
            comparison.tally("last name: names.parse_person").add(
                (ours or "").strip(".,").upper() == _expected_last(name)
            )
            comparison.tally("last name: nameparser").add((theirs or "").strip(".,").upper() == _expected_last(name))


def _usaddress_only(text: str) -> bool:
    try:
        _, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return True
    return kind in ("Street Address", "PO Box")


def _addresses(comparison: Comparison, truth: RealTruth, lines: list[str]) -> None:
    def pattern_only(text: str) -> bool:
        return bool(
            re.search(r"\b\d{5}(?:-\d{4})?\W*$", text) or re.match(r"^\W*(?:P\.?\s?O\.?\s+BOX|\d+\s+\w)", text, re.I)
        )

    name, address = normalize_name(truth.return_to_name or ""), normalize_name(truth.return_to_address or "")
    for line in lines:
        key = normalize_name(line)
        if len(key) < 4:
            continue
        is_address = bool(address) and key in address
        if not is_address and not (name and key == name):
            continue
        comparison.tally("address lines: ZIP/number pattern").add(
            comparison.timed("address lines: ZIP/number pattern", pattern_only, line) == is_address
        )
        comparison.tally("address lines: usaddress").add(
            comparison.timed("address lines: usaddress", _usaddress_only, line) == is_address
        )
        comparison.tally("address lines: contacts._is_address").add(
            comparison.timed("address lines: contacts._is_address", _is_address, line) == is_address
        )


def run(folder: Path, truth_file: Path, cache_dir: Path) -> tuple[Comparison, int]:
    comparison = Comparison()
    documents = RealTruthFile.load(truth_file).documents
    for truth in documents:
        view = build_view(load_document(ocr_document(folder / truth.file, cache_dir).response))
        lines = [line.text for line in view.lines]
        text = "\n".join(lines)
        _dates(comparison, truth, text)
        _amounts(comparison, truth, lines)
        _worded(comparison, truth, text)
        _names(comparison, truth)
        _addresses(comparison, truth, lines)
    return comparison, len(documents)


def format_comparison(comparison: Comparison, documents: int) -> str:
    lines = [f"| {'parser':<36} | found / asked | ms per document |", f"|{'-' * 38}|---------------|-----------------|"]
    for name, tally in comparison.rows.items():
        share = f"{tally.found}/{tally.asked} ({tally.found / tally.asked:.2f})" if tally.asked else "-"
        lines.append(f"| {name:<36} | {share:>13} | {1000 * tally.seconds / documents:>15.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Comparison:
    parser = argparse.ArgumentParser(prog="python -m evaluation libraries", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_DIR)
    args = parser.parse_args(argv)
    comparison, documents = run(args.folder, args.truth, args.cache)
    print(format_comparison(comparison, documents))
    return comparison
