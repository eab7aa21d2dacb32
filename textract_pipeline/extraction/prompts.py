"""The versioned extraction prompt, built from the V1 schema (bump PROMPT_VERSION on any change).

Outputs record PROMPT_VERSION so a backfill after a prompt change is traceable.
"""

from __future__ import annotations

import copy
import json

from textract_pipeline.extraction.document_view import DocumentView
from textract_pipeline.extraction.schema_v1 import v1_json_schema

PROMPT_VERSION = "2026-12-03.1"
TOOL_NAME = "record_transfer"
TOOL_DESCRIPTION = "Record the structured data of one recorded real-estate document (V1 transfer record)."

RULES = """You extract a county-recorder "transfer record" from the OCR text of a recorded real-estate document.
Rules:
- Use only what the text says. Leave a field null (or a list empty) when the document does not state it; never guess.
- Every value carries evidence: the 1-based page it is on, the exact text it was read from (copied verbatim
  from the OCR text), and a confidence between 0 and 1.
- Names: copy each party's name exactly as printed, without the vesting, in full_name. For persons also give
  first_name, middle_name (initial or name), last_name and suffix (JR, SR, III). For trusts and companies set
  kind to "trust" or "company" and entity_name; leave the person parts null. Several parties joined by "AND"
  are separate entries; a shared vesting ("HUSBAND AND WIFE AS JOINT TENANTS") applies to each of them.
- Grantors are the parties who convey (the trustor / borrower of a deed of trust or mortgage, the seller on a
  transfer form); grantees receive (the beneficiary / lender, the buyer). The trustee of a deed of trust,
  reconveyance or trustee's deed goes in trustees. Trustees named "AS TRUSTEES OF THE X TRUST" are grantors or
  grantees with that vesting, not trustees. Give each party's role as the document words it ("trustor",
  "beneficiary", "grantee", "personal representative").
- Vesting is the phrase stating how title is held, as printed ("A SINGLE MAN", "AS TRUSTEES OF THE DOE FAMILY
  TRUST DATED MARCH 3, 2015", "A CALIFORNIA LIMITED LIABILITY COMPANY").
- Percentages are numbers from 0 to 100 ("AN UNDIVIDED 50% INTEREST" -> 50; "ONE-HALF" -> 50).
- Dates are ISO 8601 (YYYY-MM-DD). recorded_date and recorded_time (HH:MM, 24-hour) come from the recorder's
  stamp, dated_date from "Dated:" or "made this <date>", notary_date from the acknowledgment ("On <date> before
  me", "acknowledged before me this <day> of <month>, <year>").
- The recording number is the stamp's DOC# / instrument / CFN / reception / sequence number, letters and digits
  as stamped; book and book_page are the official records book and page ("OR BK 30585 PG 4762").
  recording_state is the two-letter state.
- Amounts are plain numbers in dollars: "$1,234.50" -> 1234.5. "Four Hundred Thousand and 00/100 Dollars" -> 400000.
- transfer_tax.amount is the documentary transfer tax, real estate excise tax, documentary stamps or fee paid.
  California exemptions are written "R&T <section>" (e.g. "R&T 11930"); others as printed
  ("WAC 458-61A-211(2)(g)", "A.R.S. 11-1134(B)(3)").
- mail_to is the "when recorded mail / return to" addressee, tax_statements_to the "mail tax statements to" one;
  never the recorder's own "Ret To:" line in its stamp.
- document_type is what the title says, read for its legal effect: grant, warranty, special warranty, statutory
  warranty, quitclaim, bargain and sale, trustee's, personal representative's deed, deed in lieu of foreclosure,
  trust transfer or interspousal deed, deed of trust, mortgage, reconveyance, release, satisfaction, court decree,
  preliminary change of ownership report, excise tax affidavit, transfer tax statement; "other" for anything else."""

EXAMPLES = """Examples (fragments):
Text: "JOHN A. DOE AND JANE B. DOE, HUSBAND AND WIFE AS JOINT TENANTS hereby GRANT(S) to DOE HOLDINGS, LLC, A
CALIFORNIA LIMITED LIABILITY COMPANY"
-> grantors: [{"full_name": "JOHN A. DOE", "kind": "person", "first_name": "JOHN", "middle_name": "A.",
   "last_name": "DOE", "vesting": "HUSBAND AND WIFE AS JOINT TENANTS", ...},
   {"full_name": "JANE B. DOE", "kind": "person", "first_name": "JANE", "middle_name": "B.", "last_name": "DOE",
   "vesting": "HUSBAND AND WIFE AS JOINT TENANTS", ...}]
-> grantees: [{"full_name": "DOE HOLDINGS, LLC", "kind": "company", "entity_name": "DOE HOLDINGS, LLC",
   "vesting": "A CALIFORNIA LIMITED LIABILITY COMPANY", ...}]
Text: "DOC# 2025000012345 ... 03/04/2025 08:00 AM" -> recording.document_number.value "2025000012345",
   recording.recorded_date.value "2025-03-04"
Text: "DOCUMENTARY TRANSFER TAX IS $0.00 No Consideration Due ... R&T 11930" -> transfer_tax.amount.value 0,
   transfer_tax.exemption.value "R&T 11930\""""


def inline_refs(schema: dict) -> dict:
    """Resolve ``$ref``/``$defs``: several model servers reject or ignore references in tool schemas."""
    definitions = schema.get("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                target = definitions[node["$ref"].split("/")[-1]]
                merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
                return resolve(merged)
            return {key: resolve(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


def tool_schema() -> dict:
    schema = inline_refs(v1_json_schema())
    for key in ("$id", "x-schema-version", "title"):
        schema.pop(key, None)
    return schema


def document_text(view: DocumentView, pages: list[int]) -> str:
    return "\n".join(f"--- Page {page} ---\n{view.page_text(page)}" for page in pages)


def system_prompt() -> str:
    return f"{RULES}\n\n{EXAMPLES}"


def user_prompt(text: str, part: int, parts: int) -> str:
    scope = "" if parts == 1 else f" This is part {part} of {parts} of the document; extract what this part states."
    return (
        f"Extract the transfer record from the document below.{scope}\n"
        f"Answer by calling the tool `{TOOL_NAME}` whose input follows this JSON Schema:\n"
        f"{json.dumps(tool_schema(), separators=(',', ':'))}\n\n"
        f"<document>\n{text}\n</document>"
    )


def repair_prompt(error: str) -> str:
    return (
        "Your answer did not validate against the schema. Fix exactly these problems and answer again with the "
        f"complete record:\n{error}"
    )
