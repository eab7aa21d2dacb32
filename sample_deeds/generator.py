"""Generate realistic synthetic recorded documents with exact ground truth.

    python -m sample_deeds.generator --count 10 --seed 7 --out /tmp/deeds [--pdf]
        [--state FL] [--type warranty_deed] [--layout florida_deed]
        [--watermark | --no-watermark] [--handwriting | --no-handwriting]

Each document is written as ``<stem>.tif`` (300 dpi Group-4, multi-page) or
``<stem>.pdf`` (text layer) with ``<stem>.truth.json`` beside it. Unspecified choices
are drawn at random: a state, an instrument type that state records, a layout for both.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

from evaluation.real_truth import InstrumentType
from sample_deeds.facts import Facts, random_facts
from sample_deeds.fonts import FAMILIES
from sample_deeds.ground_truth import GroundTruth, RenderInfo, truth_path
from sample_deeds.layouts import INSTRUMENT_TYPES, LAYOUTS, STATES, Composed, Options, candidates
from sample_deeds.page_model import Page
from sample_deeds.render import rasterize, write_pdf, write_tiff
from sample_deeds.watermark import apply_watermark, watermark_text

WATERMARK_SHARE = 0.25  # of documents drawn without an explicit watermark choice
RARE_TYPES = {  # drawn less often than the others (weight 1), as they are recorded less often
    InstrumentType.COURT_DECREE: 0.3,
    InstrumentType.DEED_IN_LIEU_OF_FORECLOSURE: 0.4,
    InstrumentType.TRUSTEES_DEED: 0.5,
    InstrumentType.PERSONAL_REPRESENTATIVES_DEED: 0.5,
}


@dataclass(frozen=True)
class GeneratedDocument:
    path: Path
    truth: GroundTruth
    pages: list[Page]  # the composed content: text_layer.textract_response(pages) gives its exact text


@dataclass(frozen=True)
class ComposedDocument:
    """A document's pages and truth before rendering (the text layer alone is enough for rule tests)."""

    pages: list[Page]
    truth: GroundTruth


def ground_truth(facts: Facts, composed: Composed, render: RenderInfo) -> GroundTruth:
    truth = GroundTruth(
        document_type=facts.document_type,
        document_number=facts.document_number,
        book=facts.recording.book,
        book_page=facts.recording.page,
        recorded_date=facts.recorded_at.date(),
        recorded_time=f"{facts.recorded_at:%H:%M}",
        state=facts.state.code,
        recording_county=facts.county,
        page_count=len(composed.pages),
        fees=facts.fees,
        grantors=facts.grantors,
        grantees=facts.grantees,
        trustees=facts.trustees,
        grantee_vesting=facts.grantee_vesting,
        apns=facts.apns,
        situs_address=facts.situs_address,
        legal_description=facts.legal.text,
        legal_description_page=composed.legal_page,
        legal_description_keys=list(facts.legal.keys),
        mail_to_name=facts.mail_to_name,
        mail_to_address=f"{facts.mail_to_street}, {facts.mail_to_city_line}",
        tax_statements_to_name=facts.tax_statements_to_name,
        consideration=facts.consideration,
        loan_amount=facts.loan_amount,
        transfer_tax_amount=facts.transfer_tax_amount,
        transfer_tax_exemption=facts.transfer_tax_exemption,
        dated_date=facts.dated,
        notary_date=facts.notary_date,
        title_company=facts.title_company,
        escrow_number=facts.escrow_number,
        order_number=facts.order_number,
        file_number=facts.file_number,
        render=render,
    )
    fields = composed.omitted & GroundTruth.model_fields.keys()
    blank = {name: GroundTruth.model_fields[name].get_default(call_default_factory=True) for name in fields}
    if "vesting" in composed.omitted:  # a form that names the parties without how they take title
        for side in ("grantors", "grantees"):
            blank[side] = [p.model_copy(update={"vesting": None, "percentage": None}) for p in getattr(truth, side)]
    return truth.model_copy(update=blank)


def _choose(rng: random.Random, state: str | None, document_type: InstrumentType | None, layout: str | None):
    """(state, instrument type, layout name): the given ones, the rest drawn so that all three agree."""
    if layout is not None:
        chosen = LAYOUTS[layout]
        state, document_type = state or rng.choice(chosen.states), document_type or rng.choice(chosen.types)
        if state not in chosen.states or document_type not in chosen.types:
            raise ValueError(f"layout {layout} renders {chosen.types} for {chosen.states}")
        return state, document_type, layout
    if state is None:
        state = rng.choice([s for s in STATES if candidates(s, document_type)])
    if document_type is None:
        types = sorted({t for c in candidates(state, None) for t in c.types}, key=lambda t: t.value)
        document_type = rng.choices(types, weights=[RARE_TYPES.get(t, 1.0) for t in types])[0]
    options = candidates(state, document_type)
    if not options:
        raise ValueError(f"no layout renders a {document_type.value} for {state}")
    return state, document_type, rng.choice(options).name


def compose_document(
    rng: random.Random,
    *,
    state: str | None = None,
    document_type: InstrumentType | str | None = None,
    layout: str | None = None,
    family: str | None = None,
    pdf: bool = False,
    scan_defects: bool = True,
    handwritten_dates: bool | None = None,
    handwritten_fill_ins: bool | None = None,
    watermark: bool | str | None = None,
) -> ComposedDocument:
    """Draw every unspecified choice from ``rng`` and lay the pages out.

    ``watermark``: None draws one for a quarter of documents, True the state's usual text,
    a string that text, False none.
    """
    wanted_type = None if document_type is None else InstrumentType(document_type)
    state, chosen_type, layout = _choose(rng, state, wanted_type, layout)
    family = family or rng.choice(sorted(FAMILIES))
    if pdf and not FAMILIES[family].pdf_capable:
        family = "caladea"
    options = Options(
        hand_dates=rng.random() < 0.3 if handwritten_dates is None else handwritten_dates,
        hand_fill=rng.random() < 0.2 if handwritten_fill_ins is None else handwritten_fill_ins,
    )
    skew = round(rng.uniform(-1.2, 1.2), 2) if scan_defects and not pdf and rng.random() < 0.5 else 0.0
    speckle = scan_defects and not pdf and rng.random() < 0.4
    if watermark is None:
        watermark = rng.random() < WATERMARK_SHARE
    mark = watermark if isinstance(watermark, str) else (watermark_text(rng, state) if watermark else None)
    facts = random_facts(rng, state, chosen_type)
    composed = LAYOUTS[layout].compose(facts, family, rng, options)
    if mark:
        apply_watermark(composed.pages, mark, rng)
    render = RenderInfo(
        layout=layout,
        font=family,
        handwritten_dates=options.hand_dates,
        handwritten_fill_ins=options.hand_fill,
        skew_degrees=skew,
        speckle=speckle,
        watermark=mark,
    )
    return ComposedDocument(composed.pages, ground_truth(facts, composed, render))


def generate_document(
    rng: random.Random, out_dir: Path, stem: str, *, pdf: bool = False, **choices
) -> GeneratedDocument:
    """Compose, render and save one document with ``<stem>.truth.json`` beside it."""
    composed = compose_document(rng, pdf=pdf, **choices)
    render = composed.truth.render
    out_dir.mkdir(parents=True, exist_ok=True)
    if pdf:
        path = out_dir / f"{stem}.pdf"
        write_pdf(composed.pages, path)
    else:
        path = out_dir / f"{stem}.tif"
        images = [
            rasterize(page, skew_degrees=render.skew_degrees, speckle=render.speckle, rng=rng)
            for page in composed.pages
        ]
        write_tiff(images, path)
    composed.truth.save(truth_path(path))
    return GeneratedDocument(path, composed.truth, composed.pages)


def generate_set(count: int, seed: int, out_dir: Path, *, pdf: bool = False, **choices) -> list[GeneratedDocument]:
    rng = random.Random(seed)
    return [generate_document(rng, out_dir, f"deed_{seed}_{index:03d}", pdf=pdf, **choices) for index in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pdf", action="store_true", help="PDF with a text layer instead of a scanned TIFF")
    parser.add_argument("--state", choices=STATES)
    parser.add_argument("--type", dest="document_type", choices=[t.value for t in INSTRUMENT_TYPES])
    parser.add_argument("--layout", choices=sorted(LAYOUTS))
    parser.add_argument("--watermark", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--handwriting", action=argparse.BooleanOptionalAction, default=None,
                        help="hand-written dates and fill-ins on every document (or on none)")  # fmt: skip
    args = parser.parse_args(argv)
    choices = {
        "state": args.state,
        "document_type": args.document_type,
        "layout": args.layout,
        "watermark": args.watermark,
        "handwritten_dates": args.handwriting,
        "handwritten_fill_ins": args.handwriting,
    }
    started = time.process_time()
    documents = generate_set(args.count, args.seed, args.out, pdf=args.pdf, **choices)
    seconds = time.process_time() - started
    for document in documents:
        truth = document.truth
        print(
            f"{document.path}  {truth.state}  {truth.document_type.value}  {truth.render.layout}  {truth.page_count} pages"
        )
    pages = sum(document.truth.page_count for document in documents)
    print(f"{len(documents)} documents, {pages} pages, {seconds / pages:.3f} s CPU per page (compose, render, write)")


if __name__ == "__main__":
    main()
