"""Invented but plausible facts for one recorded instrument, in the conventions of its state.

Every value here is what the rendered document prints, so it doubles as ground truth.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from evaluation.real_truth import InstrumentType as T
from sample_deeds import people
from sample_deeds.ground_truth import TruthParty
from sample_deeds.legal import LegalDescription, legal_description
from sample_deeds.places import STATES, County, Recording, State

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
    "NW 63RD STREET",
    "79TH AVE SE",
    "E CAMELBACK ROAD",
    "RANCH ROAD 12",
    "S PEARL STREET",
)
SALE_TYPES = {
    T.GRANT_DEED,
    T.WARRANTY_DEED,
    T.SPECIAL_WARRANTY_DEED,
    T.STATUTORY_WARRANTY_DEED,
    T.BARGAIN_AND_SALE_DEED,
}
LOAN_TYPES = {T.DEED_OF_TRUST, T.MORTGAGE}
RELEASE_TYPES = {T.RECONVEYANCE, T.RELEASE, T.SATISFACTION}
DEFAULT_SERVICERS = (
    "SUMMIT DEFAULT SERVICES, INC.",
    "CLEARWATER TRUSTEE CORPORATION",
    "NORTHGATE FORECLOSURE SERVICES",
)
RIDERS = (
    "Adjustable Rate Rider",
    "Condominium Rider",
    "Planned Unit Development Rider",
    "1-4 Family Rider",
    "Second Home Rider",
    "Biweekly Payment Rider",
    "Balloon Rider",
    "Other(s) [specify]",
)
MERS = "MORTGAGE ELECTRONIC REGISTRATION SYSTEMS, INC."


@dataclass
class Facts:
    """Everything a rendered document prints; turned into GroundTruth by the generator."""

    document_type: T
    state: State
    county_info: County
    city: str
    recording: Recording
    recorded_at: dt.datetime
    fees: float
    title_company: str
    order_number: str | None
    escrow_number: str | None
    file_number: str | None
    apns: list[str]
    grantor_clause: str
    grantee_clause: str
    grantors: list[TruthParty]
    grantees: list[TruthParty]
    grantee_vesting: str | None
    mail_to_name: str
    mail_to_street: str
    mail_to_city_line: str
    tax_statements_to_name: str | None
    situs_address: str
    legal: LegalDescription
    consideration: float | None  # the amount the instrument states in figures
    price: float | None  # the real price behind a transfer tax (a deed may state only $10.00)
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
    signers: list[str]
    witnesses: list[str]
    trustees: list[TruthParty] = field(default_factory=list)
    decedent: str | None = None
    prior: Recording | None = None  # the deed of trust / mortgage a release or trustee's deed refers to
    prior_date: dt.date | None = None
    mers: bool = False
    riders: list[str] = field(default_factory=list)

    @property
    def county(self) -> str:
        return self.county_info.name

    @property
    def document_number(self) -> str:
        return self.recording.number

    @property
    def document_number_label(self) -> str:
        return self.recording.label

    @property
    def recorder(self) -> str:
        return self.county_info.recorder

    @property
    def trustee_company(self) -> str | None:
        return self.trustees[0].full_name if self.trustees else None


def _street(rng: random.Random) -> str:
    return f"{rng.randint(100, 29999)} {rng.choice(STREETS)}"


def _zip(rng: random.Random, county: County) -> str:
    return f"{county.zip_prefix}{rng.randint(100, 999)}"


def _file_number(rng: random.Random, document_type: T, recorded: dt.datetime) -> str | None:
    """A preparer's file number on half the documents; a court's case number on every decree."""
    if document_type is T.COURT_DECREE:
        return rng.choice(
            (
                f"PR-{recorded.year - 1}-{rng.randint(100, 99999):06d}",
                f"{recorded.year % 100 - 1}PR{rng.randint(100, 9999):05d}",
            )
        )
    return f"{recorded.year}-{rng.randint(100, 99999):05d}" if rng.random() < 0.5 else None


def _transfer_tax(state: State, price: float) -> float:
    """Documentary transfer tax, doc stamps, excise tax or doc fee on the full price."""
    if state.code == "CA":
        return round(price * 1.10 / 1000, 2)
    if state.code == "FL":
        return round(-(-price // 100) * 0.70, 2)
    if state.code == "WA":
        return round(price * 0.0178, 2)
    if state.code == "CO":
        return round(price / 10000, 2)
    return 0.0


EXEMPTIONS = {
    ("CA", "trust"): (
        "R&T 11930",
        "No Consideration Due. This is a transfer into a revocable living trust, R&T 11930.",
    ),
    ("CA", "spouse"): (
        "R&T 11927",
        "This is an interspousal transfer and is exempt from documentary transfer tax, R&T 11927.",
    ),
    ("CA", "gift"): ("R&T 11911", "This conveyance is a gift and the grantor received nothing in return, R&T 11911."),
    ("WA", "gift"): ("WAC 458-61A-201", "Excise tax exempt: gift with no consideration, WAC 458-61A-201."),
    ("WA", "trust"): ("WAC 458-61A-211", "Excise tax exempt: transfer into revocable trust, WAC 458-61A-211(2)(g)."),
    ("WA", "lieu"): ("WAC 458-61A-208", "Excise tax exempt: deed in lieu of foreclosure, WAC 458-61A-208."),
    ("AZ", "gift"): ("A.R.S. 11-1134(B)(3)", "Exempt from affidavit of property value per A.R.S. 11-1134(B)(3)."),
    ("AZ", "trust"): ("A.R.S. 11-1134(B)(8)", "Exempt from affidavit of property value per A.R.S. 11-1134(B)(8)."),
    ("CO", "gift"): ("EXEMPT", "State Documentary Fee: EXEMPT (consideration under $500)."),
}


def _sides(rng: random.Random, state: State, document_type: T):
    """(grantors, grantor clause, grantees, grantee clause, grantee vesting, trustees, decedent)."""
    regime = state.marital_regime
    trustees: list[TruthParty] = []
    decedent = None
    if document_type is T.TRUST_TRANSFER_DEED or (document_type is T.QUITCLAIM_DEED and rng.random() < 0.25):
        grantors = people.couple(rng) if rng.random() < 0.7 else [people.person(rng)]
        vesting_in = people.MARRIED_VESTINGS[regime][0] if len(grantors) == 2 else "A SINGLE PERSON"
        grantors = people.with_vesting(grantors, vesting_in)
        title = "TRUSTEES" if len(grantors) == 2 else "TRUSTEE"
        vesting_out = f"AS {title} OF {people.trust_name(rng, grantors[0], rng.randint(2005, 2024))}"
        grantees = people.with_vesting(grantors, vesting_out)
        return (
            grantors,
            people.clause(grantors, vesting_in),
            grantees,
            people.clause(grantees, vesting_out),
            vesting_out,
            trustees,
            decedent,
        )
    if document_type is T.INTERSPOUSAL_TRANSFER_DEED:
        pair = people.couple(rng)
        grantors = people.with_vesting(pair[:1], "SPOUSE OF THE GRANTEE")
        vesting = rng.choice(("A MARRIED MAN AS HIS", "A MARRIED WOMAN AS HER", "A MARRIED PERSON AS THEIR"))
        vesting += " SOLE AND SEPARATE PROPERTY"
        grantees = people.with_vesting(pair[1:], vesting)
        return (
            grantors,
            f"{pair[0].full_name}, SPOUSE OF THE GRANTEE",
            grantees,
            f"{pair[1].full_name}, {vesting}",
            vesting,
            trustees,
            decedent,
        )
    if document_type in LOAN_TYPES | {T.DEED_IN_LIEU_OF_FORECLOSURE}:
        grantors, grantor_clause, _ = people.side(rng, state.name, regime, allow_company=False)
        lender = people.organisation(rng.choice(people.LENDERS))
        if document_type is T.DEED_OF_TRUST:
            trustees = [people.organisation(rng.choice(people.TITLE_COMPANIES).upper())]
        return grantors, grantor_clause, [lender], lender.full_name, None, trustees, decedent
    if document_type in RELEASE_TYPES:
        borrowers, clause, _ = people.side(rng, state.name, regime, allow_company=False)
        if document_type is T.RECONVEYANCE:
            trustee = people.organisation(rng.choice(people.TITLE_COMPANIES + DEFAULT_SERVICERS).upper())
            return [trustee], trustee.full_name, borrowers, clause, None, [trustee], decedent
        lender = people.organisation(rng.choice(people.LENDERS))
        return [lender], lender.full_name, borrowers, clause, None, trustees, decedent
    if document_type is T.TRUSTEES_DEED:
        trustee = people.organisation(rng.choice(DEFAULT_SERVICERS))
        buyer = (
            people.organisation(rng.choice(people.LENDERS)) if rng.random() < 0.6 else people.company(rng, state.name)
        )
        buyer_clause = f"{buyer.full_name}, {buyer.vesting}" if buyer.vesting else buyer.full_name
        return [trustee], trustee.full_name, [buyer], buyer_clause, buyer.vesting, [trustee], decedent
    if document_type in (T.PERSONAL_REPRESENTATIVES_DEED, T.COURT_DECREE):
        dead = people.person(rng)
        decedent = dead.full_name
        heirs = [people.person(rng, dead.last_name) for _ in range(rng.randint(1, 3))]
        if document_type is T.COURT_DECREE:
            heir_clause = " AND ".join(h.full_name for h in heirs)
            return [dead], dead.full_name, heirs, heir_clause, None, trustees, decedent
        vesting = f"AS PERSONAL REPRESENTATIVE OF THE ESTATE OF {decedent}, DECEASED"
        representative = people.with_vesting([heirs[0]], vesting)
        buyers, buyer_clause, buyer_vesting = people.side(rng, state.name, regime)
        return (
            representative,
            people.clause(representative, vesting),
            buyers,
            buyer_clause,
            buyer_vesting,
            trustees,
            decedent,
        )
    grantors, grantor_clause, _ = people.side(rng, state.name, regime)
    grantees, grantee_clause, grantee_vesting = people.side(rng, state.name, regime)
    return grantors, grantor_clause, grantees, grantee_clause, grantee_vesting, trustees, decedent


def _amounts(rng: random.Random, state: State, document_type: T):
    """(consideration stated, real price, loan, tax, exemption code, exemption sentence)."""
    price = float(rng.randrange(180_000, 1_800_000, 1_000))
    consideration = loan = tax = exemption = sentence = None
    if document_type in SALE_TYPES or document_type is T.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT:
        tax = _transfer_tax(state, price) or None
        if state.code == "TX" and document_type is T.WARRANTY_DEED and rng.random() < 0.5:
            loan = round(price * rng.choice((0.8, 0.9, 0.95)), -2)  # the note a vendor's lien secures
        if state.code == "CA":
            consideration = (
                price if rng.random() < 0.35 or document_type is T.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT else None
            )
        else:
            consideration = 10.0 if rng.random() < 0.55 else price
    elif document_type in (T.TRUSTEES_DEED, T.PERSONAL_REPRESENTATIVES_DEED):
        consideration = round(price * rng.choice((0.6, 0.75, 0.9)), 2)
        tax = _transfer_tax(state, consideration) or None
    elif document_type in LOAN_TYPES or document_type in (T.RELEASE, T.SATISFACTION):
        loan = float(rng.randrange(120_000, 1_200_000, 500))
    elif document_type in (T.RECONVEYANCE, T.COURT_DECREE):
        pass  # no transfer tax is computed or claimed exempt on these
    else:
        reason = {
            T.TRUST_TRANSFER_DEED: "trust",
            T.INTERSPOUSAL_TRANSFER_DEED: "spouse",
            T.DEED_IN_LIEU_OF_FORECLOSURE: "lieu",
        }.get(document_type, "gift")
        exemption, sentence = EXEMPTIONS.get((state.code, reason), EXEMPTIONS.get((state.code, "gift"), (None, None)))
        if exemption:
            tax = 0.0
        if document_type is T.QUITCLAIM_DEED and state.code != "CA" and rng.random() < 0.6:
            consideration = rng.choice((10.0, 1.0, 100.0))
    if state.code == "FL" and tax is None and loan is None and document_type is not T.COURT_DECREE:
        tax = 0.70  # the minimum documentary stamps on a deed for nominal consideration
    if document_type is T.TRUST_TRANSFER_DEED and state.code == "WA":
        exemption, sentence = EXEMPTIONS[("WA", "trust")]
    return consideration, price, loan, tax, exemption, sentence


def random_facts(rng: random.Random, state_code: str, document_type: T) -> Facts:
    state = STATES[state_code]
    county = rng.choice(state.counties)
    city = rng.choice(county.cities)
    recorded = dt.datetime(
        rng.choice((2021, 2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 16),
        rng.choice((0, 2, 15, 31, 47, 53)),
    )  # fmt: skip
    dated = recorded.date() - dt.timedelta(days=rng.randint(5, 40))
    notary = dated + dt.timedelta(days=rng.randint(0, 3))
    zip_code = _zip(rng, county)
    situs = f"{_street(rng)}, {city.upper()}, {state.code} {zip_code}"
    grantors, grantor_clause, grantees, grantee_clause, vesting, trustees, decedent = _sides(rng, state, document_type)
    consideration, price, loan, tax, exemption, sentence = _amounts(rng, state, document_type)
    if document_type in LOAN_TYPES | {T.TRUSTEES_DEED, T.DEED_IN_LIEU_OF_FORECLOSURE}:
        mail_name = grantees[0].full_name
        mail_street, mail_city = f"{rng.randint(100, 9999)} CORPORATE CENTER DRIVE", rng.choice(county.cities)
    else:
        mail_name = grantees[0].full_name
        mail_street = situs.split(",")[0] if rng.random() < 0.6 else _street(rng)
        mail_city = city if mail_street in situs else rng.choice(county.cities)
    person_signers = [p.full_name for p in grantors if p.kind.value == "person"]
    prior_at = recorded - dt.timedelta(days=rng.randint(400, 4000))
    has_prior = document_type in RELEASE_TYPES | {T.TRUSTEES_DEED}
    return Facts(
        document_type=document_type,
        state=state,
        county_info=county,
        city=city,
        recording=county.recording(rng, recorded),
        recorded_at=recorded,
        fees=float(rng.choice((10, 18.5, 28, 43, 46, 75, 101, 121, 304.5))),
        title_company=rng.choice(people.TITLE_COMPANIES),
        order_number=f"{rng.randint(1000000, 9999999)}-{rng.choice(['JM', 'KL', 'TS', 'RB'])}"
        if rng.random() < 0.6
        else None,
        escrow_number=f"{rng.choice(['E', 'ES', ''])}{rng.randint(10000, 99999)}-{rng.choice(['LF', 'DM', 'CC'])}"
        if rng.random() < 0.6
        else None,
        file_number=_file_number(rng, document_type, recorded),
        apns=[county.apn(rng) for _ in range(rng.choice((1, 1, 1, 1, 1, 2, 3)))],
        grantor_clause=grantor_clause,
        grantee_clause=grantee_clause,
        grantors=grantors,
        grantees=grantees,
        grantee_vesting=vesting,
        mail_to_name=mail_name,
        mail_to_street=mail_street,
        mail_to_city_line=f"{mail_city.upper()}, {state.code} {_zip(rng, county)}",
        tax_statements_to_name=mail_name if rng.random() < 0.5 and document_type not in LOAN_TYPES else None,
        situs_address=situs,
        legal=legal_description(rng, state, county, city),
        consideration=consideration,
        price=price,
        loan_amount=loan,
        transfer_tax_amount=tax,
        transfer_tax_exemption=exemption,
        exemption_sentence=sentence,
        tax_city=city if rng.random() < 0.5 and tax else None,
        dated=dated,
        notary_date=notary,
        notary_name=rng.choice(people.NOTARIES),
        notary_commission=str(rng.randint(2100000, 2499999)),
        notary_expires=dt.date(recorded.year + rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28)),
        signers=person_signers or ["AUTHORIZED SIGNATORY"],
        witnesses=[people.person(rng).full_name for _ in range(2)],
        trustees=trustees,
        decedent=decedent,
        prior=county.recording(rng, prior_at) if has_prior else None,
        prior_date=prior_at.date() if has_prior else None,
        mers=document_type in LOAN_TYPES and rng.random() < 0.6,
        riders=rng.sample(RIDERS[:6], rng.randint(0, 2)) if document_type in LOAN_TYPES else [],
    )
