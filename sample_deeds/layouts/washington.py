"""Washington deeds: statutory warranty, quit claim, bargain and sale, personal representative's deeds, deed in lieu.

What varies: an optional recording cover sheet with "Grantor(s)" / "Grantee(s)" boxes,
"Abbreviated legal" and "Assessor's Property Tax Parcel/Account Number"; the auditor's
stamp (number and "Pages:" at top right, or an e-recording band with excise affidavit
number, selling price and tax); the treasurer's excise-tax stamp; "Filed for record at the
request of" and escrow number; a typed or hand-filled body; page marks.
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options, money
from sample_deeds.page_model import Page, PageWriter, flowing_writer

TYPES = (
    T.STATUTORY_WARRANTY_DEED,
    T.QUITCLAIM_DEED,
    T.BARGAIN_AND_SALE_DEED,
    T.PERSONAL_REPRESENTATIVES_DEED,
    T.DEED_IN_LIEU_OF_FORECLOSURE,
)
TITLES = {
    T.STATUTORY_WARRANTY_DEED: ("STATUTORY WARRANTY DEED", "Statutory Warranty Deed"),
    T.QUITCLAIM_DEED: ("QUIT CLAIM DEED", "QUITCLAIM DEED"),
    T.BARGAIN_AND_SALE_DEED: ("BARGAIN AND SALE DEED", "Bargain and Sale Deed"),
    T.PERSONAL_REPRESENTATIVES_DEED: ("PERSONAL REPRESENTATIVE'S DEED",),
    T.DEED_IN_LIEU_OF_FORECLOSURE: ("DEED IN LIEU OF FORECLOSURE",),
}
VERBS = {
    T.STATUTORY_WARRANTY_DEED: "conveys and warrants to",
    T.QUITCLAIM_DEED: "conveys and quit claims to",
    T.BARGAIN_AND_SALE_DEED: "bargains, sells and conveys to",
    T.PERSONAL_REPRESENTATIVES_DEED: "conveys and confirms to",
    T.DEED_IN_LIEU_OF_FORECLOSURE: "conveys and warrants to",
}
CODES = {
    T.STATUTORY_WARRANTY_DEED: "SWD",
    T.QUITCLAIM_DEED: "QCD",
    T.BARGAIN_AND_SALE_DEED: "BSD",
    T.PERSONAL_REPRESENTATIVES_DEED: "PRD",
    T.DEED_IN_LIEU_OF_FORECLOSURE: "DIL",
}


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def _cover_sheet(page: Page, facts: Facts, rng: random.Random, title: str, affidavit: str) -> None:
    """The auditor's indexing cover sheet: titled boxes with names, abbreviated legal and parcel numbers."""
    writer = PageWriter(page, y=0.9)
    blocks.address_block(writer, rng.choice(("RETURN ADDRESS", "Return Address:")), blocks.mail_to_lines(facts))
    writer.gap(0.5)
    inverted = rng.random() < 0.5
    sections = [
        ("Document Title(s)", [blocks.capitalized(title)]),
        ("Reference Number(s) of related documents", [facts.prior.number] if facts.prior else []),
        ("Grantor(s) (Last, First and Middle Initial)",
         [_last_first(p.full_name) if inverted and p.kind.value == "person" else p.full_name for p in facts.grantors]),
        ("Grantee(s) (Last, First and Middle Initial)",
         [_last_first(p.full_name) if inverted and p.kind.value == "person" else p.full_name for p in facts.grantees]),
        ("Legal Description (abbreviated form: i.e. lot, block, plat or section, township, range)",
         [" ".join(facts.legal.keys)]),
        ("Assessor's Property Tax Parcel/Account Number", [", ".join(facts.apns)]),
    ]  # fmt: skip
    for heading, values in sections:
        writer.text(heading, role="bold", points=11)
        for value in values or [""]:
            writer.text(value, x=writer.left + 0.25, points=11)
            writer.rule(writer.left, writer.left + 4.2)
        writer.gap(0.18)
    writer.paragraph("The Auditor/Recorder will rely on the information provided on this form. The staff will not "
                     "read the document to verify the accuracy or completeness of the indexing information provided "
                     "herein.", points=8.5)  # fmt: skip
    _treasurer(page, facts, rng, affidavit, top=1.35)


def _treasurer(page: Page, facts: Facts, rng: random.Random, affidavit: str, *, top: float) -> None:
    """The county treasurer's excise-tax stamp: affidavit number and tax, or 'None' for an exempt transfer."""
    writer = PageWriter(page, left=4.8, right=7.8, y=top)
    writer.text(f"{facts.county} County Treasurer", points=11)
    if facts.transfer_tax_amount:
        writer.text(f"{affidavit}    {money(facts.transfer_tax_amount)}", points=11)
        writer.text(f"{blocks.date_numeric(facts.recorded_at.date())}  {rng.choice(('H Brewer', 'E Walker', 'T Moss'))}",
                    points=11)  # fmt: skip
    else:
        writer.text("Real Estate Excise Tax Paid", points=10, advance=False)
        writer.hand("None", rng, x=6.7, points=15)
        writer.text(f"Affidavit {affidavit}", points=9)


def _stamp(page: Page, facts: Facts, style: int, total: int, affidavit: str) -> float:
    at, rec = facts.recorded_at, facts.recording
    if style == 0:
        lines = [
            (f"{rec.number}          Pages: {total}", "bold"),
            (f"{at:%m/%d/%Y %I:%M %p} D", "regular"),
            (facts.recorder, "regular"),
            (facts.title_company.upper(), "regular"),
        ]
        return blocks.plain_lines(page, lines, left=4.5, top=0.35, points=9) + 0.2
    price = money(facts.price if facts.transfer_tax_amount else 0)
    lines = [
        (f"{rec.label}  Document:{CODES[facts.document_type]} Rec: {money(facts.fees)} Page-1 of {total}", "bold"),
        (f"Excise Docs: {affidavit} Selling Price: {price} Tax Amount: {money(facts.transfer_tax_amount or 0)} "
         f"Record Date:{at.month}/{at.day}/{at.year} {at:%I:%M %p}", "bold"),
        (f"Electronically Recorded  {facts.county} County, WA", "bold"),
    ]  # fmt: skip
    return blocks.plain_lines(page, lines, left=0.3, top=0.25, points=9) + 0.35


def _grant(writer: PageWriter, facts: Facts, rng: random.Random, options: Options) -> None:
    """The granting sentence, typed or with the names and county written by hand on the form's lines."""
    amount = blocks.amount_phrase(facts.consideration, rng) if facts.consideration else None
    if facts.document_type is T.DEED_IN_LIEU_OF_FORECLOSURE:
        reason = "for and in consideration of Grantee's agreement not to foreclose the deed of trust encumbering the property"
    elif amount:
        reason = f"for and in consideration of {amount}, and other valuable consideration in hand paid"
    else:
        reason = rng.choice(("for and in consideration of love and affection", "as a gift, without consideration",
                             "for and in consideration of mere change in identity or form"))  # fmt: skip
    verb = VERBS[facts.document_type]
    place = f"the following described real estate, situated in the County of {facts.county}, State of Washington:"
    if options.hand_fill:
        writer.text("THE GRANTOR(S)", points=10)
        writer.hand(blocks.capitalized(facts.grantor_clause), rng, x=writer.left + 0.4, role="hand_print", points=15)
        writer.paragraph(reason + ",", points=10)
        writer.text(f"{verb}", points=10)
        writer.hand(blocks.capitalized(facts.grantee_clause), rng, x=writer.left + 0.4, role="hand_print", points=15)
        writer.paragraph(place, points=10)
    else:
        writer.paragraph(f"THE GRANTOR(S) {facts.grantor_clause} {reason}, {verb} {facts.grantee_clause}, {place}",
                         points=10)  # fmt: skip
    if facts.document_type is T.QUITCLAIM_DEED:
        writer.text("together with all after acquired title of the grantor(s) herein:", points=10)
    if facts.exemption_sentence:
        writer.paragraph(facts.exemption_sentence, points=9.5)


def _acknowledgment(writer: PageWriter, facts: Facts, rng: random.Random, options: Options) -> None:
    writer.room(2.6)
    writer.gap(0.3)
    writer.text("State of Washington", points=10)
    writer.text(f"County of {facts.county}", points=10)
    writer.gap(0.1)
    names = " and ".join(facts.signers) if facts.grantors[0].kind.value == "person" else facts.grantors[0].full_name
    blocks.acknowledged_on(writer, facts, rng, options, names)
    writer.gap(0.3)
    seal_top = writer.y
    blocks.notary_signature(writer, facts, rng, x=0.9)
    writer.text("Notary Public in and for the State of Washington", points=9)
    blocks.notary_seal(writer.page, facts, left=4.9, top=seal_top, state_name="Washington", county=facts.county)


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer = flowing_writer(pages, family, top=0.9, bottom=10.0)
    title = rng.choice(TITLES[facts.document_type])
    affidavit = f"E{rng.randint(1000, 99999):06d}" if rng.random() < 0.6 else str(rng.randint(3000000, 3999999))
    cover = rng.random() < 0.35
    stamp_style = rng.randrange(2) if not cover else 0
    if cover:
        _cover_sheet(writer.page, facts, rng, title, affidavit)
        writer.page = writer.new_page()
    else:
        writer.y = _stamp(Page(family), facts, stamp_style, 1, affidavit)
    deed_page = writer.page
    blocks.address_block(writer, rng.choice(("When recorded return to:", "RECORD AND RETURN TO:", "AFTER RECORDING MAIL TO:")),
                         blocks.mail_to_lines(facts))  # fmt: skip
    if not cover:
        _treasurer(writer.page, facts, rng, affidavit, top=writer.y + 0.1)
    writer.gap(0.9)
    omitted = {"order_number", "file_number", "tax_statements_to_name"}
    if rng.random() < 0.7:
        writer.text("Filed for record at the request of:", points=9.5)
        writer.text(facts.title_company, points=11, role="bold")
        writer.text(f"{rng.randint(100, 9999)} Woodland Square Loop SE, Suite {rng.randint(100, 500)}", points=9.5)
        writer.text(f"{facts.city}, WA {facts.county_info.zip_prefix}{rng.randint(100, 999)}", points=9.5)
        writer.gap(0.1)
    elif stamp_style == 1:
        omitted.add("title_company")
    if facts.escrow_number:
        writer.text(f"Escrow No.: {facts.escrow_number}", points=9.5)
    writer.gap(0.15)
    writer.text(title, role="bold", points=13, align="center")
    writer.gap(0.1)
    _grant(writer, facts, rng, options)
    writer.gap(0.05)
    legal_page = pages.index(blocks.legal_block(writer, facts, points=10, bold=rng.random() < 0.4)) + 1
    writer.gap(0.1)
    writer.text(f"Abbreviated Legal: {' '.join(facts.legal.keys)}", points=10)
    label = rng.choice(facts.state.apn_labels)
    if options.hand_fill:
        writer.text(label, points=10, advance=False)
        writer.hand(", ".join(facts.apns), rng, x=writer.left + 2.2, role="hand_print", points=15)
    else:
        writer.text(f"{label} {', '.join(facts.apns)}", points=10)
    writer.text(f"Property Address: {facts.situs_address}", points=10)
    writer.gap(0.1)
    writer.text("Subject to: easements, restrictions and reservations of record.", points=10)
    writer.gap(0.2)
    blocks.dated_line(writer, facts, rng, options)
    writer.gap(0.25)
    blocks.signature_lines(writer, facts, rng)
    _acknowledgment(writer, facts, rng, options)
    _stamp(pages[0], facts, stamp_style, len(pages), affidavit)
    rec, at = facts.recording, facts.recorded_at
    first = pages.index(deed_page) + 1
    blocks.mark_pages(pages, lambda n, total: f"{rec.number}  Page {n} of {total} {at:%m/%d/%Y %I:%M %p} {facts.county} County WA"
                      if n > first else "", top=True)  # fmt: skip
    footer = f"{blocks.capitalized(title)} (LPB 10-05)"
    blocks.mark_pages(
        pages, lambda n, total: f"{footer}      Page {n}" if n >= first else "", top=False, align="left", points=7.5
    )
    if stamp_style == 0:
        omitted.add("fees")
    return Composed(pages, legal_page, frozenset(omitted))
