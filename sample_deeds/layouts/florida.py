"""Florida deeds: warranty, special warranty, quit claim and personal representative's deeds.

What varies: the clerk's stamp (a typewriter block at top right with doc stamps and fees,
a band across the top, or a CFN / OR book-page stamp), "Prepared by and return to" as one
block or two, the parcel id label, the title's style, an indenture, "made and executed" or
"know all men" body, witnesses with printed names, and the page marks.
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import PAGE_WIDTH, Box, Page, PageWriter, Rule, flowing_writer
from sample_deeds.people import LAW_FIRMS

TYPES = (T.WARRANTY_DEED, T.SPECIAL_WARRANTY_DEED, T.QUITCLAIM_DEED, T.PERSONAL_REPRESENTATIVES_DEED)
TITLES = {
    T.WARRANTY_DEED: ("WARRANTY DEED", "GENERAL WARRANTY DEED", "Warranty Deed"),
    T.SPECIAL_WARRANTY_DEED: ("SPECIAL WARRANTY DEED", "Special Warranty Deed"),
    T.QUITCLAIM_DEED: ("QUIT CLAIM DEED", "QUITCLAIM DEED", "FLORIDA QUIT CLAIM DEED", "Quit Claim Deed"),
    T.PERSONAL_REPRESENTATIVES_DEED: ("PERSONAL REPRESENTATIVE'S DEED", "Personal Representative's Deed"),
}
VERBS = {
    T.WARRANTY_DEED: "hereby grants, bargains, sells, aliens, remises, releases, conveys and confirms unto the grantee",
    T.SPECIAL_WARRANTY_DEED: "hereby grants, bargains, sells and conveys to the grantee",
    T.QUITCLAIM_DEED: "does hereby remise, release, and quit claim unto the grantee forever",
    T.PERSONAL_REPRESENTATIVES_DEED: "hereby grants, conveys and confirms unto the grantee",
}
COVENANTS = {
    T.WARRANTY_DEED: "And the grantor hereby covenants with said grantee that the grantor is lawfully seized of said "
    "land in fee simple; that the grantor has good right and lawful authority to sell and convey said land; that the "
    "grantor hereby fully warrants the title to said land and will defend the same against the lawful claims of all "
    "persons whomsoever; and that said land is free of all encumbrances, except taxes accruing subsequent to the "
    "year of this deed.",
    T.SPECIAL_WARRANTY_DEED: "The Grantor hereby warrants the title to said property for any acts of Grantor and "
    "will defend the same against the lawful claims of all persons claiming by, through or under Grantor, but "
    "against none other.",
}


def _stamp(page: Page, facts: Facts, style: int, deputy: str, total: int) -> float:
    """The clerk's stamp on page 1 in one of three styles; returns where the body may start."""
    at, rec = facts.recorded_at, facts.recording
    tax = money(facts.transfer_tax_amount or 0)
    if style == 0:
        lines = [
            (rec.label, "mono_bold"),
            (f"{at:%m/%d/%Y %I:%M:%S %p}   Page 1 of {total}", "mono"),
            *([(f"OR Book {rec.book} Page {rec.page}", "mono")] if rec.book else []),
            (f"Rec Fee: {money(facts.fees)}", "mono"),
            (f"Deed Doc Tax: {tax}", "mono"),
            ("Mortgage Stamp: $0.00", "mono"),
            (facts.recorder, "mono"),
            (f"{facts.county} County, FL", "mono"),
        ]
        return blocks.plain_lines(page, lines, left=4.6, top=0.35, points=8) + 0.3
    if style == 1:
        when = f"{at.month}/{at.day}/{at.year} at {at:%I:%M %p}"
        book = f" BK: {rec.book} PG: {rec.page}," if rec.book else ""
        lines = [
            (facts.recorder, "bold"),
            (f"{rec.label},{book} Doc Type D, Pages {total}, Recorded {when}, Deputy Clerk {deputy}", "bold"),
            (f"Rec Fees: {money(facts.fees)} Deed Doc: {tax}", "bold"),
        ]  # fmt: skip
        y = blocks.plain_lines(page, lines, left=0.3, top=0.3, points=9)
        page.items.append(Rule(0.3, y + 0.05, 3.8, y + 0.05))
        return y + 0.5
    last = int(rec.page or 1) + total - 1
    lines = [(rec.label, "mono_bold")]
    if rec.book:
        lines.append((f"OR BK {rec.book} Pgs {rec.page}-{last} ({total}Pgs)", "mono"))
    lines += [
        (f"RECORDED {at:%m/%d/%Y %H:%M:%S}", "mono"),
        (f"{facts.recorder}", "mono"),
        (f"{facts.county.upper()} COUNTY, FLORIDA", "mono"),
        (f"DEED DOC TAX {tax}", "mono"),
    ]
    return blocks.plain_lines(page, lines, left=4.9, top=0.35, points=8) + 0.25


def _preparer_blocks(writer: PageWriter, facts: Facts, rng: random.Random) -> set[str]:
    """'Prepared by and return to' (one block) or 'Prepared by' and 'Return to'; returns omitted fields."""
    omitted = {"title_company"}
    if rng.random() < 0.4:
        blocks.address_block(writer, rng.choice(("Prepared by and return to:", "Prepared by & return to:")),
                             blocks.mail_to_lines(facts))  # fmt: skip
    else:
        by_title = rng.random() < 0.6
        preparer = facts.title_company if by_title else rng.choice(LAW_FIRMS)
        omitted -= {"title_company"} if by_title else set()
        lines = [
            preparer,
            f"{rng.randint(10, 9999)} {rng.choice(('Commerce Blvd.', 'Center Commons Blvd.', 'Colonial Drive'))}",
        ]
        blocks.address_block(
            writer, "Prepared by:", [*lines, f"{facts.city}, FL {facts.county_info.zip_prefix}{rng.randint(100, 999)}"]
        )
        writer.gap(0.1)
        blocks.address_block(
            writer, rng.choice(("Return to:", "After Recording Return To:")), blocks.mail_to_lines(facts)
        )
    if facts.file_number:
        writer.text(f"{rng.choice(('File No.:', 'File Number:'))} {facts.file_number}", points=9)
    return omitted


def _body(writer: PageWriter, facts: Facts, rng: random.Random, title: str) -> None:
    dated = facts.dated
    day = f"{blocks.ordinal(dated.day)} day of {dated:%B}, {dated.year}"
    amount = blocks.amount_phrase(facts.consideration, rng) if facts.consideration else "Ten Dollars ($10.00)"
    grantor_address = f"{rng.randint(100, 9999)} {rng.choice(('Lakeview Drive', 'Palm Avenue', 'Gulf Boulevard'))}, {facts.city}, Florida"
    style = rng.randrange(3)
    if style == 0:
        writer.paragraph(
            f"This {blocks.capitalized(title)} made this {day} by {facts.grantor_clause}, whose address is {grantor_address}, "
            f"hereinafter called the grantor, to {facts.grantee_clause}, whose post office address is "
            f"{facts.mail_to_street}, {facts.mail_to_city_line}, hereinafter called the grantee:",
            points=10,
        )
        writer.gap(0.08)
        writer.paragraph(
            '(Whenever used herein the terms "grantor" and "grantee" include all the parties to this '
            "instrument and the heirs, legal representatives and assigns of individuals, and the "
            "successors and assigns of corporations)",
            points=9,
            left=writer.left + 0.5,
            right=writer.right - 0.5,
        )
        opening = "Witnesseth, that the grantor, for and in consideration of the sum of"
    elif style == 1:
        writer.paragraph(
            f'THIS {title.upper()} is made and executed this {day}, by {facts.grantor_clause} (the "Grantor") with '
            f'a mailing address of {grantor_address}, to {facts.grantee_clause} (the "Grantee") with a mailing '
            f"address of {facts.mail_to_street}, {facts.mail_to_city_line}.",
            points=10,
        )
        opening = "WITNESSETH: That the Grantor for and in consideration of the sum of"
    else:
        writer.text("State of Florida", points=10)
        writer.text(f"{facts.county} County", points=10)
        writer.gap(0.1)
        writer.paragraph(
            f"KNOW ALL MEN BY THESE PRESENTS, made this {day}, that {facts.grantor_clause}, residing at "
            f"{grantor_address}, hereinafter called the grantor, and {facts.grantee_clause}, hereinafter "
            "called the grantee:",
            points=10,
        )
        opening = "for and in consideration of the sum of"
    writer.gap(0.08)
    writer.paragraph(
        f"{opening} {amount} and other good and valuable considerations, receipt whereof is hereby acknowledged, "
        f"{VERBS[facts.document_type]}, all that certain land situate in {facts.county} County, Florida, viz:",
        points=10,
    )
    writer.gap(0.08)


def _signatures(writer: PageWriter, facts: Facts, rng: random.Random, options: Options) -> None:
    writer.room(2.4)
    writer.paragraph(
        "IN WITNESS WHEREOF, the said grantor has signed and sealed these presents the day and year "
        "first above written.",
        points=10,
    )
    writer.text(rng.choice(("Signed, sealed and delivered in our presence:", "WITNESSES:")), points=10, role="bold")
    writer.gap(0.2)
    top = writer.y
    for witness in facts.witnesses:
        writer.hand(witness.title(), rng, points=15)
        writer.rule(writer.left, writer.left + 2.9)
        writer.text("Witness", points=8.5)
        if options.hand_fill:
            writer.text("Printed Name:", points=8.5, advance=False)
            writer.hand(witness.title(), rng, x=writer.left + 0.9, role="hand_print", points=15)
        else:
            writer.text(f"Printed Name: {witness}", points=8.5)
        writer.gap(0.15)
    bottom, writer.y = writer.y, top
    if facts.grantors[0].kind.value == "company":
        writer.text(facts.grantors[0].full_name, x=4.4, points=9.5)
        writer.gap(0.2)
        writer.hand(rng.choice(("J. Carter", "M Ruiz", "Pat Olsen")), rng, x=4.7, points=16)
        writer.rule(4.4, 7.6)
        writer.text("By: Authorized Signatory, Its Manager", x=4.4, points=9)
    else:
        for signer in facts.signers:
            writer.hand(signer.title(), rng, x=4.7, points=16)
            writer.rule(4.4, 7.6)
            writer.text(f"{signer}                (Seal)", x=4.4, points=9)
            writer.gap(0.18)
    writer.y = max(writer.y, bottom)


def _acknowledgment(writer: PageWriter, facts: Facts, rng: random.Random, options: Options) -> None:
    writer.room(3.0)
    writer.gap(0.2)
    writer.text("STATE OF FLORIDA", points=10, role="bold")
    writer.text(f"COUNTY OF {facts.county.upper()}", points=10, role="bold")
    writer.gap(0.1)
    names = " and ".join(facts.signers) if facts.grantors[0].kind.value == "person" else facts.grantors[0].full_name
    if rng.random() < 0.5:
        writer.text("By means of [X] physical presence or [ ] online notarization:", points=9.5)
    blocks.acknowledged_this_day(writer, facts, rng, options, names)
    writer.paragraph("who is/are personally known to me or who has/have produced a driver's license as identification.",
                     points=10)  # fmt: skip
    writer.gap(0.25)
    seal_top = writer.y
    blocks.notary_signature(writer, facts, rng, x=4.3)
    blocks.notary_seal(writer.page, facts, left=0.9, top=seal_top, state_name="Florida", county=facts.county)


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer = flowing_writer(pages, family, top=0.9, bottom=10.1)
    stamp_style, deputy = rng.randrange(3), rng.choice(("ACRUZ", "JLEE", "MPATEL"))
    writer.y = _stamp(Page(family), facts, stamp_style, deputy, 1)  # measured here, drawn once pages are counted
    omitted = _preparer_blocks(writer, facts, rng)
    omitted |= {"order_number", "escrow_number", "tax_statements_to_name"}
    writer.gap(0.15)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=10)
    if rng.random() < 0.5:
        writer.text("[Space Above This Line For Recording Data]", points=7.5, align="right")
    writer.rule()
    writer.gap(0.15)
    title = rng.choice(TITLES[facts.document_type])
    heading = writer.text(title, role="bold", points=rng.choice((13, 15, 16)), align="center")
    if rng.random() < 0.4:
        writer.page.items.append(Box(1.5, heading.y - 0.06, PAGE_WIDTH - 3.0, 0.36))
    writer.gap(0.15)
    _body(writer, facts, rng, title)
    legal_page = pages.index(blocks.legal_block(writer, facts, bold=rng.random() < 0.5)) + 1
    writer.gap(0.08)
    writer.text(f"Property Address: {facts.situs_address}", points=10)
    writer.gap(0.08)
    writer.paragraph("Subject to covenants, conditions, restrictions, easements and matters of record, and taxes for "
                     "the current year and subsequent years.", points=10)  # fmt: skip
    writer.paragraph("TOGETHER with all the tenements, hereditaments and appurtenances thereto belonging or in anywise "
                     "appertaining. TO HAVE AND TO HOLD, the same in fee simple forever.", points=10)  # fmt: skip
    if facts.document_type in COVENANTS:
        writer.gap(0.08)
        writer.paragraph(COVENANTS[facts.document_type], points=10)
    writer.gap(0.15)
    _signatures(writer, facts, rng, options)
    _acknowledgment(writer, facts, rng, options)
    _stamp(pages[0], facts, stamp_style, deputy, len(pages))
    rec = facts.recording
    style = rng.randrange(3)
    if style == 0:
        blocks.mark_pages(
            pages, lambda n, total: f"{rec.number} Page {n} of {total}" if n > 1 else "", top=True, align="center"
        )
    elif style == 1 and rec.book:
        blocks.mark_pages(pages, lambda n, total: f"Book{rec.book}/Page{int(rec.page) + n - 1}   CFN#{rec.number}   Page {n} of {total}",
                          top=False, align="left", points=10)  # fmt: skip
    else:
        blocks.mark_pages(pages, lambda n, total: f"Page {n} of {total}", top=False)
    if rec.book is None:
        omitted |= {"book", "book_page"}
    if stamp_style == 2:
        omitted.add("fees")
    return Composed(pages, legal_page, frozenset(omitted))
