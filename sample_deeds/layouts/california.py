"""California deeds: grant, quitclaim, trust transfer, interspousal deeds and short deeds of trust.

Layouts: ``compact`` (deed with inline legal description + notary page), ``exhibit``
(deed, notary, Exhibit A) and ``cover`` (recorder's cover sheet first, then deed,
notary, Exhibit A). Every page after the first carries the recorder's
"DOC #... Page n of N" header.
"""

from __future__ import annotations

import random

from evaluation.real_truth import InstrumentType as T
from sample_deeds.facts import Facts
from sample_deeds.layouts.blocks import Composed, Options, date_long, dollars_in_words, money
from sample_deeds.page_model import Box, Page, PageWriter

LAYOUTS = ("compact", "exhibit", "cover")
TYPES = (T.GRANT_DEED, T.QUITCLAIM_DEED, T.TRUST_TRANSFER_DEED, T.INTERSPOUSAL_TRANSFER_DEED, T.DEED_OF_TRUST)
TITLES = {
    T.GRANT_DEED: "GRANT DEED",
    T.QUITCLAIM_DEED: "QUITCLAIM DEED",
    T.TRUST_TRANSFER_DEED: "TRUST TRANSFER DEED",
    T.INTERSPOUSAL_TRANSFER_DEED: "INTERSPOUSAL TRANSFER GRANT DEED",
    T.DEED_OF_TRUST: "DEED OF TRUST WITH ASSIGNMENT OF RENTS",
}
VERBS = {
    T.GRANT_DEED: "hereby GRANT(S) to",
    T.QUITCLAIM_DEED: "do(es) hereby REMISE, RELEASE AND FOREVER QUITCLAIM to",
    T.TRUST_TRANSFER_DEED: "hereby GRANT(S) to",
    T.INTERSPOUSAL_TRANSFER_DEED: "hereby GRANT(S) to",
}
_PAGES = {"compact": 2, "exhibit": 3, "cover": 4}
_NOT_PRINTED = frozenset({"file_number"})


def _stamp(writer: PageWriter, facts: Facts, total_pages: int, top: float, rng: random.Random) -> None:
    """Recorder's stamp block at top right, boxed or not, typeset or typewritten."""
    left, width = rng.choice((4.5, 4.75, 4.9)), 3.0
    saved_y = writer.y
    writer.y = top + rng.choice((0.0, 0.08, 0.2))
    size = rng.choice((8.0, 8.5))
    typewriter = rng.random() < 0.35
    lines = [
        ("Electronically Recorded in Official Records", "regular"),
        (f"County of {facts.county}", "bold"),
        (facts.recorder, "regular"),
        (facts.document_number_label, "bold"),
        (facts.recorded_at.strftime("%m/%d/%Y %I:%M %p"), "regular"),
        (f"Titles: 1   Pages: {total_pages}", "regular"),
        (f"Fees: {money(facts.fees - 10)}   Taxes: {money(facts.transfer_tax_amount or 0)}", "regular"),
        (f"Total Fees: {money(facts.fees)}", "regular"),
    ]
    for text, role in lines:
        role = ("mono_bold" if role == "bold" else "mono") if typewriter else role
        writer.text(text, x=left + 0.1, role=role, points=size)
    if rng.random() < 0.6:
        writer.page.items.append(Box(left, top, width, writer.y - top + 0.08))
    writer.y = saved_y


def _mail_block(writer: PageWriter, facts: Facts, heading: str, rng: random.Random) -> None:
    """The requested-by and mail-to blocks, in either order, headings in capitals or title case."""
    requested = rng.choice(("RECORDING REQUESTED BY:", "Recording Requested By:", "Recording requested by:"))
    parts = [
        (requested, [facts.title_company]),
        (heading, [facts.mail_to_name, facts.mail_to_street, facts.mail_to_city_line]),
    ]
    if rng.random() < 0.3:
        parts.reverse()
    for title, lines in parts:
        writer.text(title, points=8.5, role="bold")
        for line in lines:
            writer.text(line, points=rng.choice((9.5, 10.0)))
        writer.gap(rng.choice((0.08, 0.12, 0.2)))


def _numbers_and_apn(writer: PageWriter, facts: Facts, rng: random.Random) -> None:
    parts = []
    if facts.order_number:
        parts.append(f"Order No.: {facts.order_number}")
    if facts.escrow_number:
        parts.append(f"Escrow No.: {facts.escrow_number}")
    if parts:
        writer.text("     ".join(parts), points=9)
    label = rng.choice(facts.state.apn_labels)
    writer.text(f"{label} {', '.join(facts.apns)}", points=9)
    writer.gap(0.05)
    writer.rule()
    writer.gap(0.04)
    writer.text("SPACE ABOVE THIS LINE FOR RECORDER'S USE", points=7.5, align="right")


def _page_header(writer: PageWriter, facts: Facts, number: int, total: int) -> None:
    writer.text(f"DOC #{facts.document_number} Page {number} of {total}", points=8, align="right", x=None)
    writer.gap(0.25)


def _tax_block(writer: PageWriter, facts: Facts) -> None:
    writer.text("THE UNDERSIGNED GRANTOR(S) DECLARE(S):", points=9, role="bold")
    writer.text(f"DOCUMENTARY TRANSFER TAX IS {money(facts.transfer_tax_amount or 0)}", points=9.5, role="bold")
    if facts.exemption_sentence:
        writer.paragraph(facts.exemption_sentence, points=9)
        return
    writer.checkbox("computed on full value of property conveyed, or", True, points=9)
    writer.checkbox(
        "computed on full value less value of liens or encumbrances remaining at time of sale.", False, points=9
    )
    if facts.tax_city:
        writer.checkbox(f"City of {facts.tax_city}", True, points=9)
    else:
        writer.checkbox("Unincorporated area", True, points=9)


def _signatures(writer: PageWriter, facts: Facts, hand_dates: bool) -> None:
    writer.gap(0.15)
    if hand_dates:
        start = writer.text("Dated:", points=10, advance=False)
        writer.text(date_long(facts.dated), x=start.x + 0.6, role="hand", points=15)
    else:
        writer.text(f"Dated: {date_long(facts.dated)}", points=10)
    writer.gap(0.2)
    for signer in facts.signers:
        writer.text(signer.title(), x=writer.left + 0.3, role="hand", points=17, advance=True)
        writer.rule(writer.left, writer.left + 3.2)
        writer.gap(0.03)
        writer.text(signer, points=9)
        writer.gap(0.12)


_OPENINGS = (
    "FOR A VALUABLE CONSIDERATION, receipt of which is hereby acknowledged,",
    "For valuable consideration, receipt of which is hereby acknowledged,",
    "FOR GOOD AND VALUABLE CONSIDERATION, the receipt and sufficiency of which are hereby acknowledged,",
)
_GRANT_VERBS = ("hereby GRANT(S) to", "hereby GRANTS to", "do hereby grant to")
_PROPERTY_PHRASES = (
    "the following described real property in the City of {city}, County of {county}, State of California:",
    "the real property situated in the City of {city}, County of {county}, State of California, described as follows:",
)


def _granting_clause(writer: PageWriter, facts: Facts, inline_legal: bool, rng: random.Random) -> None:
    if facts.consideration is not None:
        figures = money(facts.consideration)
        amount = f"{dollars_in_words(facts.consideration)} ({figures})" if rng.random() < 0.5 else figures
        opening = f"For a valuable consideration of {amount}, receipt of which is hereby acknowledged,"
    else:
        opening = rng.choice(_OPENINGS)
    verb = VERBS[facts.document_type]
    if facts.document_type in (T.GRANT_DEED, T.TRUST_TRANSFER_DEED):
        verb = rng.choice(_GRANT_VERBS)
    grantors, grantees = facts.grantor_clause, facts.grantee_clause
    if rng.random() < 0.2:  # some preparers type names in title case
        grantors, grantees = grantors.title(), grantees.title()
    place = rng.choice(_PROPERTY_PHRASES).format(city=facts.city, county=facts.county)
    writer.paragraph(f"{opening} {grantors} {verb} {grantees} {place}", points=10)
    writer.gap(0.1)
    if inline_legal:
        writer.paragraph(facts.legal.text, points=9.5, left=writer.left + 0.4, right=writer.right - 0.4)
    else:
        writer.text('SEE EXHIBIT "A" ATTACHED HERETO AND MADE A PART HEREOF.', points=10, align="center")
    writer.gap(0.1)
    writer.text(f"Commonly known as: {facts.situs_address}", points=10)


def _deed_of_trust_body(writer: PageWriter, facts: Facts, inline_legal: bool) -> None:
    writer.paragraph(
        f"This DEED OF TRUST, made {date_long(facts.dated)}, between {facts.grantor_clause}, herein called TRUSTOR, "
        f"whose address is {facts.situs_address}, {facts.trustee_company}, A CALIFORNIA CORPORATION, herein called "
        f"TRUSTEE, and {facts.grantee_clause}, herein called BENEFICIARY,",
        points=10,
    )
    writer.gap(0.08)
    writer.paragraph(
        "WITNESSETH: That Trustor grants to Trustee in trust, with power of sale, that property in the City of "
        f"{facts.city}, County of {facts.county}, State of California, described as:",
        points=10,
    )
    writer.gap(0.08)
    if inline_legal:
        writer.paragraph(facts.legal.text, points=9.5, left=writer.left + 0.4, right=writer.right - 0.4)
    else:
        writer.text('SEE EXHIBIT "A" ATTACHED HERETO AND MADE A PART HEREOF.', points=10, align="center")
    writer.gap(0.08)
    writer.text(f"Property commonly known as: {facts.situs_address}", points=10)
    writer.gap(0.08)
    writer.paragraph(
        "For the purpose of securing payment of the indebtedness evidenced by one promissory note of even date "
        f"herewith in the principal sum of {money(facts.loan_amount or 0)}, executed by Trustor in favor of "
        "Beneficiary or order, and performance of each agreement of Trustor incorporated by reference herein.",
        points=10,
    )


def _deed_page(
    page: Page,
    facts: Facts,
    rng: random.Random,
    *,
    total: int,
    number: int,
    stamped: bool,
    inline_legal: bool,
    hand_dates: bool,
) -> None:
    writer = PageWriter(page)
    if number > 1:
        _page_header(writer, facts, number, total)
    top = writer.y
    if stamped:
        _stamp(writer, facts, total, top, rng)
    heading = (
        "MAIL TAX STATEMENTS AND WHEN RECORDED MAIL TO:"
        if facts.tax_statements_to_name
        else "AND WHEN RECORDED MAIL TO:"
    )
    _mail_block(writer, facts, heading, rng)
    writer.y = max(writer.y, top + 1.75)
    _numbers_and_apn(writer, facts, rng)
    writer.gap(0.15)
    writer.text(TITLES[facts.document_type], role="bold", points=15, align="center")
    writer.gap(0.12)
    if facts.document_type is T.DEED_OF_TRUST:
        _deed_of_trust_body(writer, facts, inline_legal)
    else:
        _tax_block(writer, facts)
        writer.gap(0.12)
        _granting_clause(writer, facts, inline_legal, rng)
    _signatures(writer, facts, hand_dates)
    writer.y = 10.3
    writer.text("MAIL TAX STATEMENTS AS DIRECTED ABOVE", points=8, align="center")


def _cover_page(page: Page, facts: Facts, total: int, rng: random.Random) -> None:
    writer = PageWriter(page)
    top = writer.y
    _stamp(writer, facts, total, top, rng)
    _mail_block(writer, facts, "AND WHEN RECORDED MAIL DOCUMENT TO:", rng)
    writer.y = max(writer.y, top + 1.9)
    writer.rule()
    writer.gap(0.05)
    writer.text("SPACE ABOVE THIS LINE FOR RECORDER'S USE", points=7.5, align="right")
    writer.gap(0.3)
    writer.text(TITLES[facts.document_type], role="bold", points=15, align="center")
    writer.text("(Please fill in document title(s) on this line)", points=8, align="center")
    writer.gap(0.4)
    writer.text("Exempt from fee per GC 27388.1 (a) (2); check the reason that applies:", points=9, role="bold")
    taxed = bool(facts.transfer_tax_amount)
    writer.checkbox(
        "recorded in connection with a transfer subject to the imposition of documentary transfer tax", taxed, points=9
    )
    writer.checkbox(
        "recorded in connection with a transfer of real property that is a residential dwelling to an owner-occupier",
        not taxed and facts.document_type is not T.DEED_OF_TRUST,
        points=9,
    )
    writer.checkbox("Not exempt: fee of $75.00 applies (GC 27388.1)", facts.document_type is T.DEED_OF_TRUST, points=9)
    writer.y = 10.3
    writer.text("THIS COVER SHEET ADDED TO PROVIDE ADEQUATE SPACE FOR RECORDING INFORMATION", points=8, align="center")


def _notary_page(page: Page, facts: Facts, *, total: int, number: int, hand_dates: bool) -> None:
    writer = PageWriter(page)
    _page_header(writer, facts, number, total)
    writer.page.items.append(Box(writer.left, writer.y, writer.right - writer.left, 0.62))
    writer.gap(0.07)
    writer.paragraph(
        "A notary public or other officer completing this certificate verifies only the identity of the individual "
        "who signed the document to which this certificate is attached, and not the truthfulness, accuracy, or "
        "validity of that document.",
        points=8.5,
        left=writer.left + 0.1,
        right=writer.right - 0.1,
    )
    writer.gap(0.25)
    writer.text("ACKNOWLEDGMENT", role="bold", points=12, align="center")
    writer.gap(0.1)
    writer.text("STATE OF CALIFORNIA )", points=10)
    writer.text(f"COUNTY OF {facts.county.upper()} ) SS.", points=10)
    writer.gap(0.12)
    names = " AND ".join(facts.signers)
    if hand_dates:
        writer.text("On", points=10, advance=False)
        writer.text(date_long(facts.notary_date), x=writer.left + 0.3, role="hand", points=15, advance=False)
        writer.text(f"before me, {facts.notary_name}, Notary Public,", x=writer.left + 2.6, points=10)
        writer.paragraph(
            f"personally appeared {names}, who proved to me on the basis of satisfactory evidence to be "
            "the person(s) whose name(s) is/are subscribed to the within instrument and acknowledged to me "
            "that he/she/they executed the same in his/her/their authorized capacity(ies).",
            points=10,
        )
    else:
        writer.paragraph(
            f"On {date_long(facts.notary_date)} before me, {facts.notary_name}, Notary Public, personally appeared "
            f"{names}, who proved to me on the basis of satisfactory evidence to be the person(s) whose name(s) is/are "
            "subscribed to the within instrument and acknowledged to me that he/she/they executed the same in "
            "his/her/their authorized capacity(ies).",
            points=10,
        )
    writer.gap(0.1)
    writer.paragraph(
        "I certify under PENALTY OF PERJURY under the laws of the State of California that the foregoing "
        "paragraph is true and correct.",
        points=10,
    )
    writer.gap(0.1)
    writer.text("WITNESS my hand and official seal.", points=10)
    writer.gap(0.3)
    writer.text(facts.notary_name.title(), x=writer.left + 0.8, role="hand", points=17)
    writer.rule(writer.left + 0.7, writer.left + 3.6)
    writer.gap(0.03)
    writer.text("Signature", x=writer.left + 0.7, points=8.5)
    seal_top, seal_left = writer.y - 1.0, 5.0
    writer.page.items.append(Box(seal_left, seal_top, 2.5, 1.05))
    seal = PageWriter(page, left=seal_left + 0.12, right=seal_left + 2.4, y=seal_top + 0.08)
    for text in (
        facts.notary_name,
        "Notary Public - California",
        f"{facts.county} County",
        f"Commission # {facts.notary_commission}",
        f"My Comm. Expires {facts.notary_expires.strftime('%b')} {facts.notary_expires.day}, {facts.notary_expires.year}",
    ):
        seal.text(text, points=8, align="center")


def _exhibit_page(page: Page, facts: Facts, *, total: int, number: int) -> None:
    writer = PageWriter(page)
    _page_header(writer, facts, number, total)
    writer.gap(0.2)
    writer.text('EXHIBIT "A"', role="bold", points=13, align="center")
    writer.text("LEGAL DESCRIPTION", role="bold", points=11, align="center")
    writer.gap(0.25)
    writer.paragraph(facts.legal.text, points=10.5)
    writer.gap(0.3)
    writer.text(f"APN: {', '.join(facts.apns)}", points=10.5)


def compose(facts: Facts, family: str, rng: random.Random, options: Options, *, layout: str) -> Composed:
    hand_dates = options.hand_dates
    total = _PAGES[layout]
    pages = [Page(family) for _ in range(total)]
    if layout == "cover":
        _cover_page(pages[0], facts, total, rng)
        _deed_page(
            pages[1], facts, rng, total=total, number=2, stamped=False, inline_legal=False, hand_dates=hand_dates
        )
        _notary_page(pages[2], facts, total=total, number=3, hand_dates=hand_dates)
        _exhibit_page(pages[3], facts, total=total, number=4)
        return Composed(pages, 4, _NOT_PRINTED)
    inline = layout == "compact"
    _deed_page(pages[0], facts, rng, total=total, number=1, stamped=True, inline_legal=inline, hand_dates=hand_dates)
    _notary_page(pages[1], facts, total=total, number=2, hand_dates=hand_dates)
    if layout == "exhibit":
        _exhibit_page(pages[2], facts, total=total, number=3)
    return Composed(pages, 1 if inline else 3, _NOT_PRINTED)
