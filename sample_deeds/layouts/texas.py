"""Texas deeds: general warranty (with or without vendor's lien), special warranty and quitclaim deeds.

What varies: the "Notice of confidentiality rights" header, a labelled form ("Date:",
"Grantor:", "Grantee's Mailing Address:", "Consideration:", "Property (including any
improvements):") or a "KNOW ALL MEN BY THESE PRESENTS" deed with section-sign venue, the
vendor's lien clause, the title company's GF number, where "After recording return to" sits
(top or after the acknowledgment), the clerk's filing stamp on the last page and volume /
page marks in counties that still keep books.
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds import people
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import Box, Page, PageWriter, flowing_writer

TYPES = (T.WARRANTY_DEED, T.SPECIAL_WARRANTY_DEED, T.QUITCLAIM_DEED)
NOTICE = (
    "NOTICE OF CONFIDENTIALITY RIGHTS: IF YOU ARE A NATURAL PERSON, YOU MAY REMOVE OR STRIKE ANY OR ALL OF THE "
    "FOLLOWING INFORMATION FROM ANY INSTRUMENT THAT TRANSFERS AN INTEREST IN REAL PROPERTY BEFORE IT IS FILED FOR "
    "RECORD IN THE PUBLIC RECORDS: YOUR SOCIAL SECURITY NUMBER OR YOUR DRIVER'S LICENSE NUMBER."
)
WARRANTY = {
    T.WARRANTY_DEED: "Grantor binds Grantor and Grantor's heirs and successors to warrant and forever defend all and "
    "singular the Property to Grantee and Grantee's heirs, successors, and assigns against every person whomsoever "
    "lawfully claiming or to claim the same or any part thereof.",
    T.SPECIAL_WARRANTY_DEED: "Grantor binds Grantor and Grantor's heirs and successors to warrant and forever defend "
    "all and singular the Property to Grantee against every person whomsoever lawfully claiming the same or any part "
    "thereof when the claim is by, through, or under Grantor but not otherwise.",
}


def _title(facts: Facts, rng: random.Random) -> str:
    if facts.document_type is T.WARRANTY_DEED:
        if facts.loan_amount:
            return rng.choice(("WARRANTY DEED WITH VENDOR'S LIEN", "General Warranty Deed with Vendor's Lien"))
        return rng.choice(("GENERAL WARRANTY DEED", "WARRANTY DEED", "General Warranty Deed"))
    return {T.SPECIAL_WARRANTY_DEED: "SPECIAL WARRANTY DEED", T.QUITCLAIM_DEED: "QUITCLAIM DEED"}[facts.document_type]


def _consideration(facts: Facts, rng: random.Random, lender: str, trustee: str) -> str:
    if facts.loan_amount:
        cash = f"{blocks.amount_phrase(facts.consideration, rng)} cash" if facts.consideration else "Cash"
        return (
            f"{cash} and a note of even date executed by Grantee and payable to the order of {lender} in the principal "
            f"amount of {blocks.amount_phrase(facts.loan_amount, rng)}. The note is secured by a first and superior "
            f"vendor's lien and superior title retained in this deed in favor of {lender} and by a first-lien deed of "
            f"trust of even date from Grantee to {trustee}, trustee."
        )
    if facts.consideration:
        return f"{blocks.amount_phrase(facts.consideration, rng)} and other good and valuable consideration"
    return "Love and affection, and no monetary consideration"


def _labelled_form(writer: PageWriter, facts: Facts, rng: random.Random, consideration: str) -> Page:
    """The State Bar form: one labelled paragraph per element; returns the page of the legal description."""
    grantor_address = f"{rng.randint(100, 9999)} {rng.choice(('Ranch Road 620', 'Bee Cave Road', 'Westheimer Road'))}"
    rows = [
        ("Date:", blocks.date_long(facts.dated)),
        ("Grantor:", facts.grantor_clause),
        ("Grantor's Mailing Address:", f"{grantor_address}, {facts.city}, Texas"),
        ("Grantee:", facts.grantee_clause),
        ("Grantee's Mailing Address:", f"{facts.mail_to_street}, {facts.mail_to_city_line}"),
        ("Consideration:", consideration),
    ]
    for label, value in rows:
        writer.text(label, role="bold", points=10)
        writer.paragraph(value, points=10, left=writer.left + 0.4)
        writer.gap(0.06)
    writer.text("Property (including any improvements):", role="bold", points=10)
    legal_page = blocks.legal_block(writer, facts)
    writer.gap(0.06)
    writer.text("Reservations from Conveyance: None.", points=10)
    writer.paragraph("Exceptions to Conveyance and Warranty: Validly existing easements, rights-of-way, and "
                     "prescriptive rights, whether of record or not; all presently recorded restrictions, "
                     "reservations, covenants and conditions; taxes for the current year.", points=10)  # fmt: skip
    writer.gap(0.08)
    verb = (
        "quitclaims to Grantee all of Grantor's right, title and interest in"
        if facts.document_type is T.QUITCLAIM_DEED
        else "grants, sells, and conveys to Grantee"
    )
    writer.paragraph(f"Grantor, for the Consideration and subject to the Reservations from Conveyance and the Exceptions "
                     f"to Conveyance and Warranty, {verb} the Property, together with all and singular the rights and "
                     "appurtenances thereto in any way belonging, to have and to hold it to Grantee and Grantee's "
                     "heirs, successors, and assigns forever.", points=10)  # fmt: skip
    return legal_page


def _presents_form(writer: PageWriter, facts: Facts, rng: random.Random, consideration: str) -> Page:
    writer.text("THE STATE OF TEXAS          \u00a7", points=10, role="bold")
    writer.text(
        "                                        \u00a7     KNOW ALL MEN BY THESE PRESENTS:", points=10, role="bold"
    )
    writer.text(f"COUNTY OF {facts.county.upper()}          \u00a7", points=10, role="bold")
    writer.gap(0.12)
    verb = ("has QUITCLAIMED, and by these presents does QUITCLAIM unto" if facts.document_type is T.QUITCLAIM_DEED
            else "has GRANTED, SOLD AND CONVEYED, and by these presents does GRANT, SELL AND CONVEY unto")  # fmt: skip
    writer.paragraph(
        f'That {facts.grantor_clause}, hereinafter called "Grantor", for and in consideration of {consideration}, '
        f'{verb} {facts.grantee_clause}, hereinafter called "Grantee", whose mailing address is {facts.mail_to_street}, '
        f"{facts.mail_to_city_line}, all of the following described real property in {facts.county} County, Texas, "
        f"to wit:", points=10)  # fmt: skip
    writer.gap(0.06)
    legal_page = blocks.legal_block(writer, facts)
    writer.gap(0.06)
    writer.paragraph(f"EXECUTED this {blocks.ordinal(facts.dated.day)} day of {facts.dated:%B}, {facts.dated.year}.",
                     points=10)  # fmt: skip
    return legal_page


def _clerk_stamp(writer: PageWriter, facts: Facts, rng: random.Random) -> None:
    at = facts.recorded_at
    writer.room(1.4)
    writer.gap(0.3)
    top = writer.y
    clerk = facts.recorder.split(", ")
    lines = [
        ("FILED AND RECORDED", "bold"),
        ("OFFICIAL PUBLIC RECORDS", "bold"),
        (f"{clerk[-1]}, County Clerk", "regular"),
        (f"{facts.county} County, Texas", "regular"),
        (f"{at:%m/%d/%Y %I:%M %p}   FEE: {money(facts.fees)}", "regular"),
        (facts.recording.label, "bold"),
    ]
    writer.y = blocks.boxed_lines(writer.page, lines, left=4.6, top=top, width=2.9, points=8.5)


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer = flowing_writer(pages, family, top=0.9, bottom=10.1)
    rec = facts.recording
    writer.y = 0.9
    return_on_top = rng.random() < 0.5
    if rng.random() < 0.8:
        writer.paragraph(NOTICE, points=9, role="bold")
        writer.gap(0.15)
    if return_on_top:
        blocks.address_block(writer, "AFTER RECORDING RETURN TO:", blocks.mail_to_lines(facts))
        writer.gap(0.1)
    omitted = {"order_number", "escrow_number", "tax_statements_to_name", "book", "book_page"} if not rec.book else {
        "order_number", "escrow_number", "tax_statements_to_name"}  # fmt: skip
    if facts.file_number:
        writer.text(f"{facts.title_company}   GF No. {facts.file_number}", points=9.5)
    else:
        omitted.add("title_company")
    if rng.random() < 0.6:
        writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=9.5)
    else:
        omitted.add("apns")
    writer.gap(0.2)
    title = writer.text(_title(facts, rng), role="bold", points=14, align="center")
    if rng.random() < 0.3:
        writer.page.items.append(Box(title.x - 0.15, title.y - 0.05, (8.5 - 2 * title.x) + 0.3, 0.33))
    writer.gap(0.15)
    lender, trustee = rng.choice(people.LENDERS), people.person(rng).full_name
    consideration = _consideration(facts, rng, lender, trustee)
    form = _labelled_form if rng.random() < 0.55 else _presents_form
    legal_page = pages.index(form(writer, facts, rng, consideration)) + 1
    writer.text(f"Property Address: {facts.situs_address}", points=10)
    if facts.document_type in WARRANTY:
        writer.gap(0.06)
        writer.paragraph(WARRANTY[facts.document_type], points=10)
    if facts.loan_amount:
        writer.paragraph("The vendor's lien against and superior title to the Property are retained until each note "
                         "described is fully paid according to its terms, at which time this deed will become "
                         "absolute.", points=10)  # fmt: skip
    writer.gap(0.25)
    if form is _labelled_form:
        writer.text("When the context requires, singular nouns and pronouns include the plural.", points=9.5)
        writer.gap(0.2)
    blocks.signature_lines(writer, facts, rng, x=4.3)
    blocks.acknowledgment(writer, facts, rng, options,
                          venue=["THE STATE OF TEXAS      \u00a7", f"COUNTY OF {facts.county.upper()}      \u00a7"],
                          this_day=False)  # fmt: skip
    if not return_on_top:
        writer.room(1.0)
        writer.gap(0.3)
        blocks.address_block(writer, "AFTER RECORDING RETURN TO:", blocks.mail_to_lines(facts))
    _clerk_stamp(writer, facts, rng)
    if rec.book:
        blocks.mark_pages(pages, lambda n, total: f"Vol. {rec.book}  Pg. {int(rec.page) + n - 1}", top=True)
    else:
        blocks.mark_pages(pages, lambda n, total: f"{rec.number}  Page {n} of {total}", top=False)
    return Composed(pages, legal_page, frozenset(omitted))
