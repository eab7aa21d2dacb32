import datetime as dt

import pytest

from textract_pipeline.extraction.amounts import find_amounts, parse_amount, words_to_amount
from textract_pipeline.extraction.dates import find_dates, parse_date
from textract_pipeline.extraction.names import normalize_name, split_parties
from textract_pipeline.extraction.schema_v1 import EntityKind


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dated: March 3, 2025", dt.date(2025, 3, 3)),
        ("MAR. 3 2025", dt.date(2025, 3, 3)),
        ("11/03/2025 08:00 AM", dt.date(2025, 11, 3)),
        ("recorded 3-4-25", dt.date(2025, 3, 4)),
        ("on this 5th day of June, 2024", dt.date(2024, 6, 5)),
        ("2025-01-31", dt.date(2025, 1, 31)),
        ("no date here", None),
        ("13/45/2025", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_find_dates_keeps_reading_order_and_source():
    dates = find_dates("On January 5, 2024 before me ... expires 06/01/2027")
    assert [d for d, _ in dates] == [dt.date(2024, 1, 5), dt.date(2027, 6, 1)]
    assert dates[0][1] == "January 5, 2024"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOCUMENTARY TRANSFER TAX IS $1,234.50", 1234.5),
        ("Total Fees: $ 43.00", 43.0),
        ("$0.00", 0.0),
        ("tax $1.234.50 (OCR read the comma as a period)", 1234.5),
        ("Four Hundred Thousand and 00/100 Dollars", 400000.0),
        ("One Million Two Hundred Fifty Thousand Dollars", 1250000.0),
        ("nothing", None),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_words_and_figures_prefer_figures():
    assert find_amounts("Four Hundred Thousand and 00/100 Dollars ($400,000.00)") == [(400000.0, "$400,000.00")]
    assert words_to_amount("Seventy-Five Dollars") == 75.0


def test_couple_with_shared_vesting():
    parties = split_parties("JOHN A. DOE AND JANE B. DOE, HUSBAND AND WIFE AS JOINT TENANTS")
    assert [(p.first_name, p.middle_name, p.last_name) for p in parties] == [
        ("JOHN", "A.", "DOE"),
        ("JANE", "B.", "DOE"),
    ]
    assert {p.vesting for p in parties} == {"HUSBAND AND WIFE AS JOINT TENANTS"}
    assert all(p.kind is EntityKind.PERSON for p in parties)


def test_trustees_keep_the_trust_in_their_vesting():
    parties = split_parties("JOHN ALAN DOE AND JANE BETH DOE, AS TRUSTEES OF THE DOE FAMILY TRUST DATED MARCH 3, 2015")
    assert [p.full_name for p in parties] == ["JOHN ALAN DOE", "JANE BETH DOE"]
    assert parties[1].vesting == "AS TRUSTEES OF THE DOE FAMILY TRUST DATED MARCH 3, 2015"


def test_company_names_keep_their_commas_and_ands():
    (company,) = split_parties("SMITH AND SONS, INC., A CALIFORNIA CORPORATION")
    assert company.kind is EntityKind.COMPANY
    assert company.entity_name == "SMITH AND SONS, INC."
    assert company.vesting == "A CALIFORNIA CORPORATION"


def test_trust_as_party_and_percentages_and_suffix():
    (trust,) = split_parties("THE JOHN AND JANE DOE FAMILY TRUST")
    assert trust.kind is EntityKind.TRUST
    tenants = split_parties(
        "JANE ROE, AS TO AN UNDIVIDED 50% INTEREST AND JOHN ROE JR., AS TO AN UNDIVIDED 50% INTEREST"
    )
    assert [p.percentage for p in tenants] == [50.0, 50.0]
    assert tenants[1].suffix == "JR" and tenants[1].last_name == "ROE"


def test_shared_last_name_is_borrowed():
    parties = split_parties("JOHN AND JANE DOE")
    assert [p.full_name for p in parties] == ["JOHN DOE", "JANE DOE"]


def test_normalize_name():
    assert normalize_name(" John A. Doe, ") == "JOHN A DOE"


def test_entity_names_across_and():
    names = lambda text: [(p.full_name, p.vesting) for p in split_parties(text)]  # noqa: E731
    assert names("PUGET SOUND HOMES AND DEVELOPMENT, LLC, a Washington limited liability company") == [
        ("PUGET SOUND HOMES AND DEVELOPMENT, LLC", "a Washington limited liability company")
    ]
    assert names("JEFFREY LYNN HALL AND LINDA LEE HALL REVOCABLE LIVING TRUST, executed May 26, 2020") == [
        ("JEFFREY LYNN HALL AND LINDA LEE HALL REVOCABLE LIVING TRUST", "executed May 26, 2020")
    ]
    # the AND inside the trust the trustees hold for does not make a third party
    trustees = "Jeffrey Lynn Hall and Linda Lee Hall, Trustees of The Jeffrey and Linda Hall Revocable Living Trust"
    assert [name for name, _ in names(trustees)] == ["Jeffrey Lynn Hall", "Linda Lee Hall"]
    assert [name for name, _ in names("JOHN DOE AND ACME, LLC")] == ["JOHN DOE", "ACME, LLC"]
