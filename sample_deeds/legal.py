"""Legal descriptions in the shapes recorded instruments use: platted lots, sections, metes and bounds.

Each comes with the short phrases that identify it (``keys``), as a title analyst would
note them ("LOT 8", "BLOCK 33", "AMBER RIDGE ESTATES").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sample_deeds.places import County, State

SUBDIVISIONS = (
    "AMBER RIDGE ESTATES",
    "WILLOW CREEK",
    "HERON BAY",
    "QUAIL HOLLOW",
    "STONEGATE",
    "CORAL SHORES",
    "PINE MEADOW",
    "CANYON VIEW",
    "LAKESIDE TERRACE",
    "MAPLE GROVE ADDITION",
    "SAGEBRUSH HEIGHTS",
    "RIVER BEND",
)
SURVEYORS = ("JOHN W. HOLT", "MARIA DE LA CRUZ", "SAMUEL BRIGGS", "ELIAS McCOY", "THOMAS J. RANDOLPH")


@dataclass(frozen=True)
class LegalDescription:
    text: str
    keys: tuple[str, ...]


def _ca(rng: random.Random, county: County, city: str) -> LegalDescription:
    if rng.random() < 0.75:
        lot, tract = rng.randint(1, 180), rng.randint(1200, 39999)
        book, page = rng.randint(10, 1400), rng.randint(1, 99)
        return LegalDescription(
            f"LOT {lot} OF TRACT NO. {tract}, IN THE CITY OF {city.upper()}, COUNTY OF {county.name.upper()}, "
            f"STATE OF CALIFORNIA, AS PER MAP RECORDED IN BOOK {book} PAGE(S) {page} TO {page + rng.randint(1, 4)} "
            f"INCLUSIVE OF MAPS, IN THE OFFICE OF THE COUNTY RECORDER OF SAID COUNTY.",
            (f"LOT {lot}", f"TRACT NO. {tract}"),
        )
    parcel, parcel_map = rng.randint(1, 4), rng.randint(1000, 20999)
    return LegalDescription(
        f"PARCEL {parcel} OF PARCEL MAP NO. {parcel_map}, IN THE COUNTY OF {county.name.upper()}, "
        f"STATE OF CALIFORNIA, AS PER MAP FILED IN BOOK {rng.randint(10, 400)} PAGE {rng.randint(1, 99)} OF "
        f"PARCEL MAPS, IN THE OFFICE OF THE COUNTY RECORDER OF SAID COUNTY. EXCEPT THEREFROM ALL OIL, GAS AND "
        f"MINERALS LYING BELOW A DEPTH OF 500 FEET, WITHOUT THE RIGHT OF SURFACE ENTRY.",
        (f"PARCEL {parcel}", f"PARCEL MAP NO. {parcel_map}"),
    )


def _platted(rng: random.Random, state: State, county: County) -> LegalDescription:
    lot, block = rng.randint(1, 60), rng.choice((str(rng.randint(1, 40)), rng.choice("ABCDEFG")))
    subdivision = rng.choice(SUBDIVISIONS)
    county_state = f"{county.name.upper()} COUNTY, {state.name.upper()}"
    first, last = rng.randint(1, 120), rng.randint(1, 3)
    if state.code == "FL":
        tail = (
            f"ACCORDING TO THE PLAT THEREOF AS RECORDED IN PLAT BOOK {rng.randint(10, 180)}, PAGE(S) {first} "
            f"THROUGH {first + last}, OF THE PUBLIC RECORDS OF {county_state}."
        )
    elif state.code == "WA":
        tail = (
            f"ACCORDING TO THE PLAT RECORDED IN VOLUME {rng.randint(1, 300)} OF PLATS, PAGE {first}, "
            f"RECORDS OF {county_state}."
            if rng.random() < 0.5
            else f"AS RECORDED UNDER AUDITOR'S FILE NO. {rng.randint(3000000, 4999999)}; IN {county_state}."
        )
    elif state.code == "AZ":
        tail = (
            f"ACCORDING TO THE PLAT OF RECORD IN THE OFFICE OF THE COUNTY RECORDER OF {county_state}, "
            f"RECORDED IN BOOK {rng.randint(100, 1500)} OF MAPS, PAGE {first}."
        )
    elif state.code == "TX":
        tail = (
            f"A SUBDIVISION IN {county_state}, ACCORDING TO THE MAP OR PLAT THEREOF RECORDED IN "
            f"DOCUMENT NO. {rng.randint(2005, 2022)}{rng.randint(10000, 99999)} OF THE OFFICIAL PUBLIC RECORDS OF "
            f"{county_state}."
        )
    else:
        tail = f"FILING NO. {rng.randint(1, 6)}, COUNTY OF {county.name.upper()}, STATE OF {state.name.upper()}."
    return LegalDescription(
        f"LOT {lot}, BLOCK {block}, {subdivision}, {tail}", (f"LOT {lot}", f"BLOCK {block}", subdivision)
    )


def _section(rng: random.Random, state: State, county: County) -> LegalDescription:
    quarter = rng.choice(("NORTHEAST", "NORTHWEST", "SOUTHEAST", "SOUTHWEST"))
    sub = rng.choice(("NORTHEAST", "NORTHWEST", "SOUTHEAST", "SOUTHWEST"))
    section, township, range_ = rng.randint(1, 36), rng.randint(1, 30), rng.randint(1, 70)
    ns, ew = rng.choice(("NORTH", "SOUTH")), rng.choice(("EAST", "WEST"))
    meridian = {
        "CO": "OF THE 6TH P.M.",
        "AZ": "OF THE GILA AND SALT RIVER BASE AND MERIDIAN",
        "WA": "W.M.",
        "FL": "",
        "CA": "SAN BERNARDINO BASE AND MERIDIAN",
    }.get(state.code, "")
    return LegalDescription(
        f"THE {sub} QUARTER OF THE {quarter} QUARTER OF SECTION {section}, TOWNSHIP {township} {ns}, "
        f"RANGE {range_} {ew} {meridian}, COUNTY OF {county.name.upper()}, STATE OF {state.name.upper()}; "
        f"EXCEPT THE NORTH {rng.randint(10, 40)} FEET THEREOF FOR ROAD PURPOSES.".replace("  ", " "),
        (f"SECTION {section}", f"TOWNSHIP {township} {ns}", f"RANGE {range_} {ew}"),
    )


def _bearing(rng: random.Random) -> str:
    return (
        f"{rng.choice('NS')} {rng.randint(0, 89):02d}\u00b0{rng.randint(0, 59):02d}'{rng.randint(0, 59):02d}\" "
        f"{rng.choice('EW')}, A DISTANCE OF {rng.randint(20, 600)}.{rng.randint(0, 99):02d} FEET"
    )


def _metes(rng: random.Random, state: State, county: County) -> LegalDescription:
    acres = f"{rng.randint(0, 40)}.{rng.randint(0, 999):03d}"
    survey, abstract = rng.choice(SURVEYORS), rng.randint(10, 999)
    calls = "; THENCE ".join(_bearing(rng) for _ in range(rng.randint(3, 5)))
    return LegalDescription(
        f"BEING {acres} ACRES OF LAND OUT OF THE {survey} SURVEY, ABSTRACT NO. {abstract}, "
        f"{county.name.upper()} COUNTY, {state.name.upper()}, AND BEING MORE PARTICULARLY DESCRIBED BY METES "
        f"AND BOUNDS AS FOLLOWS: BEGINNING AT A 1/2 INCH IRON ROD FOUND FOR THE NORTHEAST CORNER OF THE "
        f"HEREIN DESCRIBED TRACT; THENCE {calls}; TO THE POINT OF BEGINNING.",
        (f"{acres} ACRES", f"{survey} SURVEY", f"ABSTRACT NO. {abstract}"),
    )


def legal_description(rng: random.Random, state: State, county: County, city: str) -> LegalDescription:
    if state.code == "CA":
        return _ca(rng, county, city)
    roll = rng.random()
    if state.code == "TX" and roll < 0.3:
        return _metes(rng, state, county)
    if state.code in ("CO", "AZ", "WA") and roll < 0.2:
        return _section(rng, state, county)
    return _platted(rng, state, county)
