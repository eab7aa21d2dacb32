"""Party names as deeds print them: several parties, shared vesting, trusts and companies.

"JOHN A. DOE AND JANE B. DOE, HUSBAND AND WIFE AS JOINT TENANTS" is two persons with
one shared vesting; "ACME HOLDINGS, LLC, A CALIFORNIA LIMITED LIABILITY COMPANY" is
one company. Names keep their printed spelling; the parse only adds first / middle /
last for persons and classifies the entity kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import probablepeople

from textract_pipeline.extraction.schema_v1 import EntityKind

SUFFIXES = {"JR", "SR", "II", "III", "IV", "V", "ESQ"}
_COMPANY_WORDS = re.compile(
    r"\b(LLC|L\.L\.C|INC|INCORPORATED|CORP|CORPORATION|COMPANY|CO\.|LP|L\.P|LLP|LTD|BANK|"
    r"ASSOCIATION|PARTNERSHIP|N\.A|FEDERAL CREDIT UNION|CREDIT UNION|HOLDINGS|PROPERTIES|INVESTMENTS|GROUP)\b",
    re.I,
)
_TRUST_WORD = re.compile(r"\bTRUST\b", re.I)

# Where the vesting starts after a name: ", A SINGLE MAN", " AS TRUSTEE...", ", HUSBAND AND WIFE"
_VESTING_START = re.compile(
    r"(?:,\s*|\s+)(?=(?:AS\s|A\s|AN\s|A{1,2}N?\W?(?:MARRIED|UNMARRIED|SINGLE|WIDOW)|HUSBAND\b|WIFE\b|SPOUSES?\b|MARRIED\b|UNMARRIED\b|SINGLE\b|"
    r"TRUSTEES?\b|SUCCESSOR\b|CO-?TRUSTEES?\b|ALL\s+AS\b|EACH\s+AS\b|WHO\s|INDIVIDUALLY\b|"
    r"JOINT\s+TENANTS\b|TENANTS\b|HIS\s|HER\s|THEIR\s|EXECUTED\b|DATED\b|D/?B/?A\b|U/?D/?T\b|WTTA\b|"
    r"UNDER\s+(?:TRUST|DECLARATION|AGREEMENT)\b))",
    re.I,
)
# "AND" that is part of a vesting phrase rather than a list of parties
_VESTING_AND = re.compile(
    r"\b(HUSBAND\W*\s+AND\s+WIFE|WIFE\W*\s+AND\s+HUSBAND|SOLE\W*\s+AND\s+SEPARATE|HUSBAND AND HUSBAND|WIFE AND WIFE|"
    r"TRUSTEES? AND SUCCESSOR|SPOUSES AND)\b",
    re.I,
)
_TRUSTEE_OF = re.compile(r"\bTRUSTEES?\s+(?:OF|FOR|UNDER)\s+.*?\bTRUST\b", re.I | re.S)
_VESTING_ONLY = re.compile(
    r"^\s*(?:AS\s+TO|AS\s+(?:JOINT|TENANTS|COMMUNITY|HIS|HER|THEIR|TRUSTEES?)|HUSBAND|WIFE|SPOUSES?|SEPARATE\s+PROPERTY)\b",
    re.I,
)
_DATE_COMMA = re.compile(r"\b([A-Z][a-z]*\.? \d{1,2}),(\s*\d{4})", re.I)
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_FRACTION_WORDS = {"ONE-HALF": 50.0, "ONE HALF": 50.0, "ONE-THIRD": 100 / 3, "ONE-FOURTH": 25.0, "ONE-QUARTER": 25.0}
_PLURAL_VESTING = re.compile(
    r"\b(HUSBAND AND WIFE|WIFE AND HUSBAND|SPOUSES|JOINT TENANTS|TENANTS IN COMMON|COMMUNITY PROPERTY|TRUSTEES|ALL AS|EACH AS|"
    r"MARRIED COUPLE|MARRIED PERSONS|TENANTS BY THE ENTIRETY|ENTIRETIES)\b",
    re.I,
)


@dataclass(frozen=True)
class ParsedParty:
    full_name: str
    kind: EntityKind
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    suffix: str | None
    entity_name: str | None
    vesting: str | None
    percentage: float | None


def normalize_name(name: str) -> str:
    """Comparison key: upper case, letters/digits only, single spaces ('John A. Doe,' -> 'JOHN A DOE')."""
    return " ".join(re.sub(r"[^A-Z0-9&]+", " ", name.upper()).split())


def entity_kind(name: str) -> EntityKind:
    if _TRUST_WORD.search(name):
        return EntityKind.TRUST
    if _COMPANY_WORDS.search(name):
        return EntityKind.COMPANY
    return EntityKind.PERSON


def parse_person(name: str) -> tuple[str | None, str | None, str | None, str | None]:
    """First, middle, last, suffix of a person's name printed in natural order."""
    tokens = [t for t in re.split(r"\s+", name.replace(",", " ").strip()) if t]
    suffix = None
    if len(tokens) > 1 and tokens[-1].upper().rstrip(".") in SUFFIXES:
        suffix = tokens.pop().rstrip(".")
    if not tokens:
        return None, None, None, suffix
    if len(tokens) == 1:
        return None, None, tokens[0], suffix
    middle = " ".join(tokens[1:-1]) or None
    return tokens[0], middle, tokens[-1], suffix


def _percentage(vesting: str | None) -> float | None:
    if not vesting:
        return None
    match = _PERCENT.search(vesting)
    if match:
        return float(match.group(1))
    for words, value in _FRACTION_WORDS.items():
        if words in vesting.upper():
            return round(value, 2)
    return None


def _split_vesting(chunk: str) -> tuple[str, str | None]:
    """'JOHN DOE, A SINGLE MAN' -> ('JOHN DOE', 'A SINGLE MAN'). Company names keep their commas."""
    kind = entity_kind(chunk)
    search_from = 0
    if kind is EntityKind.COMPANY:
        company = _COMPANY_WORDS.search(chunk)
        search_from = company.end() if company else 0
    match = _VESTING_START.search(chunk, search_from)
    if not match or match.start() == 0:
        return chunk.strip(" ,;"), None
    return chunk[: match.start()].strip(" ,;"), chunk[match.end() :].strip(" ,;.") or None


def split_parties(text: str) -> list[ParsedParty]:
    """All parties named in a grantor or grantee clause, each with its (possibly shared) vesting."""
    # OCR glues "AND" to punctuation ("HUSBAND.AND WIFE", "MILLER AND.ROBERT")
    text = re.sub(r"(?<=[A-Za-z])[.,]?\s*\b(AND)\b\s*[.,]?(?=[A-Za-z])", r" \1 ", text, flags=re.I)
    protected = _VESTING_AND.sub(lambda m: re.sub(r"\s+(and)\s+", "\x00\\1\x00", m.group(0), flags=re.I), text)
    # "TRUSTEES OF THE JOHN AND JANE DOE TRUST": an AND inside the trust a trustee holds for
    protected = _TRUSTEE_OF.sub(lambda m: re.sub(r"\s+(and|&)\s+", "\x00\\1\x00", m.group(0), flags=re.I), protected)
    protected = _DATE_COMMA.sub(lambda m: m.group(1) + "\x01" + m.group(2), protected)
    protected = " ".join(protected.split()).strip(" ,;.")
    if not protected:
        return []
    pieces = re.split(r"\s+(AND|&)\s+|;\s*", protected, flags=re.I)
    chunks = [(piece, pieces[i - 1] or "AND") if i else (piece, "AND") for i, piece in enumerate(pieces) if i % 2 == 0]
    # a company or trust name may itself contain "AND" ("SMITH AND SONS, INC.", "THE JOHN AND JANE DOE TRUST")
    merged: list[str] = []
    for chunk, joiner in ((c, j) for c, j in chunks if c and c.strip(" ,")):
        if merged and _continues_entity(merged[-1], chunk):
            merged[-1] = f"{merged[-1]} {joiner} {chunk}"
        elif merged and _VESTING_ONLY.match(chunk):  # a vesting cut off by a stray ";" belongs to the name before
            merged[-1] = f"{merged[-1]}, {chunk}"
        else:
            merged.append(chunk)
    parsed = [_split_vesting(c) for c in merged]
    # a trailing plural vesting ("..., HUSBAND AND WIFE AS JOINT TENANTS") covers earlier bare names
    shared = (
        parsed[-1][1]
        if parsed and parsed[-1][1] and _PLURAL_VESTING.search(parsed[-1][1].replace("\x00", " "))
        else None
    )
    parties: list[ParsedParty] = []
    for index, (name, vesting) in enumerate(parsed):
        if vesting is None and shared and index < len(parsed) - 1:
            vesting = shared
        name = name.replace("\x01", ",").replace("\x00", " ")
        vesting = vesting.replace("\x01", ",").replace("\x00", " ") if vesting else None
        if not re.search(r"[A-Za-z]{2}", name):
            continue
        parties.append(_make_party(name, vesting))
    _borrow_shared_last_names(parties)
    return parties


def _continues_entity(previous: str, chunk: str) -> bool:
    """Whether ``chunk`` finishes an entity's name begun before an "AND" ("PUGET SOUND HOMES AND DEVELOPMENT, LLC").

    A one-word or "THE ..." piece always does. A trust named after people ("JOHN DOE AND JANE DOE REVOCABLE
    TRUST") does when the piece before has no vesting of its own. A company whose own name is one word
    ("DEVELOPMENT, LLC") does when the piece before reads as a company name, not a person's (probablepeople).
    """
    kind = entity_kind(chunk)
    if kind is EntityKind.PERSON:
        return False
    if _is_name_fragment(previous):
        return True
    if _split_vesting(previous)[1] is not None or chunk.upper().startswith(("THE ", "A ", "AN ")):
        return False
    name = _split_vesting(chunk)[0]
    if kind is EntityKind.TRUST:
        return entity_kind(name) is EntityKind.TRUST
    company = _COMPANY_WORDS.search(name)
    own_words = name[: company.start()].replace(",", " ").split() if company else []
    return len(own_words) <= 1 and _reads_as_company(previous)


def _reads_as_company(name: str) -> bool:
    try:
        _, kind = probablepeople.tag(name)
    except probablepeople.RepeatedLabelError:
        return False
    return kind == "Corporation"


def _is_name_fragment(chunk: str) -> bool:
    """A piece before 'AND' that cannot stand alone as a party: one word, or starting with 'THE'."""
    name, vesting = _split_vesting(chunk)
    return vesting is None and (len(name.split()) < 2 or name.upper().startswith("THE "))


def _make_party(name: str, vesting: str | None) -> ParsedParty:
    kind = entity_kind(name)
    if kind is EntityKind.PERSON:
        first, middle, last, suffix = parse_person(name)
        return ParsedParty(name, kind, first, middle, last, suffix, None, vesting, _percentage(vesting))
    return ParsedParty(name, kind, None, None, None, None, name, vesting, _percentage(vesting))


def _borrow_shared_last_names(parties: list[ParsedParty]) -> None:
    """'JOHN AND JANE DOE': a lone first name takes the next person's last name."""
    for index, party in enumerate(parties[:-1]):
        following = parties[index + 1]
        if (
            party.kind is EntityKind.PERSON
            and party.first_name is None
            and following.kind is EntityKind.PERSON
            and following.last_name
        ):
            parties[index] = ParsedParty(
                f"{party.full_name} {following.last_name}",
                party.kind,
                party.last_name,
                None,
                following.last_name,
                party.suffix,
                None,
                party.vesting or following.vesting,
                party.percentage,
            )
