"""Invented parties: persons, couples, trusts, companies, lenders, title companies, notaries.

Every name is drawn from common first and last names or made-up company stems; none is a
real party to a real instrument.
"""

from __future__ import annotations

import random

from sample_deeds.ground_truth import TruthParty
from textract_pipeline.extraction.schema_v1 import EntityKind

FIRST_NAMES = (
    "JAMES MARY ROBERT PATRICIA MICHAEL LINDA DAVID ELIZABETH WILLIAM BARBARA RICHARD SUSAN JOSEPH JESSICA "
    "THOMAS KAREN CHARLES NANCY DANIEL LISA MATTHEW MARGARET ANTHONY SANDRA MARK ASHLEY STEVEN EMILY PAUL "
    "DONNA ANDREW MICHELLE KENNETH CAROL KEVIN AMANDA BRIAN MELISSA GEORGE DEBORAH MIGUEL ROSA CARLOS ANA "
    "HIEU LAN WEI MEI RAJESH PRIYA"
).split()
MIDDLE = "A. B. C. D. E. F. G. H. J. K. L. M. P. R. S. T. W. ANN LEE MARIE RAY JOSEPH LYNN EDWARD".split()
LAST_NAMES = (
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ GONZALEZ "
    "WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS SANCHEZ CLARK "
    "RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL FLORES GREEN ADAMS "
    "NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS NAKAMURA PATEL CHEN OKAFOR"
).split()
SUFFIXES = ("JR.", "SR.", "III")
COMPANY_STEMS = (
    "PACIFIC CREST",
    "GOLDEN OAK",
    "SIERRA VISTA",
    "HARBOR POINT",
    "REDWOOD",
    "MISSION BAY",
    "CANYON RIDGE",
    "BLUE HERON",
    "SUNSET HILLS",
    "COASTAL PLAINS",
    "SAWGRASS",
    "CEDAR HOLLOW",
    "PALO VERDE",
    "LONE STAR MEADOWS",
    "FRONT RANGE",
)
COMPANY_FORMS = (
    ("HOLDINGS, LLC", "A {state} LIMITED LIABILITY COMPANY"),
    ("PROPERTIES, LLC", "A DELAWARE LIMITED LIABILITY COMPANY"),
    ("INVESTMENTS, INC.", "A {state} CORPORATION"),
    ("REALTY GROUP, LP", "A {state} LIMITED PARTNERSHIP"),
    ("HOMES, LLC", "A {state} LIMITED LIABILITY COMPANY"),
)
LENDERS = (
    "WESTERN SUMMIT MORTGAGE, INC.",
    "GOLDEN STATE HOME LOANS, LLC",
    "PACIFIC FIRST BANK, N.A.",
    "REDWOOD FEDERAL CREDIT UNION",
    "SUNCOAST HOME LENDING, LLC",
    "EVERGREEN SOUND MORTGAGE CORPORATION",
    "DESERT BLOOM FINANCIAL, INC.",
    "TRINITY RIVER NATIONAL BANK",
    "MILE HIGH HOME FUNDING, LLC",
)
TITLE_COMPANIES = (
    "First Coastal Title Company",
    "Golden Gate Title Insurance Company",
    "Pacific Escrow & Title, Inc.",
    "Sierra National Title Company",
    "Landmark Title Services",
    "Bayview Title Company",
    "Keystone Land Title, LLC",
    "Cascade Crest Title Company",
    "Saguaro Title Agency, Inc.",
    "Bluebonnet Title Company",
    "Summit Peak Title, LLC",
)
LAW_FIRMS = (
    "HOLLOWAY & REYES, P.A.",
    "MARTIN BRANDT LAW GROUP, PLLC",
    "OKAFOR & LIND, ATTORNEYS AT LAW",
    "THE LAW OFFICE OF SARAH J. WEISS, P.C.",
)
NOTARIES = (
    "KIMBERLY R. TRAN",
    "DAVID L. OKAMOTO",
    "SUSAN M. ALVAREZ",
    "MARCUS J. BELL",
    "ELENA P. ROSSI",
    "TERESA G. FOWLER",
    "OWEN P. DRISCOLL",
    "NADIA K. FARAH",
)


def person(rng: random.Random, last: str | None = None) -> TruthParty:
    first = rng.choice(FIRST_NAMES)
    middle = rng.choice(MIDDLE) if rng.random() < 0.7 else None
    last = last or rng.choice(LAST_NAMES)
    suffix = rng.choice(SUFFIXES) if rng.random() < 0.06 else None
    full = " ".join(p for p in (first, middle, last, suffix) if p)
    return TruthParty(
        full_name=full,
        kind=EntityKind.PERSON,
        first_name=first,
        middle_name=middle,
        last_name=last,
        suffix=suffix.rstrip(".") if suffix else None,
    )


def couple(rng: random.Random) -> list[TruthParty]:
    last = rng.choice(LAST_NAMES)
    return [person(rng, last), person(rng, last if rng.random() < 0.8 else None)]


def company(rng: random.Random, state_name: str) -> TruthParty:
    stem = rng.choice(COMPANY_STEMS)
    form, description = rng.choice(COMPANY_FORMS)
    name = f"{stem} {form}"
    return TruthParty(
        full_name=name,
        kind=EntityKind.COMPANY,
        entity_name=name,
        vesting=description.format(state=state_name.upper()),
    )


def organisation(name: str) -> TruthParty:
    return TruthParty(full_name=name, kind=EntityKind.COMPANY, entity_name=name)


def trust_name(rng: random.Random, settlor: TruthParty, year: int) -> str:
    style = rng.choice(("THE {last} FAMILY TRUST", "THE {last} LIVING TRUST", "THE {first} {last} REVOCABLE TRUST"))
    return style.format(first=settlor.first_name, last=settlor.last_name) + f" DATED {_month_day(rng)}, {year}"


def _month_day(rng: random.Random) -> str:
    month = rng.choice("JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER".split())
    return f"{month} {rng.randint(1, 28)}"


def with_vesting(parties: list[TruthParty], vesting: str | None, percentage: float | None = None) -> list[TruthParty]:
    return [p.model_copy(update={"vesting": vesting, "percentage": percentage}) for p in parties]


def clause(parties: list[TruthParty], shared_vesting: str | None) -> str:
    names = " AND ".join(p.full_name for p in parties)
    return f"{names}, {shared_vesting}" if shared_vesting else names


MARRIED_VESTINGS = {
    "community": (
        "HUSBAND AND WIFE AS COMMUNITY PROPERTY",
        "SPOUSES AS COMMUNITY PROPERTY WITH RIGHT OF SURVIVORSHIP",
        "A MARRIED COUPLE AS COMMUNITY PROPERTY",
    ),
    "common_law": (
        "HUSBAND AND WIFE",
        "HUSBAND AND WIFE, AS TENANTS BY THE ENTIRETY",
        "A MARRIED COUPLE",
    ),
}
JOINT_VESTINGS = ("AS JOINT TENANTS", "AS JOINT TENANTS WITH FULL RIGHTS OF SURVIVORSHIP", "IN JOINT TENANCY")
SINGLE_VESTINGS = (
    "A SINGLE MAN",
    "AN UNMARRIED WOMAN",
    "A MARRIED MAN AS HIS SOLE AND SEPARATE PROPERTY",
    "A WIDOW",
    "AN UNMARRIED PERSON",
    "A SINGLE PERSON",
)


def side(rng: random.Random, state_name: str, marital_regime: str, *, allow_company: bool = True):
    """One grantor or grantee side: (parties, the clause as printed, the shared vesting)."""
    roll = rng.random()
    if allow_company and roll < 0.15:
        party = company(rng, state_name)
        return [party], f"{party.full_name}, {party.vesting}", party.vesting
    if roll < 0.55:
        pair = couple(rng)
        vesting = rng.choice(MARRIED_VESTINGS[marital_regime] + JOINT_VESTINGS[:1])
        return with_vesting(pair, vesting), clause(pair, vesting), vesting
    if roll < 0.68:
        a, b = person(rng), person(rng)
        share = "AS TO AN UNDIVIDED 50% INTEREST"
        a, b = with_vesting([a], share, 50.0)[0], with_vesting([b], share, 50.0)[0]
        return [a, b], f"{a.full_name}, {share} AND {b.full_name}, {share}", share
    one = person(rng)
    vesting = rng.choice(SINGLE_VESTINGS)
    one = one.model_copy(update={"vesting": vesting})
    return [one], f"{one.full_name}, {vesting}", vesting
