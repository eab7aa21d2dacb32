"""Instruments that end a security interest: reconveyance, release of lien, satisfaction of mortgage.

A trustee reconveys (deed-of-trust states), a lender releases (Texas, Colorado) or a
mortgagee satisfies (Florida) the instrument recorded earlier, which the body cites by date,
instrument number or book and page, with the borrowers' names and, for releases, the
original principal amount. The truth: grantors are the releasing party (trustee or lender),
grantees the borrowers released; a reconveyance also names its trustee.
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds import people
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options
from sample_deeds.page_model import Page

RECONVEYANCE_STATES = ("CA", "AZ", "WA")
RELEASE_STATES = ("TX", "CO")
SATISFACTION_STATES = ("FL",)
TITLES = {
    T.RECONVEYANCE: ("FULL RECONVEYANCE", "DEED OF FULL RECONVEYANCE", "DEED OF RELEASE AND FULL RECONVEYANCE"),
    T.RELEASE: ("RELEASE OF LIEN", "RELEASE OF DEED OF TRUST", "FULL RELEASE"),
    T.SATISFACTION: ("SATISFACTION OF MORTGAGE", "FULL SATISFACTION OF MORTGAGE"),
}


def _cited(facts: Facts) -> str:
    prior = facts.prior
    where = (
        f"in Official Records Book {prior.book}, Page {prior.page}"
        if prior.book
        else f"as Instrument No. {prior.number}"
    )
    return f"recorded on {blocks.date_long(facts.prior_date)} {where}, in the Official Records of {facts.county} County, {facts.state.name}"


def _reconveyance_body(writer, facts: Facts, rng: random.Random) -> None:
    borrowers = " and ".join(p.full_name for p in facts.grantees)
    lender = rng.choice(people.LENDERS)
    writer.paragraph(
        f"{facts.trustees[0].full_name}, as duly appointed Trustee under the Deed of Trust hereinafter described, "
        "having received from the holder of the obligations thereunder a written request to reconvey, reciting that "
        "all sums secured by said Deed of Trust have been fully paid, does hereby RECONVEY, without warranty, to "
        "the person or persons legally entitled thereto, the estate now held by it thereunder.", points=10)  # fmt: skip
    writer.gap(0.08)
    writer.paragraph(f"The Deed of Trust was executed by {borrowers}, as Trustor(s), in favor of {lender}, as "
                     f"Beneficiary, and {_cited(facts)}.", points=10)  # fmt: skip


def _release_body(writer, facts: Facts, rng: random.Random) -> None:
    borrowers = " and ".join(p.full_name for p in facts.grantees)
    instrument = "mortgage" if facts.document_type is T.SATISFACTION else rng.choice(("deed of trust", "lien"))
    writer.paragraph(
        f"KNOW ALL MEN BY THESE PRESENTS, that {facts.grantor_clause}, the owner and holder of a certain "
        f"{instrument} executed by {borrowers} dated {blocks.date_long(facts.prior_date)}, {_cited(facts)}, securing "
        f"a note in the original principal sum of {blocks.amount_phrase(facts.loan_amount, rng)}, does hereby "
        "acknowledge full payment and satisfaction of said note and "
        f"{instrument}, and surrenders the same as cancelled, and hereby directs the clerk to cancel the same of "
        "record.", points=10)  # fmt: skip


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer, stamp = blocks.stamped_start(pages, facts, family, rng, top=0.9, bottom=10.1)
    prepared = ("RECORDING REQUESTED BY:", "Prepared by:")
    mail_to = ("WHEN RECORDED MAIL TO:", "Return to:", "AFTER RECORDING RETURN TO:")
    blocks.heading_blocks(
        writer, rng, [(prepared, [facts.grantors[0].full_name]), (mail_to, blocks.mail_to_lines(facts))]
    )
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=9.5)
    writer.text(f"Loan No. {rng.randint(10**8, 10**9 - 1)}", points=9.5)
    writer.rule()
    writer.gap(0.2)
    writer.text(rng.choice(TITLES[facts.document_type]), role="bold", points=14, align="center")
    writer.gap(0.15)
    if facts.document_type is T.RECONVEYANCE:
        _reconveyance_body(writer, facts, rng)
    else:
        _release_body(writer, facts, rng)
    writer.gap(0.08)
    omitted = {"title_company", "escrow_number", "order_number", "file_number", "tax_statements_to_name",
               "consideration", "grantee_vesting", "vesting"}  # fmt: skip
    if facts.document_type is T.RECONVEYANCE:
        omitted.add("loan_amount")
    legal_page = None
    if rng.random() < 0.6:
        writer.text("The property is described as follows:", points=10)
        legal_page = pages.index(blocks.legal_block(writer, facts)) + 1
    else:
        omitted |= {"legal_description", "legal_description_keys"}
    writer.text(f"Property Address: {facts.situs_address}", points=10)
    writer.gap(0.2)
    blocks.dated_line(writer, facts, rng, options)
    writer.gap(0.2)
    writer.text(facts.grantors[0].full_name, points=10)
    writer.gap(0.25)
    writer.hand(rng.choice(("L. Ortiz", "Dana Kim", "P. Hsu")), rng, x=1.2, points=16)
    writer.rule(0.9, 4.0)
    writer.text(f"By: {rng.choice(('Vice President', 'Assistant Secretary', 'Authorized Officer'))}", points=9)
    venue = [f"STATE OF {facts.state.name.upper()}", f"COUNTY OF {facts.county.upper()}"]
    blocks.acknowledgment(writer, facts, rng, options, venue=venue, this_day=rng.random() < 0.5)
    stamp.draw(pages[0], facts, len(pages))
    if len(pages) > 1:
        blocks.mark_pages(pages, lambda n, total: f"{facts.recording.number}  Page {n} of {total}", top=False)
    return Composed(pages, legal_page, frozenset(omitted))
