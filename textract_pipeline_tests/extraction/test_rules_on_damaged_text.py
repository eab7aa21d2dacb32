"""Rules that recover a value OCR damaged, on pages built line by line (text, place on the page)."""

from __future__ import annotations

from textract_pipeline.extraction import DeterministicExtractor
from textract_pipeline.extraction.document_view import DocumentView, PageLine
from textract_pipeline.extraction.rules.values import mend_raised_ordinals
from textract_pipeline.extraction.schema_v1 import V1Record


def page(*rows: tuple[float, float, str], confidence: float = 0.95) -> DocumentView:
    """One page of lines, each given as (x, y, text) in page fractions."""
    lines = [
        PageLine(
            page=1, index=i, text=text, confidence=confidence, x=x, y=y, width=min(0.9, 0.012 * len(text)), height=0.012
        )
        for i, (x, y, text) in enumerate(rows)
    ]
    return DocumentView(lines=lines, key_values=[], page_count=1)


def record_of(view: DocumentView) -> V1Record:
    return DeterministicExtractor().extract_v1(view).record


BODY = [
    (0.40, 0.30, "QUIT CLAIM DEED"),
    (0.13, 0.33, "THE GRANTORS, JOHN ROE and MARY ROE, husband and wife, for and in consideration of"),
    (0.13, 0.345, "love and affection, conveys and quit claims to PETER POE, a single man, the following"),
    (0.13, 0.36, "described real estate, situated in Miami-Dade County, Florida, to-wit:"),
    (0.13, 0.38, "Lot 15, Block 2, SUNNY ACRES, according to the plat thereof."),
]


def test_a_county_name_cut_on_the_stamp_gives_way_to_the_body():
    stamped = page((0.72, 0.02, "CFN 2017R0358201"), (0.74, 0.035, "I-DADE COUNTY, FLORIDA"), *BODY)
    assert record_of(stamped).recording.recording_county.value == "Miami-Dade"
    whole = page((0.72, 0.02, "CFN 2017R0358201"), (0.70, 0.035, "BROWARD COUNTY, FLORIDA"), *BODY)
    assert record_of(whole).recording.recording_county.value == "Broward"  # a stamp's own county stands


def test_a_state_name_cut_off_on_the_stamp_is_read_weak():
    cut = page(*BODY[:3], (0.49, 0.94, "5070305 Pages: 1"), (0.49, 0.956, "Thurston County Washingt"))
    state = record_of(cut).recording.recording_state
    assert state.value == "WA" and state.evidence.weak
    too_short = page(*BODY[:3], (0.49, 0.94, "5070305 Pages: 1"), (0.49, 0.956, "Marion County Indian"))
    assert record_of(too_short).recording.recording_state is None  # "Indian" could be a word of its own


def test_the_acknowledgment_adds_a_grantor_the_clause_lost():
    clause = [
        (0.13, 0.33, "THE GRANTORS ng Wang and Yue Zhao, husband and wife, for and in consideration of"),
        (0.13, 0.345, "love and affection, conveys and quit claims to PETER POE, a single man, the following"),
    ]
    acknowledgment = [
        (0.19, 0.60, "I certify that I know or have satisfactory evidence that Dong Wang and Yue Zhao (name of"),
        (0.19, 0.615, "person) is the person who appeared before me."),
    ]
    assert [p.full_name for p in record_of(page(*clause)).grantors] == ["Yue Zhao"]
    assert [p.full_name for p in record_of(page(*clause, *acknowledgment)).grantors] == ["Yue Zhao", "Dong Wang"]


def test_a_companys_acknowledgment_adds_no_grantor():
    clause = [
        (0.13, 0.33, "THE GRANTOR, ACME HOMES LLC, a Florida limited liability company, for and in consideration of"),
        (0.13, 0.345, "ten dollars, conveys and warrants to PETER POE, a single man, the following described land:"),
        (0.19, 0.60, "The foregoing instrument was acknowledged before me this 3rd day of May, 2024 by"),
        (0.19, 0.615, "John Smith, as manager of ACME HOMES LLC, who is personally known to me."),
    ]
    assert [p.full_name for p in record_of(page(*clause)).grantors] == ["ACME HOMES LLC"]


def test_a_name_cut_at_its_middle_initial_is_no_party():
    clause = [
        (0.13, 0.33, "THE GRANTORS, JOHN ROE and MARY ROE, husband and wife, for and in consideration of"),
        (
            0.13,
            0.345,
            "ten dollars, conveys and warrants to Jose M., an unmarried man, and April E. Smith, the following",
        ),
    ]
    assert [p.full_name for p in record_of(page(*clause)).grantees] == ["April E. Smith"]
    last_name_first = [clause[0], (0.13, 0.345, "ten dollars, conveys and warrants to SMITH, APRIL E., the following")]
    assert [p.full_name for p in record_of(page(*last_name_first)).grantees] == ["SMITH, APRIL E"]


def test_a_raised_ordinal_read_as_a_quote_mark_is_mended():
    assert mend_raised_ordinals('2003 79" Ave. SE, Olympia, WA 98501') == "2003 79th Ave. SE, Olympia, WA 98501"
    assert mend_raised_ordinals("12 1” Street") == "12 1st Street"
    assert mend_raised_ordinals('5 112" Ave') == "5 112th Ave"
    assert mend_raised_ordinals("2038 79th Ave SE") == "2038 79th Ave SE"


def test_a_property_address_takes_its_lost_city_from_the_same_street_elsewhere():
    header = [
        (0.15, 0.18, "RECORD AND RETURN TO:"),
        (0.15, 0.195, "Yue Zhao"),
        (0.15, 0.21, "7550 41ST AVE NE,"),
        (0.15, 0.225, "Seattle WA 98115"),
    ]
    situs = (0.13, 0.44, "STREET ADDRESS: 7550 41ST AVE NE, e WA 98115")
    address = record_of(page(*header, *BODY, situs)).property.situs_address
    assert address.value == "7550 41ST AVE NE, Seattle WA 98115" and address.evidence.weak
    elsewhere = [header[0], header[1], (0.15, 0.21, "1 MAIN ST,"), header[3]]
    assert record_of(page(*elsewhere, *BODY, situs)).property.situs_address.value == "7550 41ST AVE NE, e WA 98115"


SIGNED = [
    (0.40, 0.24, "WARRANTY DEED"),
    (0.10, 0.28, "THIS DEED, mf ch 26, 2021 by ASHL ILLIAMS, AS TO AN"),  # a watermark ate the grantors' names
    (
        0.11,
        0.30,
        "for the consideration of ten dollars, conveys and warrants to PETER POE, a single man, the following",
    ),
    (0.11, 0.55, "Signed this 26th day of March, 2021."),
    (0.14, 0.58, "Ashley H. Williams"),
    (0.11, 0.62, "ASHLEY H. WILLIAMS"),
    (0.11, 0.66, "WILLIAM E. WRIGHT"),
    (0.11, 0.70, "Printed Name: JAMES C. WALKER"),
    (0.11, 0.72, "Witness"),
    (0.11, 0.76, "STATE OF COLORADO"),
    (0.11, 0.78, "COUNTY OF LARIMER"),
    (0.11, 0.80, "JOHN NOTARY SMITH"),
]


def test_grantors_no_clause_named_are_read_from_the_typed_names_under_the_signatures():
    grantors = record_of(page(*SIGNED)).grantors
    assert [p.full_name for p in grantors] == ["ASHLEY H. WILLIAMS", "WILLIAM E. WRIGHT"]  # not the witness
    assert all(p.evidence.weak for p in grantors)


def test_a_company_signs_over_its_by_line():
    company = [
        *SIGNED[:4],
        (0.11, 0.60, "MILE HIGH HOME FUNDING, LLC"),
        (0.14, 0.62, "L. Ortiz"),
        (0.11, 0.64, "By: Manager"),
    ]
    assert [p.full_name for p in record_of(page(*company)).grantors] == ["MILE HIGH HOME FUNDING, LLC"]
