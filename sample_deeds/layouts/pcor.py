"""California Preliminary Change of Ownership Report (BOE-502-A), filed with every deed there.

Two pages of a state form: seller and buyer, parcel number, property address, where to mail
tax information, then YES / NO questions (Part 1) and multi-column check boxes for the kind
of transfer, the price and terms, and the property (Parts 2 to 4), and the buyer's signed
certification. The values are typed, or written by hand (printed capitals) with hand-drawn X
marks. A PCOR is not recorded on its own: it carries no recording stamp or legal description.
"""

from __future__ import annotations

import random

from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options
from sample_deeds.page_model import PAGE_WIDTH, Box, Page, PageWriter, Text

PART_1 = (
    "This transfer is solely between spouses (addition or removal of a spouse, death of a spouse, divorce settlement).",
    "This transfer is solely between domestic partners currently registered with the California Secretary of State.",
    "This is a transfer between parent(s) and child(ren) or from grandparent(s) to grandchild(ren).",
    "This transfer is the result of a cotenant's death.",
    "This transaction is to replace a principal residence owned by a person 55 years of age or older.",
    "This transaction is to replace a principal residence by a person who is severely disabled.",
    "This transfer is solely to correct the name(s) of the person(s) holding title to the property.",
    "The recorded document creates, terminates, or reconveys a lender's interest in the property.",
    "This transfer is to a revocable trust that may be revoked by the transferor.",
    "This property is subject to a lease with a remaining lease term of 35 years or more.",
    "This is a transfer of property to or from a legal entity that results in a change in control.",
    "This transfer is the result of a tenancy-in-common ownership interest being sold.",
)
TRANSFER_KINDS = ("Purchase", "Foreclosure", "Gift", "Trade or exchange", "Merger or stock acquisition",
                  "Contract of sale", "Inheritance", "Other")  # fmt: skip
PROPERTY_KINDS = ("Single-family residence", "Multiple-family residence", "Commercial/Industrial", "Agricultural",
                  "Co-op/Own-your-own", "Manufactured home", "Condominium", "Unimproved lot", "Timeshare")  # fmt: skip
FINANCING = ("FHA", "VA", "Conventional", "Cal-Vet", "Seller financing", "Balloon payment")


def _field(page: Page, label: str, value: str, *, x: float, y: float, width: float, rng, options: Options) -> None:
    """A labelled box of the form with its value typed or written inside."""
    page.items.append(Box(x, y, width, 0.42))
    page.items.append(Text(x + 0.05, y + 0.03, label, "bold", 6.5))
    if not value:
        return
    if options.hand_fill:
        PageWriter(page, y=y + 0.2).hand(
            blocks.capitalized(value), rng, x=x + 0.1, role="hand_print", points=13, advance=False
        )
    else:
        page.items.append(Text(x + 0.1, y + 0.2, value, "regular", 9.5))


def _check(writer: PageWriter, rng: random.Random, label: str, checked: bool, *, x: float, options: Options) -> None:
    """A check box with its label; filled with a typed X, or with a hand-drawn one on hand-filled forms."""
    top = writer.y
    writer.checkbox(label, checked and not options.hand_fill, x=x, points=8.5)
    if checked and options.hand_fill:
        mark = Text(x + rng.uniform(-0.03, 0.02), top - 0.06, "X", "hand", 15, round(rng.uniform(-10, 10), 1))
        writer.page.items.append(mark)


def _yes_no(writer: PageWriter, rng: random.Random, letter: str, question: str, yes: bool, options: Options) -> None:
    writer.room(0.3)
    top = writer.y
    for column, checked in ((writer.left, yes), (writer.left + 0.35, not yes)):
        writer.y = top
        _check(writer, rng, "", checked, x=column, options=options)
    writer.y = top
    writer.paragraph(f"{letter}. {question}", points=8.5, left=writer.left + 0.75)


def _columns(writer: PageWriter, rng, labels, chosen: str, options: Options, count: int = 3) -> None:
    width = (writer.right - writer.left) / count
    for start in range(0, len(labels), count):
        top = writer.y
        for offset, label in enumerate(labels[start : start + count]):
            writer.y = top
            _check(writer, rng, label, label == chosen, x=writer.left + offset * width, options=options)
        writer.y = top + 0.2


def _page_one(page: Page, facts: Facts, rng: random.Random, options: Options) -> None:
    writer = PageWriter(page, y=0.45)
    writer.text("BOE-502-A (P1) REV. 18 (05-21)", points=7)
    writer.text(f"{facts.county.upper()} COUNTY ASSESSOR", points=8, align="right")
    writer.text("PRELIMINARY CHANGE OF OWNERSHIP REPORT", role="bold", points=13, align="center")
    writer.paragraph("To be completed by the transferee (buyer) prior to a transfer of subject property, in accordance "
                     "with section 480 of the Revenue and Taxation Code. A Preliminary Change of Ownership Report must "
                     "be filed with each conveyance in the County Recorder's office for the county where the property "
                     "is located.", points=7.5)  # fmt: skip
    y, half = writer.y + 0.1, (PAGE_WIDTH - 1.8) / 2
    seller = " AND ".join(p.full_name for p in facts.grantors)
    buyer = " AND ".join(p.full_name for p in facts.grantees)
    rows = [
        [("SELLER/TRANSFEROR", seller, 2 * half)],
        [("BUYER/TRANSFEREE", buyer, 2 * half)],
        [("ASSESSOR'S PARCEL NUMBER(S)", ", ".join(facts.apns), half), ("BUYER'S DAYTIME TELEPHONE NUMBER",
         f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}", half)],
        [("STREET ADDRESS OR PHYSICAL LOCATION OF REAL PROPERTY", facts.situs_address, 2 * half)],
        [("MAIL PROPERTY TAX INFORMATION TO (NAME)", facts.mail_to_name, 2 * half)],
        [("ADDRESS", facts.mail_to_street, half), ("CITY, STATE, ZIP CODE", facts.mail_to_city_line, half)],
    ]  # fmt: skip
    for row in rows:
        x = 0.9
        for label, value, width in row:
            _field(page, label, value, x=x, y=y, width=width, rng=rng, options=options)
            x += width
        y += 0.42
    writer.y = y + 0.12
    _yes_no(writer, rng, "", "This property is intended as my principal residence.", rng.random() < 0.7, options)
    writer.gap(0.08)
    writer.text("PART 1. TRANSFER INFORMATION    Please complete all statements.", role="bold", points=9)
    writer.text("YES    NO", points=7.5, role="bold")
    trust_question = 8
    for index, question in enumerate(PART_1):
        _yes_no(writer, rng, chr(ord("A") + index), question, index == trust_question and rng.random() < 0.1, options)


def _page_two(page: Page, facts: Facts, rng: random.Random, options: Options) -> None:
    writer = PageWriter(page, y=0.45)
    writer.text("BOE-502-A (P2) REV. 18 (05-21)", points=7)
    writer.text("PART 2. OTHER TRANSFER INFORMATION    Check and complete as applicable.", role="bold", points=9)
    writer.text("A. Date of transfer, if other than recording date:", points=8.5)
    writer.text("B. Type of transfer:", points=8.5)
    _columns(writer, rng, TRANSFER_KINDS, "Purchase", options)
    writer.gap(0.1)
    writer.text("PART 3. PURCHASE PRICE AND TERMS OF SALE", role="bold", points=9)
    price = blocks.money(facts.consideration or 0)
    if options.hand_fill:
        writer.text("A. Total purchase price", points=8.5, advance=False)
        writer.hand(price, rng, x=5.6, role="hand_print", points=14)
    else:
        writer.text(f"A. Total purchase price {'.' * 60} {price}", points=8.5)
    down = blocks.money(round((facts.consideration or 0) * rng.choice((0.1, 0.2, 0.25)), 2))
    writer.text(
        f"B. Cash down payment or value of trade or exchange excluding closing costs    Amount {down}", points=8.5
    )
    writer.text(
        f"C. First deed of trust @ {rng.choice(('6.25', '6.875', '7.125'))}% interest for 30 years.", points=8.5
    )
    _columns(writer, rng, FINANCING, rng.choice(FINANCING[:3]), options)
    writer.text("D. Second deed of trust @ ___% interest for ___ years.   Amount $", points=8.5)
    writer.text("E. Was an Improvement Bond or other public financing assumed by the buyer?", points=8.5)
    writer.text("F. Amount, if any, of real estate commission fees paid by the buyer which are not included in the "
                "purchase price", points=8.5)  # fmt: skip
    writer.text("G. The property was purchased:", points=8.5)
    _columns(writer, rng, ("Through real estate broker", "Direct from seller", "From a family member"),
             "Through real estate broker", options)  # fmt: skip
    writer.gap(0.1)
    writer.text("PART 4. PROPERTY INFORMATION", role="bold", points=9)
    writer.text("A. Type of property transferred", points=8.5)
    _columns(writer, rng, PROPERTY_KINDS, rng.choice(PROPERTY_KINDS[:1] * 4 + PROPERTY_KINDS[6:7]), options)
    writer.text("E. The condition of the property at the time of sale was:", points=8.5)
    _columns(writer, rng, ("Good", "Average", "Fair", "Poor"), rng.choice(("Good", "Average")), options, count=4)
    writer.gap(0.15)
    writer.text("CERTIFICATION", role="bold", points=9, align="center")
    writer.paragraph("I certify (or declare) that the foregoing and all information hereon, including any accompanying "
                     "statements or documents, is true and correct to the best of my knowledge and belief.", points=8)  # fmt: skip
    writer.gap(0.35)
    buyer = facts.grantees[0].full_name
    top = writer.y
    writer.hand(buyer.title(), rng, x=1.1, points=16, advance=False)
    date = blocks.date_numeric(facts.dated)
    if options.hand_dates or options.hand_fill:
        writer.hand(rng.choice((date, f"{facts.dated.month}/{facts.dated.day}/{facts.dated:%y}")), rng, x=5.9, points=14,
                    advance=False)  # fmt: skip
    else:
        writer.text(date, x=5.9, points=10, advance=False)
    writer.y = top + 0.28
    writer.rule()
    writer.text("SIGNATURE OF BUYER/TRANSFEREE OR CORPORATE OFFICER", points=6.5, advance=False)
    writer.text("DATE", x=5.9, points=6.5)
    writer.gap(0.2)
    writer.text(buyer, points=9.5)
    writer.rule()
    writer.text("NAME OF BUYER/TRANSFEREE/LEGAL REPRESENTATIVE/CORPORATE OFFICER (PLEASE PRINT)", points=6.5)


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages = [Page(family), Page(family)]
    _page_one(pages[0], facts, rng, options)
    _page_two(pages[1], facts, rng, options)
    omitted = {
        "document_number", "book", "book_page", "recorded_date", "recorded_time", "fees", "trustees",
        "grantee_vesting", "legal_description", "legal_description_page", "legal_description_keys",
        "tax_statements_to_name", "transfer_tax_amount", "transfer_tax_exemption", "notary_date", "title_company",
        "escrow_number", "order_number", "file_number", "vesting",
    }  # fmt: skip
    return Composed(pages, None, frozenset(omitted))
