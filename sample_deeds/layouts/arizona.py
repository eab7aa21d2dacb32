"""Arizona deeds: warranty, special warranty, quit claim deeds and trustee's deeds upon sale.

What varies: the recorder's stamp (an e-recording block with fee code, or a sequence
number with page count), "Recording requested by" / "When recorded mail to" blocks and
their order, "Mail tax statements to", the affidavit of property value line (a number, or
an exemption under A.R.S. 11-1134), the body's wording, and page marks. Copies from the
recorder's site carry an "Unofficial Document" stamp over the header (see watermark.py).
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds import people
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import Page, PageWriter, flowing_writer

TYPES = (T.WARRANTY_DEED, T.SPECIAL_WARRANTY_DEED, T.QUITCLAIM_DEED, T.TRUSTEES_DEED)
TITLES = {
    T.WARRANTY_DEED: ("WARRANTY DEED", "Warranty Deed"),
    T.SPECIAL_WARRANTY_DEED: ("SPECIAL WARRANTY DEED", "Special Warranty Deed"),
    T.QUITCLAIM_DEED: ("QUIT CLAIM DEED", "QUITCLAIM DEED"),
    T.TRUSTEES_DEED: ("TRUSTEE'S DEED UPON SALE", "TRUSTEE'S DEED"),
}
WARRANTIES = {
    T.WARRANTY_DEED: "And the Grantor does warrant the title against all persons whomsoever, subject to the matters "
    "set forth above.",
    T.SPECIAL_WARRANTY_DEED: "And the Grantor hereby binds itself and its successors to warrant and defend the title, "
    "as against all acts of the Grantor herein and no other, subject to the matters above set forth.",
}


def _stamp(page: Page, facts: Facts, style: int, total: int) -> float:
    at, rec = facts.recorded_at, facts.recording
    if style == 0:
        lines = [
            (facts.recorder, "regular"),
            (f"{rec.label}  {at:%m/%d/%Y %I:%M}", "bold"),
            ("ELECTRONIC RECORDING", "regular"),
            (f"{total}-{rec.number[-4:]}-1-1--  Fees: {money(facts.fees)}", "regular"),
        ]
        return blocks.plain_lines(page, lines, left=4.2, top=0.35, points=8.5) + 0.25
    label = rec.label if rec.label != rec.number else f"RECORDING NO. {rec.number}"
    lines = [
        (facts.recorder, "mono"),
        (label, "mono_bold"),
        (f"NO. PAGES: {total}", "mono"),
        (f"DEED  {at:%m/%d/%Y %H:%M}", "mono"),
        (f"FEE: {money(facts.fees)}", "mono"),
    ]
    return blocks.plain_lines(page, lines, left=4.4, top=0.35, points=8.5) + 0.25


def _heading_blocks(writer: PageWriter, facts: Facts, rng: random.Random) -> set[str]:
    """Requested-by, mail-to and tax-statement blocks in varying order; returns the omitted fields."""
    omitted = {"file_number", "book", "book_page"}
    parts = [
        lambda: blocks.address_block(writer, "RECORDING REQUESTED BY:", [facts.title_company]),
        lambda: blocks.address_block(
            writer, rng.choice(("WHEN RECORDED MAIL TO:", "When recorded, mail to:", "AND WHEN RECORDED MAIL TO:")),
            blocks.mail_to_lines(facts),
        ),
    ]  # fmt: skip
    if facts.tax_statements_to_name:
        parts.append(lambda: blocks.address_block(writer, "MAIL TAX STATEMENTS TO:", blocks.mail_to_lines(facts)))
    rng.shuffle(parts)
    for part in parts:
        part()
        writer.gap(0.12)
    numbers = [f"Escrow No.: {facts.escrow_number}"] if facts.escrow_number else []
    numbers += [f"Order No.: {facts.order_number}"] if facts.order_number else []
    if numbers:
        writer.text("    ".join(numbers), points=9.5)
    return omitted


def _affidavit_line(writer: PageWriter, facts: Facts, rng: random.Random) -> None:
    if facts.exemption_sentence:
        writer.paragraph(facts.exemption_sentence, points=9.5)
    else:
        writer.text(
            f"Affidavit of Property Value No. {facts.recorded_at.year}-{rng.randint(100000, 999999)}", points=9.5
        )


def _body(writer: PageWriter, facts: Facts, rng: random.Random) -> Page:
    """The conveying paragraphs; returns the page the legal description starts on."""
    county = f"{facts.county} County, Arizona"
    if facts.document_type is T.TRUSTEES_DEED:
        trustor = people.person(rng).full_name
        prior = facts.prior
        writer.paragraph(
            f"{facts.grantor_clause}, as Trustee under the Deed of Trust recorded {blocks.date_long(facts.prior_date)} "
            f"as Instrument No. {prior.number} in the Official Records of {county}, executed by {trustor}, as Trustor, "
            f"does hereby GRANT AND CONVEY, without warranty, to {facts.grantee_clause} (Grantee), the real property "
            f"situated in {county}, described as follows:", points=10)  # fmt: skip
        legal_page = blocks.legal_block(writer, facts)
        writer.gap(0.08)
        writer.paragraph(
            f"The Trustee's sale was held on {blocks.date_long(facts.dated)} at public auction. The amount paid by "
            f"the Grantee at the sale was {money(facts.consideration)}.", points=10)  # fmt: skip
        return legal_page
    amount = blocks.amount_phrase(facts.consideration, rng) if facts.consideration else "Ten Dollars"
    verb = ("does hereby quit-claim unto" if facts.document_type is T.QUITCLAIM_DEED
            else rng.choice(("do/does hereby convey to", "hereby conveys to")))  # fmt: skip
    writer.paragraph(
        f"For the consideration of {amount}, and other valuable considerations, I or we, {facts.grantor_clause}, "
        f"{verb} {facts.grantee_clause} the following real property situated in {county}:", points=10)  # fmt: skip
    writer.gap(0.08)
    legal_page = blocks.legal_block(writer, facts, bold=rng.random() < 0.3)
    writer.gap(0.08)
    writer.paragraph("SUBJECT TO: Current taxes and other assessments, reservations in patents and all easements, "
                     "rights of way, encumbrances, liens, covenants, conditions, restrictions, obligations and "
                     "liabilities as may appear of record.", points=9.5)  # fmt: skip
    if facts.document_type in WARRANTIES:
        writer.paragraph(WARRANTIES[facts.document_type], points=9.5)
    return legal_page


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer = flowing_writer(pages, family, top=0.9, bottom=10.1)
    stamp_style = rng.randrange(2)
    writer.y = _stamp(Page(family), facts, stamp_style, 1) + rng.uniform(0.0, 0.4)
    omitted = _heading_blocks(writer, facts, rng)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=10)
    writer.gap(0.05)
    writer.rule()
    writer.text("SPACE ABOVE THIS LINE FOR RECORDER'S USE", points=7.5, align="right")
    writer.gap(0.15)
    writer.text(rng.choice(TITLES[facts.document_type]), role="bold", points=rng.choice((13, 14, 16)), align="center")
    writer.gap(0.1)
    _affidavit_line(writer, facts, rng)
    writer.gap(0.1)
    legal_page = pages.index(_body(writer, facts, rng)) + 1
    writer.text(f"Property Address: {facts.situs_address}", points=10)
    writer.gap(0.2)
    blocks.dated_line(writer, facts, rng, options, label=rng.choice(("Dated:", "DATED:")))
    writer.gap(0.2)
    if facts.grantors[0].kind.value == "company":
        writer.text(facts.grantors[0].full_name, points=10)
        writer.gap(0.25)
        writer.hand(rng.choice(("K. Moreno", "A. Castillo", "R Webb")), rng, x=1.2, points=16)
        writer.rule(0.9, 4.0)
        writer.text("By: Authorized Officer", points=9)
    else:
        blocks.signature_lines(writer, facts, rng)
    blocks.acknowledgment(writer, facts, rng, options, venue=["State of Arizona )", f"County of {facts.county} ) ss."],
                          this_day=rng.random() < 0.5)  # fmt: skip
    _stamp(pages[0], facts, stamp_style, len(pages))
    rec = facts.recording
    if rng.random() < 0.5:
        blocks.mark_pages(pages, lambda n, total: f"{rec.number}" if n > 1 else "", top=True)
    else:
        blocks.mark_pages(pages, lambda n, total: f"Page {n} of {total}", top=False, align="center")
    return Composed(pages, legal_page, frozenset(omitted))
