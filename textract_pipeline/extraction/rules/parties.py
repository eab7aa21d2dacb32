"""Who conveys to whom, read from the grammar of the instrument rather than from one template.

Three readings, most explicit first, each filling only the roles still empty:

1. Defined roles: ``X (the "Grantor")``, ``X, herein called TRUSTOR``, ``X hereinafter called the
   grantee``, ``"Borrower" is X.`` (uniform deeds of trust), ``X ("Mortgagee")``.
2. The conveying clause: ``<grantors> ... (hereby) grant(s) / convey(s) and warrant(s) / quit
   claim(s) / remise, release and quitclaim ... to <grantees> the following described ...``, with
   the grantors after "THE GRANTOR(S)", "acknowledged," or "I or we," and before the consideration.
3. Forms: labelled boxes ("BUYER/TRANSFEREE", "SELLER/TRANSFEROR", a cover sheet's "Grantor(s)").

A deed of trust's trustor goes with the grantors, its beneficiary or lender with the grantees, its
trustee with the trustees; a release or reconveyance mirrors the instrument it releases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textract_pipeline.extraction.names import ParsedParty, normalize_name, split_parties
from textract_pipeline.extraction.rules.layout import Layout, PageStream, evidence
from textract_pipeline.extraction.schema_v1 import DocumentType, EntityKind, Party

T = DocumentType
GRANTOR, GRANTEE, TRUSTEE = "grantor", "grantee", "trustee"
_ROLE_SIDE = {
    "grantor": GRANTOR, "grantors": GRANTOR, "trustor": GRANTOR, "trustors": GRANTOR, "borrower": GRANTOR,
    "borrowers": GRANTOR, "mortgagor": GRANTOR, "mortgagors": GRANTOR, "seller": GRANTOR, "sellers": GRANTOR,
    "transferor": GRANTOR, "grantee": GRANTEE, "grantees": GRANTEE, "beneficiary": GRANTEE, "lender": GRANTEE,
    "mortgagee": GRANTEE, "buyer": GRANTEE, "buyers": GRANTEE, "transferee": GRANTEE, "trustee": TRUSTEE,
}  # fmt: skip
_ROLES = (
    r"Grantors?|Grantees?|Trustors?|Trustee|Beneficiary|Borrowers?|Lender|Mortgagors?|Mortgagee|Sellers?|Buyers?"
    r"|Transferor|Transferee"
)
_Q = r"[\"“”'‘’]*"
# X (the "Grantor") / X (herein Grantees) / X, herein called TRUSTOR / X hereinafter called the "grantee"
_ROLE_MARKER = re.compile(
    rf"\(\s*(?:the\s+|herein(?:after)?\s+)?(?:called\s+|referred\s+to\s+as\s+)?(?:the\s+)?{_Q}(?P<bracketed>{_ROLES})"
    rf"(?:\(s\))?{_Q}\s*\)"
    rf"|,?\s*herein(?:after)?\s*(?:called|referred\s+to\s+as|designated\s+as)\s+(?:the\s+)?{_Q}(?P<called>{_ROLES})"
    rf"(?:\(s\))?{_Q}(?=[\s,.;:)]|$)"
    rf"|,?\s+as\s+{_Q}(?P<as_role>Trustors?|Mortgagors?|Grantors?|Beneficiary|Mortgagee|Lender)(?:\(s\))?{_Q}"
    r"(?=[\s,.;:)]|$)"
    # Colorado's statutory forms: "REDWOOD INVESTMENTS, INC., A COLORADO CORPORATION, Grantor(s), of the County of"
    r"|,\s*(?-i:(?P<bare>Grantors?|Grantees?|GRANTORS?|GRANTEES?))(?:\(s\))?\s*,",
    re.I,
)
# uniform instruments: (C) "Borrower" is JOHN DOE AND JANE DOE. Borrower is the trustor ...
_DEFINED = re.compile(
    rf"{_Q}(?P<role>Borrower|Lender|Trustee|Mortgagee|Mortgagor){_Q}\s+(?:is|means)\s+(?P<names>.+?)"
    r"(?=\.\s+(?:Borrower|Lender|Trustee|MERS|The|This)\b|\s+\([A-Z]\)\s|,?\s+whose\s+address|\.\s*$)",
    re.I | re.S,
)
_BOUNDARY = re.compile(
    r"(?<!\bas\s)(?<!TENANTS\s)\b(?:by|from|between|among|to|unto|that)\b\s*:?|\bTHE\s+GRANTORS?(?:\(S\))?\s*[,:]?|\bGRANTORS?(?:\(S\))?\s*:",
    re.I,
)
_VERB = re.compile(
    r"(?:\b(?:do(?:es)?|ha(?:s|ve))\s*(?:\(\s*es\s*\)|/\s*does)?\s*)?(?:\bhereby\s+)?"
    r"\b(?:GRANT\(S\)|grants?|conveys?|quit\s*-?\s*claims?|remises?,?\s+releases?,?\s+and\s+(?:forever\s+)?quit\s*-?\s*claims?"
    r"|bargains?,?\s+sells?,?\s+and\s+conveys?|warrants?|transfers?|distributes?|sets?\s+over)"
    r"(?:,?\s+and\s+(?:warrants?|quit\s*-?\s*claims?|conveys?|releases?|confirms?)(?:\s+specially)?)*"
    r"(?:,?\s+(?:but\s+)?without\s+(?:any\s+)?(?:covenants?\s+(?:of|or)\s+)?warranty(?:,?\s*express\s+or\s+implied)?)?"
    r",?\s+(?:to|unto)\b",
    re.I,
)
# where the grantors' names begin: a label, else the end of the consideration recital
_GRANTOR_LABEL = re.compile(
    r"(?-i:THE\s+GRANTORS?(?:\(S\))?)\s*[,:]?|(?-i:\bGRANTORS?(?:\(S\))?)\s*:|(?<!\w)[Il|1]\s+or\s+we\s*,", re.I
)
# the consideration is paid to the grantors: "... in hand paid to: JOHN DOE, a single man, residing at ..."
_GRANTOR_ANCHOR = re.compile(r"acknowledged\s*[,.;:]|consideration(?:s)?\s*[,.;:]|\bpaid\s*,|\bpaid\s+to\s*:", re.I)
_CONSIDERATION_START = re.compile(
    r"\b(?:for\s+(?:and\s+in\s+)?(?:a\s+)?(?:good\s+and\s+)?(?:valuable\s+)?consideration|in\s+consideration|"
    r"for\s+the\s+(?:sum|consideration)|for\s+(?:ten|one)\b)",
    re.I,
)
_GRANTEE_END = re.compile(
    r",?\s*(?:\bthe\s+(?:following|real|land|property|premises|lands)\b|\ball\s+(?:that|of|the|his|her|their|Grantors?|right)\b"
    r"|\bin\s+all\s+that\b|\bwhose\s|\bwith\s+a\s+(?:mailing|principal)|\bhereinafter\b|\bherein\s|\(|\bsituated\b|\blying\b"
    r"|\blocated\b|\breal\s+(?:property|estate)\b|\bthat\s+certain\b|\bforever\b|\band\s+(?:to\s+)?(?:his|her|their|its)\s+"
    # who signs for a company is not a grantee: "X LLC with JOHN DOE acting as its manager", "by and through"
    r"|\bwith\s+[A-Z][^,;]{0,40}?\bacting\b|\bacting\s+(?:as|by|through)\b|\bby\s+and\s+through\b"
    r"(?:heirs|successors)|\bsaid\s+(?:real|land|property)\b|\bdescribed\s+as\b|\bin\s+the\s+County\b|[;:])",
    re.I,
)
# a name's address or role description, never part of the name: up to the address's ZIP code when
# another party follows it ("A, residing at 1 Main St, Town, FL 33147. B, residing at ..."), else to the end
_ADDRESS_TAIL = re.compile(
    r",?\s*(?:whose\s+(?:post\s+office\s+|mailing\s+|street\s+|legal\s+)?address\b|with\s+a\s+(?:mailing|principal\s+office)\s+address|"
    r"residing\s+at|having\s+(?:its|an)\s+(?:principal\s+)?(?:office|address)|of\s+the\s+same)\b"
    r"(?:.*?\b\d{5}(?:-\d{4})?\b\s*\.\s+(?=[A-Z][a-z]+\s+[A-Z])|.*$)",
    re.I | re.S,
)
_ROLE_WORDS = re.compile(
    r"^(?:the\s+|said\s+)?(?:undersigned|grantors?|grantees?|trustors?|trustees?|beneficiary|borrowers?|lenders?|"
    r"transferors?|transferees?|buyers?|sellers?|"
    r"person\s+or\s+persons\s+legally\s+entitled\s+thereto|persons?\s+legally\s+entitled)(?:\(s\))?\W*$",
    re.I,
)
_LEAD = re.compile(
    r"^(?:\W|\band\b|\bto\b|\bunto\b|\bby\b|\bfrom\b|\bbetween\b|\bamong\b|\bthe\s+(?=[A-Z]{2}))+|^THE\s+GRANTORS?(?:\(S\))?\W*",
    re.I,
)
_AS_TRUSTEE = re.compile(
    r"(?P<names>[A-Z][A-Za-z.,&' -]{3,90}?),?\s+as\s+(?:the\s+)?(?:duly\s+appointed\s+)?(?:successor\s+)?"
    r"Trustee\b(?!\s+of\s+the)",
)
# releases and satisfactions: "that LENDER, the owner and holder of a certain lien executed by BORROWERS dated ..."
_HOLDER = re.compile(
    r"\bthat\s+(?P<names>[A-Z][^;]{2,120}?),?\s+the\s+(?:legal\s+)?(?:owner\s+and\s+)?(?:legal\s+)?holder\s+of", re.I
)
_EXECUTED_BY = re.compile(
    r"\b(?:executed|made|given|granted)\s+by\s+(?P<names>[A-Z][^;]{2,160}?)(?=,?\s+(?:dated|as\s+(?:Trustors?|Mortgagors?|Grantors?)"
    r"|to\s|in\s+favor|recorded|securing|and\s+recorded|\()|,\s+(?:a|an)\s)",
)
_ESTATE = re.compile(r"\bEstate\s+of\s+(?P<name>[A-Z][A-Za-z.'\- ]{3,60}?),?\s+(?:a\s+)?Deceased\b", re.I)
_DISTRIBUTED = re.compile(
    r"\b(?:distributed|set\s+over|assigned)\s+(?:to|unto)\s+(?P<names>.+?)(?=,?\s*(?:the\s+following|all\s+(?:of\s+)?(?:the|that)|"
    r"in\s+equal|as\s+(?:his|her|their)\s+sole|the\s+real|[;:]))",
    re.I | re.S,
)
_FORM_LABELS = {
    GRANTOR: re.compile(
        r"^\W*(?:SELLER\s*/\s*TRANSFEROR|Grantor(?:\(s\)|s)?|Name\s+of\s+Seller)\s*(?:\([^)]*\)?)?\s*(?::|$)", re.I
    ),
    GRANTEE: re.compile(
        r"^\W*(?:BUYER\s*/\s*TRANSFEREE|Grantee(?:\(s\)|s)?|Name\s+of\s+Buyer)\s*(?:\([^)]*\)?)?\s*(?::|$)", re.I
    ),
}
# a line that carries on the one above rather than naming another party
_CONTINUES = re.compile(r"[\da-z]|(?:OF|AND|AS|WITH|THE|TO|IN|FOR|DATED|TRUST|INTEREST|RIGHT|SURVIVORSHIP|PROPERTY)\b")
_A_LABEL = re.compile(
    r":\s*$|^\W*(?:Grantors?|Grantees?|Legal|Assessor|Reference|Consideration|Property|Date|BUYER|SELLER|"
    r"TRANSFER[EO]{2}R?|STREET\s+ADDRESS|MAIL\s+PROPERTY)\b",
    re.I,
)
# who signed, as the notary's acknowledgment names them: "satisfactory evidence that X is the person who
# appeared", "personally appeared (before me) X, to me known", "acknowledged before me on <date> by X, who"
_ACKNOWLEDGED = re.compile(
    r"(?:satisfactory\s+evidence\s+that|personally\s+appeared(?:\s+before\s+me)?,?|acknowledged\s+before\s+me\b[^;]{0,60}?\bby)"
    r"\s+(?P<names>[A-Z][^;()]{2,120}?)(?=\s*\(|,?\s+(?:is|are|who|whose|to\s+me|personally|proved|known|as)\b|\s*;|\s*$)",
)
# the signature block: from the signing line down to the acknowledgment
_SIGNING_START = re.compile(r"^\W*(?:Dated|Signed|Executed)\b|IN\s+WITNESS\s+WHEREOF", re.I)
_SIGNING_END = re.compile(r"\bSTATE\s+OF\b|\bCOUNTY\s+OF\b|ACKNOWLEDG|\bNOTARY\b|\bss\b\.?\s*$", re.I)
_SIGNING_LINES = 16
# a signer's name typed under the signature line: capitals only, as forms print it ("JESSICA J. RAMIREZ")
_TYPED_SIGNER = re.compile(r"^(?-i:[A-Z][A-Z.'-]*(?:\s+[A-Z][A-Z.'-]*){1,5})(?:,\s*(?-i:JR|SR|II|III|IV)\.?)?$")
_NOT_SIGNER = re.compile(
    r"\b(?:WITNESS(?:ES)?|NOTARY|GRANTORS?|GRANTEES?|SIGNATURE|DEED|STATE|COUNTY|PRINTED|NAME|SEAL|BY|ITS|"
    r"PUBLIC|COMMISSION|TRUSTEE|SECRETARY|PRESIDENT|MANAGER|MEMBER|OFFICER|AUTHORIZED|ADDRESS|DATE|MAIL|TAX|"
    r"STATEMENTS?|RETURN|RECORD(?:ED|ING)?|ABOVE|BELOW|DIRECTED|PAGE|OF|THE|AND|TO|FOR)\b",
    re.I,
)
_SIGNING_COMPANY = re.compile(r"\b(?:LLC|L\.L\.C|INC|CORP|CORPORATION|COMPANY|LP|LLP|TRUST)\W*$", re.I)
_LIEN_TYPES = {T.DEED_OF_TRUST, T.MORTGAGE, T.RECONVEYANCE, T.RELEASE, T.SATISFACTION}
_RELEASES = {T.RECONVEYANCE, T.RELEASE, T.SATISFACTION}
_MAX_NAMES_CHARS = 320
# words a party's name never holds: what a misread clause drags in
_NOT_NAME_WORD = re.compile(
    r"\b(?:foregoing|execution|thereof|acknowledged|herein|hereby|whose|said|instrument|named|described|appeared|"
    r"personally|recorded|the\s+following|together|grantors?|grantees?|in\s+hand|paid)\b",
    re.I,
)
_NAME_CHARS = re.compile(r"^[A-Za-z0-9 .,'&/()\-]+$")


_PARTICLES = {
    "of",
    "and",
    "the",
    "de",
    "del",
    "della",
    "da",
    "di",
    "van",
    "von",
    "der",
    "la",
    "le",
    "du",
    "y",
    "for",
    "as",
}


def _plausible_name(name: str) -> bool:
    """A party's name as printed: no clause words, no OCR specks, no lowercase word inside a capitalised name."""
    letters = sum(c.isalpha() for c in name)
    words = name.split()
    if any(w.isalpha() and w.islower() and w not in _PARTICLES for w in words):
        return False  # "Yue Zha rustees of the George Family Trust": OCR cut a word in two
    return (
        bool(_NAME_CHARS.match(name))
        and letters >= 0.6 * len(name.replace(" ", ""))
        and len(words) <= 12
        and not _NOT_NAME_WORD.search(name)
        and any(len(word.strip(".,")) >= 2 for word in words)
    )


def _clean(text: str) -> str:
    text = re.sub(r"\b([A-Z]):(?=\s)", r"\1.", " ".join(text.split()))  # OCR reads an initial's period as ":"
    text = _ADDRESS_TAIL.sub("; ", text)
    text = re.sub(r"\(\s*(?:the\s+)?[\"“”']*\w+[\"“”']*\s*\)", "", text)  # a leftover role in brackets
    return _LEAD.sub("", text).strip(" ,;:.-")


def _parties(text: str, stream: PageStream, offset: int, certainty: float, role: str) -> list[Party]:
    text = _clean(text)
    if not text or len(text) > _MAX_NAMES_CHARS or _ROLE_WORDS.match(text) or not re.search(r"[A-Za-z]{2}", text):
        return []
    spanned = stream.lines_between(offset, offset + len(text)) or [stream.line_at(offset)]
    line = min(spanned, key=lambda item: item.confidence)  # the names are as sure as their worst-read line
    weak = None if certainty >= 0.6 else "a rule guessed where the names start"
    return [
        Party(
            full_name=p.full_name,
            kind=p.kind,
            first_name=p.first_name,
            middle_name=p.middle_name,
            last_name=p.last_name,
            suffix=p.suffix,
            entity_name=p.entity_name,
            vesting=p.vesting,
            percentage=p.percentage,
            role=role,
            evidence=evidence(line, certainty, source=text, weak=weak),
        )
        for p in split_parties(text)
        if not _ROLE_WORDS.match(p.full_name) and _plausible_name(p.full_name) and not _cut_short(p)
    ]


def _cut_short(party: ParsedParty) -> bool:
    """A person's name that ends at a middle initial ("Jose M."): OCR lost the last name.

    "DOE, JOHN M." (last name first, as cover sheets print it) is whole.
    """
    last = (party.last_name or "").strip(".")
    return (
        party.kind is EntityKind.PERSON
        and "," not in party.full_name
        and len(last) == 1
        and party.first_name is not None
    )


def _role_marked(stream: PageStream) -> Iterable[tuple[str, str, int]]:
    """(role, names, offset) for every party the text defines by role, in reading order."""
    previous_end = 0
    for match in _ROLE_MARKER.finditer(stream.text):
        role = (match["bracketed"] or match["called"] or match["as_role"] or match["bare"]).lower()
        role = role[:-1] if role.endswith("s") else role
        # the names follow the last "by" / "to" / "between" of this paragraph or the one before it (a
        # one-word paragraph "to" stands between a grantor's and a grantee's), else start their paragraph
        paragraph = stream.paragraph_start(match.start())
        window = max(previous_end, match.start() - 400, stream.paragraph_start(max(0, paragraph - 1)))
        boundaries = list(_BOUNDARY.finditer(stream.text, window, match.start()))
        if boundaries:
            segment_start = boundaries[-1].end()
        else:  # an initial's period ("M. TORRES") ends no sentence
            segment_start = max(window, paragraph)
            sentences = list(re.finditer(r"(?:[a-z]{2,}|\))\.\s+(?=[A-Z])", stream.text[segment_start : match.start()]))
            if sentences:
                segment_start += sentences[-1].end()
        segment = stream.text[segment_start : match.start()]
        previous_end = match.end()
        yield role, segment, segment_start


def _defined(stream: PageStream) -> Iterable[tuple[str, str, int]]:
    for match in _DEFINED.finditer(stream.text):
        yield match["role"].lower(), match["names"], match.start("names")


def _conveying_clause(stream: PageStream) -> Iterable[tuple[str, str, int, float]]:
    """(side, names, offset, certainty) from '<grantors> ... convey(s) to <grantees> the following ...'."""
    for verb in _VERB.finditer(stream.text):
        after = stream.text[verb.end() : verb.end() + _MAX_NAMES_CHARS + 80]
        end = _GRANTEE_END.search(after)
        if end and end.start() > 0:
            yield GRANTEE, after[: end.start()], verb.end(), 0.9
        before_start = max(0, verb.start() - 500)
        before = stream.text[before_start : verb.start()]
        labels = list(_GRANTOR_LABEL.finditer(before))
        anchors = sorted([*labels, *_GRANTOR_ANCHOR.finditer(before)], key=lambda match: match.end())
        # the names start after the last anchor that leaves any (WA: "THE GRANTOR(S) <names> for ... paid, conveys")
        for anchor in reversed(anchors):
            names = before[anchor.end() :]
            consideration = _CONSIDERATION_START.search(names)
            if consideration:
                names = names[: consideration.start()]
            cleaned = _clean(names)
            if re.search(r"[A-Za-z]{2}", cleaned) and not _ROLE_WORDS.match(cleaned):
                certainty = 0.9 if anchor in labels or consideration else 0.75
                yield GRANTOR, names, before_start + anchor.end(), certainty
                return


def _side(role: str, kind: DocumentType) -> str:
    side = _ROLE_SIDE.get(role.lower(), GRANTOR)
    if kind is T.TRUSTEES_DEED and side == TRUSTEE:
        return GRANTOR
    if kind in _RELEASES and side in (GRANTOR, GRANTEE):
        # a release conveys back: the lender (or the trustee) releases to the borrower, as recorders index it
        return GRANTEE if side == GRANTOR else ("" if kind is T.RECONVEYANCE else GRANTOR)
    return side


def find_parties(layout: Layout, kind: DocumentType) -> dict[str, list[Party]]:
    found: dict[str, list[Party]] = {GRANTOR: [], GRANTEE: [], TRUSTEE: []}

    def fill(side: str, parties: list[Party]) -> None:
        if parties and not found[side]:
            found[side] = parties

    for stream in layout.streams:
        for role, names, offset in [*_defined(stream), *_role_marked(stream)]:
            side = _side(role, kind)
            if not side or side == TRUSTEE and kind not in _LIEN_TYPES and kind is not T.TRUSTEES_DEED:
                continue
            fill(side, _parties(names, stream, offset, 0.9, role))
    if kind in _RELEASES:
        _released(layout, fill)
    if kind not in _LIEN_TYPES:
        for stream in layout.streams:
            for side, names, offset, certainty in _conveying_clause(stream):
                fill(side, _parties(names, stream, offset, certainty, side))
            if found[GRANTOR] and found[GRANTEE]:
                break
        _acknowledged_grantors(layout, found[GRANTOR])
    if kind is T.COURT_DECREE:
        _decree(layout, fill)
    for side, label in _FORM_LABELS.items():
        if not found[side]:
            _form_box(layout, label, side, fill)
    if not found[GRANTOR] and kind not in _LIEN_TYPES and kind is not T.COURT_DECREE:
        _signers(layout, fill)
    if kind in (T.TRUSTEES_DEED, T.RECONVEYANCE) and not found[TRUSTEE]:
        for stream in layout.streams:
            match = _AS_TRUSTEE.search(stream.text)
            if match:  # the names start their paragraph: a title above ("DEED OF FULL RECONVEYANCE") is not one
                start = max(match.start("names"), stream.paragraph_start(match.end("names")))
                found[TRUSTEE] = _parties(stream.text[start : match.end("names")], stream, start, 0.85, TRUSTEE)
                break
        if kind is T.TRUSTEES_DEED:  # the trustee conveys; the trustor named beside it defaulted, conveys nothing
            found[GRANTOR] = found[TRUSTEE] or [p for p in found[GRANTOR] if p.role != "trustor"]
        elif not found[GRANTOR]:  # a reconveyance: the trustee reconveys to the trustors
            found[GRANTOR] = found[TRUSTEE]
    if kind is T.TRUSTEES_DEED and found[GRANTOR] and not found[TRUSTEE]:
        found[TRUSTEE] = found[GRANTOR]
    return found


def _acknowledged_grantors(layout: Layout, grantors: list[Party]) -> None:
    """Add the signers the acknowledgment names beside grantors the clause read only in part.

    OCR may lose a name of the conveying clause ("ng Wang and Yue Zhao"); when the notary's
    acknowledgment names every grantor the clause gave and more, the others signed as grantors too.
    A company's acknowledgment names its officer, never the company, so it adds nothing there.
    """
    if not grantors:
        return
    known = {normalize_name(party.full_name) for party in grantors}
    for stream in layout.streams:
        for match in _ACKNOWLEDGED.finditer(stream.text):
            signers = _parties(match["names"], stream, match.start("names"), 0.8, GRANTOR)
            names = {normalize_name(party.full_name) for party in signers}
            if known < names:
                grantors.extend(party for party in signers if normalize_name(party.full_name) not in known)
                return


def _signers(layout: Layout, fill) -> None:
    """Grantors no clause named: the names typed under the signature lines, a company's over its "By:" line.

    Read only between the signing line ("Dated", "Signed this", "IN WITNESS WHEREOF") and the
    acknowledgment; witnesses' names are labelled ("Printed Name:", "Witness") and left out.
    """
    for stream in layout.streams:
        start = next((i for i, line in enumerate(stream.lines) if _SIGNING_START.search(line.text)), None)
        if start is None:
            continue
        block = [line.text.strip(" ,") for line in stream.lines[start + 1 : start + 1 + _SIGNING_LINES]]
        end = next((i for i, text in enumerate(block) if _SIGNING_END.search(text)), len(block))
        names = [
            text
            for index, text in enumerate(block[:end])
            if _TYPED_SIGNER.match(text)
            and not _NOT_SIGNER.search(text)
            or _SIGNING_COMPANY.search(text)
            and any(re.match(r"^\W*By\b", below, re.I) for below in block[index + 1 : index + 3])
        ]
        if names:
            fill(GRANTOR, _parties("; ".join(names), stream, stream.starts[start], 0.55, GRANTOR))
            return


def _form_box(layout: Layout, label: re.Pattern[str], side: str, fill) -> None:
    """A form's labelled box: the names on the label's line, else the lines under it down to the next label.

    A line that continues the one above (it starts with a digit or a small letter, or the one above ends
    with a comma) is joined to it; other lines are separate parties ("HIEU LYNN WRIGHT" / "PAUL E. WRIGHT").
    """
    for line in layout.lines:
        match = label.search(line.text)
        if not match:
            continue
        text = line.text[match.end() :].strip(" :")
        if not text:
            for below in layout.block_below(line, depth=0.1, max_lines=4):
                if _A_LABEL.search(below.text):
                    break
                joins = (
                    not text
                    or re.search(r"(?:,|\b(?:A|AN|THE|OF|AND|AS|TO|WITH|IN|FOR))\s*$", text, re.I)
                    or re.match(_CONTINUES, below.text)
                )
                text = f"{text} {below.text}" if joins else f"{text}; {below.text}"
        stream = next(s for s in layout.streams if s.page == line.page)
        parties = _parties(
            text, stream, stream.starts[stream.lines.index(line)] if line in stream.lines else 0, 0.8, side
        )
        if parties:
            fill(side, parties)
            return


def _released(layout: Layout, fill) -> None:
    """Releases: the holder of the lien releases it (grantor) to those who executed it (grantees)."""
    for stream in layout.streams:
        holder = _HOLDER.search(stream.text)
        if holder:
            fill(GRANTOR, _parties(holder["names"], stream, holder.start("names"), 0.85, "holder"))
        executed = _EXECUTED_BY.search(stream.text)
        if executed:
            fill(GRANTEE, _parties(executed["names"], stream, executed.start("names"), 0.85, "borrower"))


def _decree(layout: Layout, fill) -> None:
    """Court decrees: the estate's decedent conveys, the distributees receive."""
    for stream in layout.streams:
        estate = _ESTATE.search(stream.text)
        if estate:
            fill(GRANTOR, _parties(estate["name"], stream, estate.start("name"), 0.8, "decedent"))
        distributed = _DISTRIBUTED.search(stream.text)
        if distributed:  # "as sole distributee" says why the heir takes, not how title is held
            names = re.sub(
                r",?\s+as\s+(?:the\s+)?(?:sole\s+)?(?:distributee|heir|devisee)s?\b.*$",
                "",
                distributed["names"],
                flags=re.I,
            )
            fill(GRANTEE, _parties(names, stream, distributed.start("names"), 0.8, "distributee"))
