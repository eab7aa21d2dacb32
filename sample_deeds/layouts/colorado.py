"""Colorado deeds: special warranty, warranty, quitclaim, bargain and sale and personal representative's deeds.

What varies: the clerk's reception stamp (one line across the top with recording and doc
fees, or a block at top right), the "State Documentary Fee" box, the statutory-form body
("THIS DEED, made on ... whose street address is ...") or a short "hereby sells and
conveys" form, "also known by street and number as", "Signed this ... day of", and where
"When recorded return to" sits (top left or at the foot of page 1, as the bar forms print it).
Copies from the clerk's site carry an "UNOFFICIAL COPY" watermark (see watermark.py).
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import Page, PageWriter, Rule, flowing_writer

TYPES = (
    T.SPECIAL_WARRANTY_DEED,
    T.WARRANTY_DEED,
    T.QUITCLAIM_DEED,
    T.BARGAIN_AND_SALE_DEED,
    T.PERSONAL_REPRESENTATIVES_DEED,
)
TITLES = {
    T.SPECIAL_WARRANTY_DEED: "SPECIAL WARRANTY DEED",
    T.WARRANTY_DEED: "WARRANTY DEED",
    T.QUITCLAIM_DEED: "QUITCLAIM DEED",
    T.BARGAIN_AND_SALE_DEED: "BARGAIN AND SALE DEED",
    T.PERSONAL_REPRESENTATIVES_DEED: "PERSONAL REPRESENTATIVE'S DEED (Testate Estate)",
}
VERBS = {
    T.SPECIAL_WARRANTY_DEED: "hereby sells and conveys to",
    T.WARRANTY_DEED: "hereby sells and conveys to",
    T.QUITCLAIM_DEED: "hereby sells and quitclaims to",
    T.BARGAIN_AND_SALE_DEED: "hereby sells and conveys to",
    T.PERSONAL_REPRESENTATIVES_DEED: "as personal representative, hereby sells and conveys to",
}
WARRANTIES = {
    T.SPECIAL_WARRANTY_DEED: "and the Grantor warrants the title to the same against all persons claiming under the "
    "Grantor, subject to the statutory exceptions.",
    T.WARRANTY_DEED: "and the Grantor warrants the title to the same against all persons whomsoever, subject to the "
    "statutory exceptions.",
}


def _stamp(page: Page, facts: Facts, style: int, total: int) -> float:
    at, rec = facts.recorded_at, facts.recording
    doc_fee = money(facts.transfer_tax_amount or 0)
    if style == 0:
        lines = [
            (f"{rec.label} {at:%m/%d/%Y} at {at:%I:%M:%S %p}, 1 OF {total}, R {money(facts.fees)} D {doc_fee}", "mono"),
            (f"{facts.recorder}, {facts.county} County, CO", "mono"),
        ]
        return blocks.plain_lines(page, lines, left=0.4, top=0.3, points=8.5) + 0.3
    lines = [
        (rec.label, "bold"),
        (f"{at:%m/%d/%Y %I:%M %p}", "regular"),
        (f"{total} Page(s)   R {money(facts.fees)}", "regular"),
        (f"Doc Fee: {doc_fee}", "regular"),
        (f"{facts.county} County, Colorado", "regular"),
    ]
    return blocks.plain_lines(page, lines, left=5.1, top=0.35, points=8.5) + 0.2


def _doc_fee_box(writer: PageWriter, facts: Facts) -> None:
    lines = [("State Documentary Fee", "regular"), (f"Date: {blocks.date_numeric(facts.recorded_at.date())}", "regular"),
             (money(facts.transfer_tax_amount or 0), "bold")]  # fmt: skip
    blocks.boxed_lines(writer.page, lines, left=5.6, top=writer.y, width=1.9, points=8.5)


def _return_to(writer: PageWriter, facts: Facts, rng: random.Random) -> None:
    heading = rng.choice(("When recorded return to:", "After recording return to:"))
    blocks.address_block(writer, heading, blocks.mail_to_lines(facts), points=9)


def _body(writer: PageWriter, facts: Facts, rng: random.Random) -> Page:
    county = facts.county
    amount = blocks.amount_phrase(facts.consideration, rng) if facts.consideration else None
    paid = f"for the consideration of {amount}, in hand paid," if amount else "for no consideration,"
    if rng.random() < 0.6:
        writer.paragraph(
            f"THIS DEED, made on {blocks.date_long(facts.dated)} by {facts.grantor_clause}, Grantor(s), of the County "
            f"of {county} and State of Colorado {paid} {VERBS[facts.document_type]} {facts.grantee_clause}, "
            f"Grantee(s), whose street address is {facts.mail_to_street}, {facts.mail_to_city_line}, the following "
            f"real property in the County of {county}, and State of Colorado, to wit:", points=10)  # fmt: skip
    else:
        writer.paragraph(
            f"{facts.grantor_clause} (\"Grantor\"), {paid} {VERBS[facts.document_type]} {facts.grantee_clause} "
            f"(\"Grantee\"), whose legal address is {facts.mail_to_street}, {facts.mail_to_city_line}, the "
            f"following real property in the County of {county}, State of Colorado:", points=10)  # fmt: skip
    writer.gap(0.08)
    legal_page = blocks.legal_block(writer, facts)
    writer.gap(0.08)
    writer.text(f"also known by street and number as: {facts.situs_address}", points=10)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=10)
    writer.gap(0.08)
    warranty = WARRANTIES.get(facts.document_type)
    writer.paragraph(
        f"with all its appurtenances, {warranty}" if warranty else "with all its appurtenances.", points=10
    )
    return legal_page


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    return_at_foot = rng.random() < 0.5
    writer = flowing_writer(pages, family, top=0.9, bottom=9.1 if return_at_foot else 10.0)
    stamp_style = rng.randrange(2)
    writer.y = _stamp(Page(family), facts, stamp_style, 1)
    omitted = {"order_number", "escrow_number", "tax_statements_to_name", "book", "book_page", "file_number"}
    if not return_at_foot:
        _return_to(writer, facts, rng)
        writer.gap(0.1)
    if facts.transfer_tax_amount and rng.random() < 0.6:
        _doc_fee_box(writer, facts)
    if rng.random() < 0.5:
        order = f"Title Order No. {facts.order_number}   " if facts.order_number else ""
        writer.text(f"{order}{facts.title_company}", points=9)
        omitted.discard("order_number")
    else:
        omitted.add("title_company")
    writer.gap(0.35)
    writer.text(TITLES[facts.document_type], role="bold", points=rng.choice((13, 15)), align="center")
    writer.gap(0.12)
    if facts.exemption_sentence:
        writer.text(facts.exemption_sentence, points=9.5)
    legal_page = pages.index(_body(writer, facts, rng)) + 1
    writer.gap(0.2)
    writer.room(0.4)
    writer.text(
        f"Signed this {blocks.ordinal(facts.dated.day)} day of {facts.dated:%B}, {facts.dated.year}.", points=10
    )
    writer.gap(0.25)
    blocks.signature_lines(writer, facts, rng, x=rng.choice((0.9, 4.3)))
    blocks.acknowledgment(writer, facts, rng, options, venue=["STATE OF COLORADO )", f"COUNTY OF {facts.county.upper()} ) ss."],
                          this_day=True)  # fmt: skip
    if return_at_foot:
        foot = PageWriter(pages[0], y=9.3)
        foot.page.items.append(Rule(foot.left, 9.22, foot.right, 9.22))
        _return_to(foot, facts, rng)
    _stamp(pages[0], facts, stamp_style, len(pages))
    form = (
        f"No. {rng.randint(900, 999)}A. Rev. {rng.randint(1, 12)}-{rng.randint(94, 99)}. {TITLES[facts.document_type]}"
    )
    blocks.mark_pages(pages, lambda n, total: f"{form}      Page {n} of {total}", top=False, align="left", points=7)
    return Composed(pages, legal_page, frozenset(omitted))
