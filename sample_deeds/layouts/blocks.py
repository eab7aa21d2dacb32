"""Blocks every layout draws: amounts and dates as deeds print them, stamps, signatures, notary seals.

Functions take a ``PageWriter`` and the document's ``Facts`` and draw at the cursor;
the random choices they make (wording, order, placement) come from the caller's ``rng``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sample_deeds.facts import Facts
from sample_deeds.page_model import PAGE_HEIGHT, PAGE_WIDTH, Box, Page, PageWriter, flowing_writer


@dataclass(frozen=True)
class Options:
    hand_dates: bool  # dates written by hand on the lines (dated, acknowledgment)
    hand_fill: bool  # names, amounts, county written by hand on a form's lines


@dataclass(frozen=True)
class Composed:
    pages: list[Page]
    legal_page: int | None  # 1-based page where the legal description starts
    # truth fields the layout does not print (so they are not truth); "vesting": the parties' vesting
    omitted: frozenset[str] = frozenset()


def mark_pages(pages: list[Page], mark, *, top: bool, points: float = 8.0, align: str = "right") -> None:
    """Write ``mark(number, total)`` in the top or bottom margin of every page it returns text for."""
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        text = mark(number, total)
        if text:
            writer = PageWriter(page, y=0.35 if top else PAGE_HEIGHT - 0.55)
            writer.text(text, points=points, align=align)


def capitalized(text: str) -> str:
    """Each word capitalized ("Personal Representative's Deed"), unlike str.title's "Representative'S"."""
    return " ".join(word.capitalize() for word in text.split())


def money(value: float) -> str:
    return f"${value:,.2f}"


def date_long(value: dt.date) -> str:
    return f"{value.strftime('%B')} {value.day}, {value.year}"


def date_numeric(value: dt.date) -> str:
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def dollars_in_words(amount: float) -> str:
    """400000.0 -> 'Four Hundred Thousand and 00/100 Dollars'."""
    ones = (
        "Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Sixteen "
        "Seventeen Eighteen Nineteen".split()
    )
    tens = "Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety".split()

    def below_thousand(n: int) -> list[str]:
        words = []
        if n >= 100:
            words += [ones[n // 100], "Hundred"]
            n %= 100
        if n >= 20:
            words.append(tens[n // 10 - 2] + (f"-{ones[n % 10]}" if n % 10 else ""))
        elif n:
            words.append(ones[n])
        return words

    whole, cents = int(amount), round((amount - int(amount)) * 100)
    words: list[str] = []
    for scale, name in ((1_000_000, "Million"), (1_000, "Thousand"), (1, "")):
        chunk = whole // scale % 1000
        if chunk:
            words += below_thousand(chunk) + ([name] if name else [])
    return f"{' '.join(words or ['Zero'])} and {cents:02d}/100 Dollars"


def amount_phrase(amount: float, rng: random.Random) -> str:
    """An amount as deeds state it: in figures, or in words and figures, in one of several styles."""
    words = dollars_in_words(amount)
    style = rng.randrange(5)
    if style == 0:
        return money(amount)
    if style == 1:
        return f"{words} ({money(amount)})"
    if style == 2:
        return f"{words.upper()} ({money(amount)})"
    if style == 3:
        return f"{words.replace(' and 00/100', ' And No/100')} ({money(amount)})"
    return f"the sum of {money(amount)}"


def boxed_lines(page: Page, lines: list[tuple[str, str]], *, left: float, top: float, width: float, points: float):
    """Text lines (text, role) inside a rectangle: a recorder's stamp, a treasurer's stamp."""
    writer = PageWriter(page, left=left + 0.08, right=left + width - 0.08, y=top + 0.07)
    for text, role in lines:
        writer.text(text, role=role, points=points)
    page.items.append(Box(left, top, width, writer.y - top + 0.06))
    return writer.y + 0.06


def plain_lines(page: Page, lines: list[tuple[str, str]], *, left: float, top: float, points: float) -> float:
    writer = PageWriter(page, left=left, right=PAGE_WIDTH - 0.3, y=top)
    for text, role in lines:
        writer.text(text, role=role, points=points)
    return writer.y


def address_block(writer: PageWriter, heading: str, lines: list[str], *, points: float = 9.5) -> None:
    writer.text(heading, points=points - 0.5, role="bold")
    for line in lines:
        writer.text(line, points=points)


def mail_to_lines(facts: Facts) -> list[str]:
    return [facts.mail_to_name, facts.mail_to_street, facts.mail_to_city_line]


def dated_line(writer: PageWriter, facts: Facts, rng: random.Random, options: Options, label: str = "Dated:") -> None:
    if options.hand_dates:
        start = writer.text(label, points=10, advance=False)
        writer.rule(start.x + 0.55, start.x + 3.0)
        writer.hand(rng.choice((date_long(facts.dated), f"{facts.dated.month}/{facts.dated.day}/{facts.dated:%y}")),
                    rng, x=start.x + 0.65, points=14)  # fmt: skip
    else:
        writer.text(f"{label} {date_long(facts.dated)}", points=10)


def signature_lines(writer: PageWriter, facts: Facts, rng: random.Random, *, x: float | None = None) -> None:
    """A scrawl above a rule and the printed name under it, for each signer."""
    left = writer.left if x is None else x
    for signer in facts.signers:
        writer.hand(signer.title(), rng, x=left + 0.3, points=17)
        writer.rule(left, left + 3.0)
        writer.gap(0.03)
        writer.text(signer, x=left, points=9)
        writer.gap(0.12)


def notary_seal(page: Page, facts: Facts, *, left: float, top: float, state_name: str, county: str) -> None:
    """The notary's rubber-stamp seal: name, commission number, county, expiry."""
    expires = facts.notary_expires
    lines = [
        (facts.notary_name, "bold"),
        (f"Notary Public - State of {state_name}", "regular"),
        (f"{county} County", "regular"),
        (f"Commission # {facts.notary_commission}", "regular"),
        (f"My Comm. Expires {expires.strftime('%b')} {expires.day}, {expires.year}", "regular"),
    ]
    boxed_lines(page, lines, left=left, top=top, width=2.5, points=8)


def acknowledged_on(writer: PageWriter, facts: Facts, rng: random.Random, options: Options, names: str) -> None:
    """'This record was acknowledged before me on <date> by <names>.' (uniform acknowledgment wording)."""
    if options.hand_dates:
        start = writer.text("This instrument was acknowledged before me on", points=10, advance=False)
        writer.rule(start.x + 3.05, start.x + 5.2)
        writer.hand(date_long(facts.notary_date), rng, x=start.x + 3.15, points=14)
        writer.paragraph(f"by {names}.", points=10)
    else:
        writer.paragraph(f"This instrument was acknowledged before me on {date_long(facts.notary_date)} by {names}.",
                         points=10)  # fmt: skip


def acknowledged_this_day(writer: PageWriter, facts: Facts, rng: random.Random, options: Options, names: str) -> None:
    """'... acknowledged before me this 23rd day of May, 2023, by <names>' (day and month often by hand)."""
    day, month, year = ordinal(facts.notary_date.day), facts.notary_date.strftime("%B"), facts.notary_date.year
    if options.hand_dates:
        start = writer.text("The foregoing instrument was acknowledged before me this", points=10, advance=False)
        x = start.x + 3.75
        writer.rule(x, x + 0.5)
        writer.hand(day, rng, x=x + 0.05, points=14, advance=False)
        writer.text("day of", x=x + 0.55, points=10, advance=False)
        writer.rule(x + 1.0, x + 2.0)
        writer.hand(month, rng, x=x + 1.05, points=14, advance=False)
        writer.text(f", {year},", x=x + 2.0, points=10)
        writer.paragraph(f"by {names}.", points=10)
    else:
        writer.paragraph(
            f"The foregoing instrument was acknowledged before me this {day} day of {month}, {year}, by {names}.",
            points=10,
        )


def notary_signature(writer: PageWriter, facts: Facts, rng: random.Random, *, x: float | None = None) -> None:
    left = writer.left if x is None else x
    writer.hand(facts.notary_name.title(), rng, x=left + 0.3, points=16)
    writer.rule(left, left + 3.0)
    writer.gap(0.03)
    writer.text("Notary Public", x=left, points=9)
    writer.text(f"Printed Name: {facts.notary_name}", x=left, points=9)
    expires = facts.notary_expires
    writer.text(f"My commission expires: {expires.month}/{expires.day}/{expires.year}", x=left, points=9)


def legal_block(writer: PageWriter, facts: Facts, *, points: float = 9.5, bold: bool = False) -> Page:
    """The legal description, indented; returns the page it starts on."""
    writer.room(points * 1.45 / 72)
    start = writer.page
    writer.paragraph(
        facts.legal.text,
        points=points,
        left=writer.left + 0.4,
        right=writer.right - 0.4,
        role="bold" if bold else "regular",
    )
    return start


def exhibit_page(page: Page, facts: Facts, rng: random.Random, *, top: float = 0.85) -> None:
    writer = PageWriter(page, y=top)
    writer.text(rng.choice(('EXHIBIT "A"', "EXHIBIT A", "Exhibit A")), role="bold", points=13, align="center")
    writer.text(rng.choice(("LEGAL DESCRIPTION", "Legal Description", "PROPERTY DESCRIPTION")), role="bold",
                points=11, align="center")  # fmt: skip
    writer.gap(0.25)
    writer.paragraph(facts.legal.text, points=10.5)
    writer.gap(0.3)
    writer.text(f"{rng.choice(facts.state.apn_labels)} {', '.join(facts.apns)}", points=10.5)
    writer.text(f"Property Address: {facts.situs_address}", points=10.5)


def signer_names(facts: Facts) -> str:
    """Who appears before the notary: the signing persons, or the company that signs."""
    return " and ".join(facts.signers) if facts.grantors[0].kind.value == "person" else facts.grantors[0].full_name


def acknowledgment(
    writer: PageWriter, facts: Facts, rng: random.Random, options: Options, *, venue: list[str], this_day: bool
) -> None:
    """Venue lines ("STATE OF ... ) ss."), the acknowledgment sentence, notary signature and seal."""
    writer.room(2.8)
    writer.gap(0.25)
    for line in venue:
        writer.text(line, points=10, role="bold")
    writer.gap(0.1)
    sentence = acknowledged_this_day if this_day else acknowledged_on
    sentence(writer, facts, rng, options, signer_names(facts))
    if rng.random() < 0.5:
        writer.text("WITNESS my hand and official seal.", points=10)
    writer.gap(0.3)
    seal_top = writer.y
    seal_left = rng.choice((0.9, 4.9))
    notary_signature(writer, facts, rng, x=4.4 if seal_left == 0.9 else 0.9)
    notary_seal(writer.page, facts, left=seal_left, top=seal_top, state_name=facts.state.name, county=facts.county)


@dataclass(frozen=True)
class RecorderStamp:
    """A recorder's stamp at top right (any state): number, date and time, county, pages, fees.

    Its place is reserved when the first page is started and it is drawn once the pages are
    counted, since it states their number.
    """

    typewriter: bool
    left: float

    def draw(self, page: Page, facts: Facts, total: int) -> float:
        """Draws the stamp; returns where the text below it may start."""
        at = facts.recorded_at
        regular, bold = ("mono", "mono_bold") if self.typewriter else ("regular", "bold")
        lines = [
            (facts.recording.label, bold),
            *([(f"BK {facts.recording.book} PG {facts.recording.page}", regular)] if facts.recording.book else []),
            (f"{at:%m/%d/%Y %I:%M %p}  Pages: {total}", regular),
            (f"{facts.recorder}", regular),
            (f"{facts.county} County, {facts.state.name}", regular),
            (f"Fees: {money(facts.fees)}", regular),
        ]
        return plain_lines(page, lines, left=self.left, top=0.35, points=8) + 0.2


def stamped_start(
    pages: list[Page], facts: Facts, family: str, rng: random.Random, **flow
) -> tuple[PageWriter, RecorderStamp]:
    """A flowing writer whose first page leaves room for the recorder's stamp, and that stamp."""
    stamp = RecorderStamp(rng.random() < 0.5, rng.choice((4.4, 4.7, 5.0)))
    writer = flowing_writer(pages, family, **flow)
    writer.y = stamp.draw(Page(family), facts, 1) + rng.choice((0.0, 0.25, 0.5))
    return writer, stamp


def heading_blocks(writer: PageWriter, rng: random.Random, entries: list[tuple[tuple[str, ...], list[str]]]) -> None:
    """Address blocks ("Prepared by", "When recorded mail to") with headings drawn from their choices, in either order."""
    chosen = [(rng.choice(headings), lines) for headings, lines in entries]
    if rng.random() < 0.4:
        chosen.reverse()
    points = rng.choice((9.0, 9.5, 10.0))
    for heading, lines in chosen:
        address_block(writer, heading, lines, points=points)
        writer.gap(0.1)
