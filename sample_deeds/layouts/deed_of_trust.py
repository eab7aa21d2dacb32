"""Deeds of trust and mortgages of 10 to 20 pages: the long security instruments lenders record.

Page 1 carries the recorder's stamp, the lender's return address, loan and MIN numbers and
the parties' definitions (Borrower, Lender, Trustee, MERS as nominee, the Note and its
amount, the riders checked); then the grant to the trustee with the legal description and
property address, many pages of covenants, signatures, the acknowledgment, the riders and
an optional Exhibit A. Every page carries a form footer with "Page n of N" and initials.
"""

from __future__ import annotations

import random

from sample_deeds.boilerplate import covenant
from sample_deeds.facts import MERS, RIDERS, Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import Page, PageWriter

DEED_OF_TRUST_STATES = ("CA", "WA", "AZ", "TX", "CO")
MORTGAGE_STATES = ("FL",)


def _definitions(writer: PageWriter, facts: Facts, rng: random.Random, loan_number: str) -> None:
    lender = facts.grantees[0].full_name
    dated = blocks.date_long(facts.dated)
    maturity = facts.dated.replace(year=facts.dated.year + 30, day=1)
    writer.text("DEFINITIONS", role="bold", points=10)
    writer.paragraph("Words used in multiple sections of this document are defined below and other words are defined "
                     "in the sections that follow.", points=9.5)  # fmt: skip
    borrower_role = "trustor" if facts.trustees else "mortgagor"
    entries = [
        f'"Security Instrument" means this document, which is dated {dated}, together with all Riders to this document.',
        f'"Borrower" is {facts.grantor_clause}. Borrower is the {borrower_role} under this Security Instrument.',
        f'"Lender" is {lender}. Lender is organized and existing under the laws of {rng.choice(("Delaware", facts.state.name))}. '
        f"Lender's address is {facts.mail_to_street}, {facts.mail_to_city_line}.",
    ]  # fmt: skip
    if facts.trustees:
        entries.append(f'"Trustee" is {facts.trustees[0].full_name}.')
    if facts.mers:
        entries.append(f'"MERS" is {MERS} MERS is a separate corporation that is acting solely as a nominee for Lender '
                       "and Lender's successors and assigns. MERS is the beneficiary under this Security Instrument.")  # fmt: skip
    amount = f"{blocks.dollars_in_words(facts.loan_amount).replace(' Dollars', '')} Dollars (U.S. {money(facts.loan_amount)})"
    entries += [
        f'"Note" means the promissory note signed by Borrower and dated {dated}. The Note states that Borrower owes '
        f"Lender {amount} plus interest. Borrower has promised to pay this debt in regular Periodic Payments and to "
        f"pay the debt in full not later than {blocks.date_long(maturity)}.",
        '"Property" means the property that is described below under the heading "Transfer of Rights in the Property."',
        '"Loan" means the debt evidenced by the Note, plus interest, any prepayment charges and late charges due under '
        "the Note, and all sums due under this Security Instrument, plus interest.",
        '"Riders" means all Riders to this Security Instrument that are executed by Borrower. The following Riders are '
        "to be executed by Borrower [check box as applicable]:",
    ]  # fmt: skip
    for letter, entry in zip("ABCDEFGHIJ", entries, strict=False):
        writer.paragraph(f"({letter}) {entry}", points=9.5)
        writer.gap(0.04)
    width = (writer.right - writer.left) / 3
    for start in range(0, len(RIDERS), 3):
        writer.room(0.2)
        top = writer.y
        for offset, rider in enumerate(RIDERS[start : start + 3]):
            writer.y = top
            writer.checkbox(rider, rider in facts.riders, x=writer.left + offset * width, points=8.5)
        writer.y = top + 0.2
    writer.gap(0.05)
    writer.text(f"Loan No.: {loan_number}", points=9)


def _transfer(writer: PageWriter, facts: Facts, rng: random.Random, exhibit: bool) -> Page | None:
    writer.gap(0.1)
    writer.text("TRANSFER OF RIGHTS IN THE PROPERTY", role="bold", points=10)
    to = "Trustee, in trust, with power of sale" if facts.trustees else "Lender and Lender's successors and assigns"
    nominee = (
        " (solely as nominee for Lender and Lender's successors and assigns) and to the successors and assigns of MERS"
        if facts.mers
        else ""
    )
    writer.paragraph(
        f"This Security Instrument secures to Lender{nominee} the repayment of the Loan and the performance of "
        f"Borrower's covenants and agreements. For this purpose, Borrower irrevocably grants and conveys to {to}, the "
        f"following described property located in the County of {facts.county}, State of {facts.state.name}:",
        points=9.5,
    )  # fmt: skip
    legal_page = None
    if exhibit:
        writer.text('SEE EXHIBIT "A" ATTACHED HERETO AND MADE A PART HEREOF.', points=9.5, align="center")
    else:
        legal_page = blocks.legal_block(writer, facts)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=9.5)
    street, city = facts.situs_address.split(", ", 1)
    writer.paragraph(f'which currently has the address of {street}, {city} ("Property Address").', points=9.5)
    return legal_page


def _rider(writer: PageWriter, facts: Facts, rng: random.Random, rider: str) -> None:
    writer.room(99)
    writer.text(rider.upper(), role="bold", points=12, align="center")
    writer.gap(0.1)
    dated = facts.dated
    writer.paragraph(
        f"THIS {rider.upper()} is made this {blocks.ordinal(dated.day)} day of {dated:%B}, {dated.year}, and is "
        "incorporated into and shall be deemed to amend and supplement the Security Instrument of the same date, "
        f"given by the undersigned (the \"Borrower\") to secure Borrower's Note to {facts.grantees[0].full_name} (the "
        f'"Lender") of the same date and covering the Property described in the Security Instrument and located at: '
        f"{facts.situs_address}.", points=9.5)  # fmt: skip
    for _ in range(rng.randint(3, 5)):
        heading, paragraphs = covenant(rng)
        writer.paragraph(f"{heading.upper()}. {paragraphs[0]}", points=9.5)
    writer.gap(0.2)
    blocks.signature_lines(writer, facts, rng, x=4.3)


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer, stamp = blocks.stamped_start(pages, facts, family, rng, top=0.8, bottom=9.9)
    prepared = ("RECORDING REQUESTED BY:", "Prepared By:", "This instrument was prepared by:")
    mail_to = ("AND WHEN RECORDED MAIL TO:", "After Recording Return To:", "WHEN RECORDED RETURN TO:")
    blocks.heading_blocks(writer, rng, [(prepared, [facts.title_company]), (mail_to, blocks.mail_to_lines(facts))])
    omitted = {
        "file_number",
        "tax_statements_to_name",
        "consideration",
        "transfer_tax_amount",
        "transfer_tax_exemption",
    }
    numbers = [f"Title Order No.: {facts.order_number}"] if facts.order_number else []
    numbers += [f"Escrow No.: {facts.escrow_number}"] if facts.escrow_number else []
    if numbers:
        writer.text("    ".join(numbers), points=9)
    loan_number = str(rng.randint(1000000000, 9999999999))
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=9)
    writer.text("[Space Above This Line For Recording Data]", points=8, align="center")
    title = "DEED OF TRUST" if facts.trustees else "MORTGAGE"
    writer.text(title, role="bold", points=15, align="center")
    if facts.mers:
        writer.text(f"MIN: {rng.randint(1000000, 1009999)}-{rng.randint(10**9, 10**10 - 1)}-{rng.randint(0, 9)}",
                    points=9, align="right")  # fmt: skip
    writer.gap(0.1)
    _definitions(writer, facts, rng, loan_number)
    exhibit = rng.random() < 0.4
    legal_start = _transfer(writer, facts, rng, exhibit)
    body_pages = rng.randint(9, 13)  # with the signature page, riders and exhibit: 10 to 20 pages
    number = 1
    writer.gap(0.1)
    writer.text("UNIFORM COVENANTS. Borrower and Lender covenant and agree as follows:", role="bold", points=9.5)
    while len(pages) < body_pages:
        heading, paragraphs = covenant(rng)
        writer.room(0.6)
        writer.paragraph(f"{number}. {heading}. {paragraphs[0]}", points=9.5)
        for paragraph in paragraphs[1:]:
            writer.paragraph(paragraph, points=9.5, indent=0.3)
        number += 1
    writer.room(99)
    writer.paragraph("BY SIGNING BELOW, Borrower accepts and agrees to the terms and covenants contained in this "
                     "Security Instrument and in any Rider executed by Borrower and recorded with it.", points=9.5)  # fmt: skip
    writer.gap(0.2)
    blocks.dated_line(writer, facts, rng, options)
    writer.gap(0.2)
    blocks.signature_lines(writer, facts, rng, x=4.3)
    venue = [f"STATE OF {facts.state.name.upper()}", f"COUNTY OF {facts.county.upper()}"]
    blocks.acknowledgment(writer, facts, rng, options, venue=venue, this_day=rng.random() < 0.5)
    for rider in facts.riders:
        _rider(writer, facts, rng, rider)
    if exhibit:
        writer.room(99)
        legal_start = writer.page
        blocks.exhibit_page(writer.page, facts, rng)
    stamp.draw(pages[0], facts, len(pages))
    state = facts.state.name.upper()
    blocks.mark_pages(pages, lambda n, total: f"{state}--Single Family--UNIFORM INSTRUMENT    Initials: ______    "
                      f"Page {n} of {total}", top=False, align="left", points=7)  # fmt: skip
    rec = facts.recording
    blocks.mark_pages(pages, lambda n, total: f"{rec.number}  Page {n} of {total}" if n > 1 else "", top=True)
    return Composed(pages, pages.index(legal_start) + 1, frozenset(omitted))
