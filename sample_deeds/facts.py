"""Invented but plausible facts for one recorded document (California conventions).

Every value here is what the rendered document prints, so it doubles as ground truth.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sample_deeds.ground_truth import TruthParty
from textract_pipeline.extraction.schema_v1 import DocumentType, EntityKind

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
)
COMPANY_FORMS = (
    ("HOLDINGS, LLC", "A CALIFORNIA LIMITED LIABILITY COMPANY"),
    ("PROPERTIES, LLC", "A DELAWARE LIMITED LIABILITY COMPANY"),
    ("INVESTMENTS, INC.", "A CALIFORNIA CORPORATION"),
    ("REALTY GROUP, LP", "A CALIFORNIA LIMITED PARTNERSHIP"),
)
LENDERS = (
    "WESTERN SUMMIT MORTGAGE, INC.",
    "GOLDEN STATE HOME LOANS, LLC",
    "PACIFIC FIRST BANK, N.A.",
    "REDWOOD FEDERAL CREDIT UNION",
)
TITLE_COMPANIES = (
    "First Coastal Title Company",
    "Golden Gate Title Insurance Company",
    "Pacific Escrow & Title, Inc.",
    "Sierra National Title Company",
    "Landmark Title Services",
    "Bayview Title Company",
)
COUNTIES = {
    "Los Angeles": (
        ["Pasadena", "Torrance", "Glendale", "Long Beach", "Whittier"],
        "91",
        "DEAN C. LOGAN, Registrar-Recorder/County Clerk",
    ),
    "Orange": (["Irvine", "Anaheim", "Fullerton", "Tustin", "Orange"], "92", "BOB PAGE, Clerk-Recorder"),
    "San Diego": (
        ["Escondido", "Chula Vista", "Oceanside", "El Cajon"],
        "92",
        "JORDAN Z. MARKS, Assessor/Recorder/County Clerk",
    ),
    "Riverside": (["Corona", "Temecula", "Murrieta", "Hemet"], "92", "PETER ALDANA, Assessor-County Clerk-Recorder"),
    "Alameda": (["Oakland", "Fremont", "Hayward", "Livermore"], "94", "MELISSA WILK, Clerk-Recorder"),
    "Sacramento": (["Elk Grove", "Folsom", "Citrus Heights"], "95", "DONNA ALLRED, Clerk/Recorder"),
    "Santa Clara": (["San Jose", "Sunnyvale", "Campbell", "Gilroy"], "95", "REGINA ALCOMENDRAS, Clerk-Recorder"),
    "Contra Costa": (["Concord", "Walnut Creek", "Antioch", "Richmond"], "94", "KRISTIN B. CONNELLY, Clerk-Recorder"),
    "Ventura": (
        ["Oxnard", "Camarillo", "Simi Valley", "Thousand Oaks"],
        "93",
        "MARK A. LUNN, County Clerk and Recorder",
    ),
}
STREETS = (
    "MAIN STREET",
    "OAK AVENUE",
    "MAPLE DRIVE",
    "SUNSET BOULEVARD",
    "CYPRESS LANE",
    "HILLCREST ROAD",
    "VISTA DEL MAR",
    "EUCALYPTUS COURT",
    "WILLOW WAY",
    "ORCHARD PLACE",
    "MISSION STREET",
    "LAUREL CANYON DRIVE",
)
NOTARIES = ("KIMBERLY R. TRAN", "DAVID L. OKAMOTO", "SUSAN M. ALVAREZ", "MARCUS J. BELL", "ELENA P. ROSSI")


@dataclass
class Facts:
    """Everything a rendered document prints; turned into GroundTruth by the generator."""

    document_type: DocumentType
    county: str
    city: str
    recorder: str
    document_number: str
    document_number_label: str
    recorded_at: dt.datetime
    fees: float
    title_company: str
    order_number: str | None
    escrow_number: str | None
    apns: list[str]
    grantor_clause: str
    grantee_clause: str
    grantors: list[TruthParty]
    grantees: list[TruthParty]
    mail_to_name: str
    mail_to_street: str
    mail_to_city_line: str
    situs_address: str
    legal_description: str
    consideration: float | None
    loan_amount: float | None
    transfer_tax_amount: float | None
    transfer_tax_exemption: str | None
    exemption_sentence: str | None
    tax_city: str | None
    dated: dt.date
    notary_date: dt.date
    notary_name: str
    notary_commission: str
    notary_expires: dt.date
    trustee_company: str | None = None
    signers: list[str] = field(default_factory=list)


def _person(rng: random.Random, last: str | None = None) -> TruthParty:
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


def _with_vesting(parties: list[TruthParty], vesting: str | None, percentage: float | None = None) -> list[TruthParty]:
    return [p.model_copy(update={"vesting": vesting, "percentage": percentage}) for p in parties]


def _clause(parties: list[TruthParty], shared_vesting: str | None) -> str:
    names = " AND ".join(p.full_name for p in parties)
    return f"{names}, {shared_vesting}" if shared_vesting else names


def _couple(rng: random.Random) -> list[TruthParty]:
    last = rng.choice(LAST_NAMES)
    return [_person(rng, last), _person(rng, last if rng.random() < 0.8 else None)]


def _company(rng: random.Random) -> tuple[TruthParty, str]:
    stem = rng.choice(COMPANY_STEMS)
    form, description = rng.choice(COMPANY_FORMS)
    name = f"{stem} {form}"
    return TruthParty(
        full_name=name, kind=EntityKind.COMPANY, entity_name=name, vesting=description
    ), f"{name}, {description}"


def _parties(rng: random.Random, role: str) -> tuple[list[TruthParty], str]:
    """A grantor or grantee side with its printed clause."""
    roll = rng.random()
    if role == "company" or roll < 0.12:
        party, clause = _company(rng)
        return [party], clause
    if roll < 0.55:
        couple = _couple(rng)
        vesting = rng.choice(
            (
                "HUSBAND AND WIFE AS JOINT TENANTS",
                "HUSBAND AND WIFE AS COMMUNITY PROPERTY",
                "SPOUSES AS COMMUNITY PROPERTY WITH RIGHT OF SURVIVORSHIP",
                "AS JOINT TENANTS",
            )
        )
        return _with_vesting(couple, vesting), _clause(couple, vesting)
    if roll < 0.7:
        a, b = _person(rng), _person(rng)
        a = a.model_copy(update={"vesting": "AS TO AN UNDIVIDED 50% INTEREST", "percentage": 50.0})
        b = b.model_copy(update={"vesting": "AS TO AN UNDIVIDED 50% INTEREST", "percentage": 50.0})
        return [
            a,
            b,
        ], f"{a.full_name}, AS TO AN UNDIVIDED 50% INTEREST AND {b.full_name}, AS TO AN UNDIVIDED 50% INTEREST"
    person = _person(rng)
    vesting = rng.choice(
        ("A SINGLE MAN", "AN UNMARRIED WOMAN", "A MARRIED MAN AS HIS SOLE AND SEPARATE PROPERTY", "A WIDOW")
    )
    person = person.model_copy(update={"vesting": vesting})
    return [person], f"{person.full_name}, {vesting}"


def _apn(rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{rng.randint(1000, 8999)}-{rng.randint(0, 99):03d}-{rng.randint(1, 99):03d}"
    if style == 1:
        return f"{rng.randint(100, 999)}-{rng.randint(10, 999):03d}-{rng.randint(10, 99):02d}"
    if style == 2:
        return f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(10, 99):02d}-00"
    return f"{rng.randint(10, 99)}{rng.choice('ABCD')}-{rng.randint(1000, 9999)}-{rng.randint(1, 99):03d}"


def _legal(rng: random.Random, county: str, city: str) -> str:
    if rng.random() < 0.75:
        lot, tract = rng.randint(1, 180), rng.randint(1200, 39999)
        book, page = rng.randint(10, 1400), rng.randint(1, 99)
        return (
            f"LOT {lot} OF TRACT NO. {tract}, IN THE CITY OF {city.upper()}, COUNTY OF {county.upper()}, "
            f"STATE OF CALIFORNIA, AS PER MAP RECORDED IN BOOK {book} PAGE(S) {page} TO {page + rng.randint(1, 4)} "
            f"INCLUSIVE OF MAPS, IN THE OFFICE OF THE COUNTY RECORDER OF SAID COUNTY."
        )
    parcel = rng.randint(1, 4)
    return (
        f"PARCEL {parcel} OF PARCEL MAP NO. {rng.randint(1000, 20999)}, IN THE COUNTY OF {county.upper()}, "
        f"STATE OF CALIFORNIA, AS PER MAP FILED IN BOOK {rng.randint(10, 400)} PAGE {rng.randint(1, 99)} OF "
        f"PARCEL MAPS, IN THE OFFICE OF THE COUNTY RECORDER OF SAID COUNTY. EXCEPT THEREFROM ALL OIL, GAS AND "
        f"MINERALS LYING BELOW A DEPTH OF 500 FEET, WITHOUT THE RIGHT OF SURFACE ENTRY."
    )


def _street_address(rng: random.Random) -> str:
    return f"{rng.randint(100, 29999)} {rng.choice(STREETS)}"


def random_facts(rng: random.Random, document_type: DocumentType) -> Facts:
    county = rng.choice(sorted(COUNTIES))
    cities, zip_prefix, recorder = COUNTIES[county]
    city = rng.choice(cities)
    recorded = dt.datetime(
        rng.choice((2023, 2024, 2025)),
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randint(8, 16),
        rng.choice((0, 2, 15, 31, 47)),
    )
    dated = recorded.date() - dt.timedelta(days=rng.randint(5, 40))
    notary = dated + dt.timedelta(days=rng.randint(0, 3))
    number = f"{recorded.year}{rng.randint(1, 999999):07d}"
    printed_number = rng.choice(
        (f"DOC# {number}", f"DOC #{number}", f"Document No. {recorded.year}-{number[4:]}", f"INSTRUMENT NO. {number}")
    )
    situs = f"{_street_address(rng)}, {city.upper()}, CA {zip_prefix}{rng.randint(100, 999)}"
    mail_street = situs.split(",")[0] if rng.random() < 0.6 else _street_address(rng)
    mail_city = city.upper() if mail_street in situs else rng.choice(cities).upper()
    grantor_role = grantee_role = "any"
    consideration = loan_amount = tax_amount = None
    exemption = exemption_sentence = None
    trustee_company = None
    if document_type is DocumentType.TRUST_TRANSFER_DEED:
        grantors = _couple(rng) if rng.random() < 0.7 else [_person(rng)]
        vesting_in = "HUSBAND AND WIFE AS JOINT TENANTS" if len(grantors) == 2 else "A SINGLE MAN"
        grantors = _with_vesting(grantors, vesting_in)
        grantor_clause = _clause(grantors, vesting_in)
        trust_name = f"THE {grantors[0].last_name} FAMILY TRUST DATED {dated.strftime('%B').upper()} {dated.day}, {dated.year - rng.randint(0, 12)}"
        title = "TRUSTEES" if len(grantors) == 2 else "TRUSTEE"
        vesting_out = f"AS {title} OF {trust_name}"
        grantees = _with_vesting(grantors, vesting_out)
        grantee_clause = _clause(grantees, vesting_out)
        exemption = "R&T 11930"
        exemption_sentence = "No Consideration Due. This is a transfer into a revocable living trust, R&T 11930."
        tax_amount = 0.0
    elif document_type is DocumentType.INTERSPOUSAL_TRANSFER_DEED:
        couple = _couple(rng)
        grantors = _with_vesting(couple[:1], "SPOUSE OF THE GRANTEE")
        grantor_clause = f"{couple[0].full_name}, SPOUSE OF THE GRANTEE"
        vesting = (
            rng.choice(("A MARRIED MAN AS HIS", "A MARRIED WOMAN AS HER", "A MARRIED PERSON AS THEIR"))
            + " SOLE AND SEPARATE PROPERTY"
        )
        grantees = _with_vesting(couple[1:], vesting)
        grantee_clause = f"{couple[1].full_name}, {vesting}"
        exemption = "R&T 11927"
        exemption_sentence = "This is an interspousal transfer and is exempt from documentary transfer tax, R&T 11927."
        tax_amount = 0.0
    else:
        if document_type is DocumentType.DEED_OF_TRUST:
            grantee_role = "lender"
        grantors, grantor_clause = _parties(rng, grantor_role)
        if grantee_role == "lender":
            lender = rng.choice(LENDERS)
            grantees = [TruthParty(full_name=lender, kind=EntityKind.COMPANY, entity_name=lender)]
            grantee_clause = lender
            trustee_company = rng.choice(TITLE_COMPANIES).upper()
            loan_amount = float(rng.randrange(150_000, 1_200_000, 5_000))
        else:
            grantees, grantee_clause = _parties(rng, grantee_role)
        if document_type is DocumentType.GRANT_DEED:
            price = float(rng.randrange(250_000, 1_800_000, 1_000))
            tax_amount = round(price * 1.10 / 1000, 2)
            consideration = price if rng.random() < 0.35 else None
        elif document_type is DocumentType.QUITCLAIM_DEED:
            exemption = "R&T 11911"
            exemption_sentence = "This conveyance is a gift and the grantor received nothing in return, R&T 11911."
            tax_amount = 0.0
    return Facts(
        document_type=document_type,
        county=county,
        city=city,
        recorder=recorder,
        document_number=number,
        document_number_label=printed_number,
        recorded_at=recorded,
        fees=float(rng.choice((18, 28, 43, 46, 75, 101, 121))),
        title_company=rng.choice(TITLE_COMPANIES),
        order_number=f"{rng.randint(1000000, 9999999)}-{rng.choice(['JM', 'KL', 'TS', 'RB'])}"
        if rng.random() < 0.8
        else None,
        escrow_number=f"{rng.choice(['E', 'ES', ''])}{rng.randint(10000, 99999)}-{rng.choice(['LF', 'DM', 'CC'])}"
        if rng.random() < 0.7
        else None,
        apns=[_apn(rng)] + ([_apn(rng)] if rng.random() < 0.12 else []),
        grantor_clause=grantor_clause,
        grantee_clause=grantee_clause,
        grantors=grantors,
        grantees=grantees,
        mail_to_name=(
            grantees[0].full_name
            if grantees[0].kind is EntityKind.PERSON and document_type is not DocumentType.DEED_OF_TRUST
            else (rng.choice(LENDERS) if document_type is DocumentType.DEED_OF_TRUST else grantees[0].full_name)
        ),
        mail_to_street=mail_street,
        mail_to_city_line=f"{mail_city}, CA {zip_prefix}{rng.randint(100, 999)}",
        situs_address=situs,
        legal_description=_legal(rng, county, city),
        consideration=consideration,
        loan_amount=loan_amount,
        transfer_tax_amount=tax_amount,
        transfer_tax_exemption=exemption,
        exemption_sentence=exemption_sentence,
        tax_city=city if rng.random() < 0.5 and tax_amount else None,
        dated=dated,
        notary_date=notary,
        notary_name=rng.choice(NOTARIES),
        notary_commission=str(rng.randint(2100000, 2499999)),
        notary_expires=dt.date(recorded.year + rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28)),
        trustee_company=trustee_company,
        signers=[p.full_name for p in grantors] if grantors[0].kind is EntityKind.PERSON else ["AUTHORIZED SIGNATORY"],
    )
