"""Court decrees that pass title: final distribution of an estate, decree of heirship.

A certified copy recorded like a deed: the court's caption with the case number, "In the
Matter of the Estate of ..., Deceased", the decree's title, recitals, the order distributing
the real property (legal description, parcel number, street address) to the heirs, and the
judge's signature and date. The truth: the decedent is the grantor, the distributees the
grantees, the case number the file number; a decree has no notary.
"""

from __future__ import annotations

import random

from sample_deeds.facts import Facts
from sample_deeds.layouts import blocks
from sample_deeds.layouts.blocks import Composed, Options
from sample_deeds.page_model import Box, Page

STATES = ("CA", "CO", "TX", "WA", "AZ")
COURTS = {
    "CA": "SUPERIOR COURT OF CALIFORNIA, COUNTY OF {county}",
    "CO": "DISTRICT COURT, {county} COUNTY, COLORADO",
    "TX": "IN THE PROBATE COURT NO. 1 OF {county} COUNTY, TEXAS",
    "WA": "SUPERIOR COURT OF WASHINGTON IN AND FOR {county} COUNTY",
    "AZ": "IN THE SUPERIOR COURT OF THE STATE OF ARIZONA IN AND FOR THE COUNTY OF {county}",
}
TITLES = ("JUDGMENT OF FINAL DISTRIBUTION", "ORDER FOR FINAL DISTRIBUTION", "DECREE OF DISTRIBUTION",
          "DECREE OF HEIRSHIP AND DISTRIBUTION")  # fmt: skip
JUDGES = ("HON. MARGARET T. OSEI", "HON. DANIEL R. FAIRBANKS", "HON. LUCIA MENDOZA-PARK", "HON. WARREN K. STOLL")


def compose(facts: Facts, family: str, rng: random.Random, options: Options) -> Composed:
    pages: list[Page] = []
    writer, stamp = blocks.stamped_start(pages, facts, family, rng, top=0.9, bottom=10.1)
    return_to = ("RECORDING REQUESTED BY AND WHEN RECORDED MAIL TO:", "Return to:")
    blocks.heading_blocks(writer, rng, [(return_to, blocks.mail_to_lines(facts))])
    writer.gap(0.1)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=9.5)
    writer.rule()
    writer.gap(0.2)
    writer.text(COURTS[facts.state.code].format(county=facts.county.upper()), role="bold", points=11, align="center")
    writer.gap(0.15)
    top = writer.y
    writer.paragraph(f"In the Matter of the Estate of {facts.decedent}, Deceased.", points=10.5, left=1.0, right=4.5)
    writer.y = top
    writer.text(f"Case No. {facts.file_number}", x=5.0, points=10.5)
    writer.y = max(writer.y, top + 0.5)
    writer.page.items.append(Box(writer.left, top - 0.08, 3.8, writer.y - top + 0.05))
    writer.gap(0.2)
    writer.text(rng.choice(TITLES), role="bold", points=13, align="center")
    writer.gap(0.15)
    heirs = " and ".join(p.full_name for p in facts.grantees)
    writer.paragraph(
        f"The petition for final distribution of the estate of {facts.decedent}, deceased, came on regularly for "
        f"hearing on {blocks.date_long(facts.dated)}. The Court finds that notice of the hearing was given as required "
        "by law, that all debts, taxes and expenses of administration have been paid, and that the estate is in a "
        "condition to be closed.", points=10)  # fmt: skip
    writer.gap(0.08)
    share = "in equal shares" if len(facts.grantees) > 1 else "as sole distributee"
    writer.paragraph(f"IT IS ORDERED, ADJUDGED AND DECREED that the following real property of the estate is "
                     f"distributed to {heirs}, {share}:", points=10)  # fmt: skip
    writer.gap(0.06)
    legal_page = pages.index(blocks.legal_block(writer, facts)) + 1
    writer.text(f"Commonly known as: {facts.situs_address}", points=10)
    writer.gap(0.3)
    writer.room(1.2)
    if options.hand_dates:
        start = writer.text("Dated:", points=10, advance=False)
        writer.hand(blocks.date_long(facts.dated), rng, x=start.x + 0.7, points=14)
    else:
        writer.text(f"Dated: {blocks.date_long(facts.dated)}", points=10)
    judge = rng.choice(JUDGES)
    writer.hand(judge.replace("HON. ", "").title(), rng, x=4.6, points=16)
    writer.rule(4.3, 7.6)
    writer.text(f"{judge}, Judge", x=4.3, points=9)
    writer.gap(0.3)
    writer.text("I certify that the foregoing is a full, true and correct copy of the original on file in my office.",
                points=8.5)  # fmt: skip
    stamp.draw(pages[0], facts, len(pages))
    omitted = {"notary_date", "title_company", "escrow_number", "order_number", "tax_statements_to_name",
               "consideration", "transfer_tax_amount", "transfer_tax_exemption", "grantee_vesting", "vesting"}  # fmt: skip
    return Composed(pages, legal_page, frozenset(omitted))
