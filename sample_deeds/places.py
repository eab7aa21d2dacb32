"""Recording conventions of the states the generator covers: counties, recorder stamps, parcel ids.

County and city names are real places; recorder names are invented. Each county carries
the recording-number and parcel-id formats its recorder and assessor print (shapes seen on
real recorded instruments, digits drawn at random).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Recording:
    number: str  # as the truth records it (letters and digits of the stamped number)
    label: str  # the stamp's text for it, e.g. "CFN 2017R0358201"
    book: str | None = None
    page: str | None = None


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _numbered(prefix_label: str, number: str) -> Recording:
    return Recording(number, f"{prefix_label}{number}")


def _ca(rng: random.Random, at: dt.datetime) -> Recording:
    number = f"{at.year}{rng.randint(1, 999999):07d}"
    label = rng.choice(
        (f"DOC# {number}", f"DOC #{number}", f"Document No. {at.year}-{number[4:]}", f"INSTRUMENT NO. {number}")
    )
    return Recording(number, label)


def _fl_orange(rng, at):
    return _numbered("DOC# ", f"{at.year}{_digits(rng, 7)}")


def _fl_miami(rng, at):
    number = f"{at.year}R{_digits(rng, 7)}"
    book, page = str(rng.randint(28000, 34999)), str(rng.randint(1, 4999))
    return Recording(number, f"CFN {number}", book, page)


def _fl_lee(rng, at):
    return _numbered("INSTR. # ", f"{at.year}{_digits(rng, 9)}")


def _fl_pinellas(rng, at):
    number = f"{at.year}{_digits(rng, 6)}"
    return Recording(number, f"I#: {number}", str(rng.randint(20000, 23999)), str(rng.randint(1, 2999)))


def _fl_hillsborough(rng, at):
    number = f"{at.year}{_digits(rng, 6)}"
    return Recording(number, f"INSTRUMENT#: {number}", str(rng.randint(25000, 29999)), str(rng.randint(1, 1999)))


def _seven(rng, at):
    return _numbered("", str(rng.randint(4000000, 5299999)))


def _wa_king(rng, at):
    return _numbered("Instrument Number: ", f"{at:%Y%m%d}{_digits(rng, 6)}")


def _wa_pierce(rng, at):
    return _numbered("", f"{at:%Y%m%d}{_digits(rng, 4)}")


def _year7(label: str) -> Callable[[random.Random, dt.datetime], Recording]:
    return lambda rng, at: _numbered(label, f"{at.year}{_digits(rng, 7)}")


def _year6(label: str) -> Callable[[random.Random, dt.datetime], Recording]:
    return lambda rng, at: _numbered(label, f"{at.year}{_digits(rng, 6)}")


def _az_pinal(rng, at):
    number = f"{at.year}-{_digits(rng, 6)}"
    return Recording(number, f"FEE NUMBER: {number}")


def _tx_harris(rng, at):
    number = f"RP-{at.year}-{_digits(rng, 6)}"
    return Recording(number, number)


def _tx_volume(rng, at):
    number = f"{at.year % 100:02d}-{_digits(rng, 5)}"
    return Recording(number, f"Instrument No. {number}", str(rng.randint(1200, 2999)), str(rng.randint(1, 899)))


def _co_el_paso(rng, at):
    return _numbered("Reception #: ", f"2{at.year % 100:02d}{_digits(rng, 6)}")


def _dashed(*widths: int, sep: str = "-") -> Callable[[random.Random], str]:
    return lambda rng: sep.join(_digits(rng, w) for w in widths)


def _ca_apn(rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{rng.randint(1000, 8999)}-{rng.randint(0, 99):03d}-{rng.randint(1, 99):03d}"
    if style == 1:
        return f"{rng.randint(100, 999)}-{rng.randint(10, 999):03d}-{rng.randint(10, 99):02d}"
    if style == 2:
        return f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(10, 99):02d}-00"
    return f"{rng.randint(10, 99)}{rng.choice('ABCD')}-{rng.randint(1000, 9999)}-{rng.randint(1, 99):03d}"


def _lee_apn(rng):
    return (
        f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 5)}.{_digits(rng, 4)}"
    )


def _az_apn(rng):
    suffix = rng.choice(("", "", "", "A", "B", "C"))
    return f"{rng.randint(100, 999)}-{_digits(rng, 2)}-{_digits(rng, 3)}{suffix}"


def _tx_apn(rng):
    return rng.choice((f"R{rng.randint(100000, 999999)}", _digits(rng, 13), f"{_digits(rng, 4)}-{_digits(rng, 4)}"))


def _co_apn(rng):
    return rng.choice(
        (f"R{_digits(rng, 7)}", f"{_digits(rng, 5)}-{_digits(rng, 2)}-{_digits(rng, 3)}-000", _digits(rng, 10))
    )


@dataclass(frozen=True)
class County:
    name: str
    cities: tuple[str, ...]
    zip_prefix: str
    recorder: str  # the official and office as the stamp prints them (names invented)
    recording: Callable[[random.Random, dt.datetime], Recording]
    apn: Callable[[random.Random], str]


@dataclass(frozen=True)
class State:
    code: str
    name: str
    counties: tuple[County, ...]
    marital_regime: str  # "community" or "common_law": which vesting phrases married couples use
    apn_labels: tuple[str, ...]


def _county(name, cities, zip_prefix, recorder, recording, apn) -> County:
    return County(name, tuple(cities.split(", ")), zip_prefix, recorder, recording, apn)


STATES: dict[str, State] = {
    "CA": State(
        "CA",
        "California",
        (
            _county(
                "Los Angeles",
                "Pasadena, Torrance, Glendale, Long Beach, Whittier",
                "91",
                "MARISOL T. AVERY, Registrar-Recorder/County Clerk",
                _ca,
                _ca_apn,
            ),
            _county(
                "Orange",
                "Irvine, Anaheim, Fullerton, Tustin, Orange",
                "92",
                "GRANT L. HOLLIS, Clerk-Recorder",
                _ca,
                _ca_apn,
            ),
            _county(
                "San Diego",
                "Escondido, Chula Vista, Oceanside, El Cajon",
                "92",
                "RENEE K. DUVALL, Assessor/Recorder/County Clerk",
                _ca,
                _ca_apn,
            ),
            _county(
                "Riverside",
                "Corona, Temecula, Murrieta, Hemet",
                "92",
                "VICTOR S. ORTEGA, Assessor-County Clerk-Recorder",
                _ca,
                _ca_apn,
            ),
            _county("Alameda", "Oakland, Fremont, Hayward, Livermore", "94", "HELENA WU, Clerk-Recorder", _ca, _ca_apn),
            _county(
                "Sacramento", "Elk Grove, Folsom, Citrus Heights", "95", "DARLENE PRICE, Clerk/Recorder", _ca, _ca_apn
            ),
            _county(
                "Santa Clara",
                "San Jose, Sunnyvale, Campbell, Gilroy",
                "95",
                "ANDRES VILLA, Clerk-Recorder",
                _ca,
                _ca_apn,
            ),
            _county(
                "Contra Costa",
                "Concord, Walnut Creek, Antioch, Richmond",
                "94",
                "JOAN B. MERCER, Clerk-Recorder",
                _ca,
                _ca_apn,
            ),
            _county(
                "Ventura",
                "Oxnard, Camarillo, Simi Valley, Thousand Oaks",
                "93",
                "PETER N. LANGE, County Clerk and Recorder",
                _ca,
                _ca_apn,
            ),
        ),
        "community",
        ("APN:", "A.P.N.:", "APN/Parcel ID(s):", "Assessor's Parcel No.:"),
    ),
    "FL": State(
        "FL",
        "Florida",
        (
            _county(
                "Orange",
                "Orlando, Winter Park, Apopka, Ocoee, Windermere",
                "32",
                "Nora Whitfield, Comptroller",
                _fl_orange,
                _dashed(2, 2, 2, 4, 2, 3),
            ),
            _county(
                "Miami-Dade",
                "Miami, Hialeah, Homestead, Doral",
                "33",
                "LUIS M. ARAGON, CLERK OF COURT",
                _fl_miami,
                _dashed(2, 4, 3, 4),
            ),
            _county(
                "Lee",
                "Fort Myers, Cape Coral, Lehigh Acres, Bonita Springs",
                "33",
                "Gordon P. Haynes, Lee County Clerk of Circuit Court",
                _fl_lee,
                _lee_apn,
            ),
            _county(
                "Pinellas",
                "Clearwater, Largo, St. Petersburg, Dunedin",
                "33",
                "DIANE FORTNER, CLERK OF COURT AND COMPTROLLER",
                _fl_pinellas,
                _dashed(2, 2, 2, 5, 3, 4),
            ),
            _county(
                "Hillsborough",
                "Tampa, Brandon, Plant City, Riverview",
                "33",
                "ELLIS J. CARVER, CLERK OF THE CIRCUIT COURT",
                _fl_hillsborough,
                _dashed(6, 4),
            ),
        ),
        "common_law",
        (
            "Parcel ID No:",
            "Parcel Identification Number:",
            "Tax Folio Number:",
            "Folio No.:",
            "Property Appraiser's Parcel I.D. (Folio) Number(s):",
        ),
    ),
    "WA": State(
        "WA",
        "Washington",
        (
            _county(
                "Thurston", "Olympia, Lacey, Tumwater, Yelm", "98", "Thurston County, Washington", _seven, _dashed(11)
            ),
            _county(
                "King", "Seattle, Bellevue, Kent, Renton, Redmond", "98", "King County, WA", _wa_king, _dashed(6, 4)
            ),
            _county(
                "Pierce",
                "Tacoma, Puyallup, Lakewood, Gig Harbor",
                "98",
                "Pierce County Auditor",
                _wa_pierce,
                _dashed(10),
            ),
            _county(
                "Spokane",
                "Spokane, Spokane Valley, Cheney",
                "99",
                "Spokane County Auditor",
                _seven,
                lambda rng: f"{_digits(rng, 5)}.{_digits(rng, 4)}",
            ),
        ),
        "community",
        ("Tax Parcel Number(s):", "Assessor's Property Tax Parcel/Account Number:", "Tax Parcel No:", "Parcel No.:"),
    ),
    "AZ": State(
        "AZ",
        "Arizona",
        (
            _county(
                "Maricopa",
                "Phoenix, Mesa, Scottsdale, Chandler, Glendale",
                "85",
                "OFFICIAL RECORDS OF MARICOPA COUNTY RECORDER, DEREK HALVORSEN",
                _year7(""),
                _az_apn,
            ),
            _county(
                "Pima",
                "Tucson, Marana, Oro Valley, Sahuarita",
                "85",
                "OFFICIAL RECORDS OF PIMA COUNTY, ROSA DELGADO, RECORDER",
                _year7("SEQUENCE: "),
                _az_apn,
            ),
            _county(
                "Pinal",
                "Casa Grande, Maricopa, Florence, Apache Junction",
                "85",
                "PINAL COUNTY RECORDER, LYLE T. BARNES",
                _az_pinal,
                _az_apn,
            ),
            _county(
                "Coconino",
                "Flagstaff, Sedona, Page",
                "86",
                "COCONINO COUNTY RECORDER, JANE OKONJO",
                _year7("Recording No. "),
                _az_apn,
            ),
        ),
        "community",
        ("APN:", "Tax Parcel No.:", "A.P.N.", "Assessor's Parcel Number:"),
    ),
    "TX": State(
        "TX",
        "Texas",
        (
            _county(
                "Travis",
                "Austin, Pflugerville, Lakeway, Manor",
                "78",
                "Travis County Clerk, Maria E. Salinas",
                _year6("DOCUMENT # "),
                _tx_apn,
            ),
            _county(
                "Harris",
                "Houston, Katy, Humble, Pasadena",
                "77",
                "Harris County Clerk, Teresa Boone",
                _tx_harris,
                _tx_apn,
            ),
            _county(
                "Dallas",
                "Dallas, Garland, Irving, Mesquite",
                "75",
                "Dallas County Clerk, Howard P. Quinn",
                _year7("INSTRUMENT # "),
                _tx_apn,
            ),
            _county(
                "Kerr", "Kerrville, Ingram, Center Point", "78", "Kerr County Clerk, Nell Hardin", _tx_volume, _tx_apn
            ),
        ),
        "community",
        ("Property ID:", "Tax Account No.:", "Parcel ID:", "Geographic ID:"),
    ),
    "CO": State(
        "CO",
        "Colorado",
        (
            _county("Denver", "Denver", "80", "Denver Clerk and Recorder, Alma Ruiz", _year6("Reception #: "), _co_apn),
            _county(
                "Jefferson",
                "Lakewood, Arvada, Golden, Littleton",
                "80",
                "Jefferson County Clerk and Recorder, Tom Keller",
                _year6("RECEPTION# "),
                _co_apn,
            ),
            _county(
                "El Paso",
                "Colorado Springs, Fountain, Monument",
                "80",
                "El Paso County Clerk and Recorder, Beth Romero",
                _co_el_paso,
                _co_apn,
            ),
            _county(
                "Larimer",
                "Fort Collins, Loveland, Estes Park",
                "80",
                "Larimer County Clerk and Recorder, Owen Pratt",
                _year7("Reception No. "),
                _co_apn,
            ),
        ),
        "common_law",
        ("Parcel No.:", "Schedule No.:", "Assessor's Parcel No.:", "Account No.:"),
    ),
}
