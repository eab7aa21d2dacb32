"""Generate realistic synthetic recorded documents with exact ground truth.

    python -m sample_deeds.generator --count 10 --seed 7 --out /tmp/deeds [--pdf]

Each document is written as ``<stem>.tif`` (300 dpi Group-4, multi-page) or
``<stem>.pdf`` (text layer) with ``<stem>.truth.json`` beside it.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from sample_deeds.facts import Facts, random_facts
from sample_deeds.fonts import FAMILIES
from sample_deeds.ground_truth import GroundTruth, RenderInfo, truth_path
from sample_deeds.layouts import LAYOUTS, compose, page_count
from sample_deeds.page_model import Page
from sample_deeds.render import rasterize, write_pdf, write_tiff
from textract_pipeline.extraction.schema_v1 import DocumentType

GENERATED_TYPES = (
    DocumentType.GRANT_DEED,
    DocumentType.QUITCLAIM_DEED,
    DocumentType.TRUST_TRANSFER_DEED,
    DocumentType.INTERSPOUSAL_TRANSFER_DEED,
    DocumentType.DEED_OF_TRUST,
)


@dataclass(frozen=True)
class GeneratedDocument:
    path: Path
    truth: GroundTruth
    pages: list[Page]  # the composed content: text_layer.textract_response(pages) gives its exact text


def ground_truth(facts: Facts, render: RenderInfo) -> GroundTruth:
    return GroundTruth(
        document_type=facts.document_type,
        document_number=facts.document_number,
        recorded_date=facts.recorded_at.date(),
        recording_county=facts.county,
        page_count=page_count(render.layout),
        fees=facts.fees,
        grantors=facts.grantors,
        grantees=facts.grantees,
        apns=facts.apns,
        situs_address=facts.situs_address,
        legal_description=facts.legal_description,
        mail_to_name=facts.mail_to_name,
        mail_to_address=f"{facts.mail_to_street}, {facts.mail_to_city_line}",
        consideration=facts.consideration,
        loan_amount=facts.loan_amount,
        transfer_tax_amount=facts.transfer_tax_amount,
        transfer_tax_exemption=facts.transfer_tax_exemption,
        dated_date=facts.dated,
        notary_date=facts.notary_date,
        title_company=facts.title_company,
        escrow_number=facts.escrow_number,
        order_number=facts.order_number,
        render=render,
    )


@dataclass(frozen=True)
class ComposedDocument:
    """A document's pages and truth before rendering (the text layer alone is enough for rule tests)."""

    pages: list[Page]
    truth: GroundTruth


def compose_document(
    rng: random.Random,
    *,
    document_type: DocumentType | None = None,
    layout: str | None = None,
    family: str | None = None,
    pdf: bool = False,
    scan_defects: bool = True,
    handwritten_dates: bool | None = None,
) -> ComposedDocument:
    """Draw every unspecified choice from ``rng`` and lay the pages out."""
    document_type = document_type or rng.choice(GENERATED_TYPES)
    layout = layout or rng.choice(LAYOUTS)
    family = family or rng.choice(sorted(FAMILIES))
    if pdf and not FAMILIES[family].pdf_capable:
        family = "caladea"
    hand = rng.random() < 0.3 if handwritten_dates is None else handwritten_dates
    skew = round(rng.uniform(-1.2, 1.2), 2) if scan_defects and not pdf and rng.random() < 0.5 else 0.0
    speckle = scan_defects and not pdf and rng.random() < 0.4
    facts = random_facts(rng, document_type)
    pages = compose(facts, layout, family, rng, hand)
    render = RenderInfo(layout=layout, font=family, handwritten_dates=hand, skew_degrees=skew, speckle=speckle)
    return ComposedDocument(pages, ground_truth(facts, render))


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


def generate_set(count: int, seed: int, out_dir: Path, *, pdf: bool = False) -> list[GeneratedDocument]:
    rng = random.Random(seed)
    return [generate_document(rng, out_dir, f"deed_{seed}_{index:03d}", pdf=pdf) for index in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pdf", action="store_true", help="PDF with a text layer instead of a scanned TIFF")
    args = parser.parse_args(argv)
    for document in generate_set(args.count, args.seed, args.out, pdf=args.pdf):
        print(f"{document.path}  {document.truth.document_type.value}  {document.truth.page_count} pages")


if __name__ == "__main__":
    main()
