"""Every layout the generator draws from: which states and instrument types it covers.

A layout composes pages from ``Facts``; within one layout wording, block order, fonts and
stamp placement vary with the random generator, so no two documents share one template.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from evaluation.real_truth import InstrumentType
from sample_deeds.facts import Facts
from sample_deeds.layouts import (
    arizona,
    california,
    colorado,
    court_decree,
    deed_of_trust,
    florida,
    pcor,
    releases,
    texas,
    washington,
)
from sample_deeds.layouts.blocks import Composed, Options


@dataclass(frozen=True)
class Layout:
    name: str
    states: tuple[str, ...]
    types: tuple[InstrumentType, ...]
    compose: Callable[[Facts, str, random.Random, Options], Composed]


def _california(name: str) -> Layout:
    return Layout(name, ("CA",), california.TYPES, partial(california.compose, layout=name))


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        *(_california(name) for name in california.LAYOUTS),
        Layout("florida_deed", ("FL",), florida.TYPES, florida.compose),
        Layout("washington_deed", ("WA",), washington.TYPES, washington.compose),
        Layout("arizona_deed", ("AZ",), arizona.TYPES, arizona.compose),
        Layout("texas_deed", ("TX",), texas.TYPES, texas.compose),
        Layout("colorado_deed", ("CO",), colorado.TYPES, colorado.compose),
        Layout("pcor", ("CA",), (InstrumentType.PRELIMINARY_CHANGE_OF_OWNERSHIP_REPORT,), pcor.compose),
        Layout(
            "deed_of_trust", deed_of_trust.DEED_OF_TRUST_STATES, (InstrumentType.DEED_OF_TRUST,), deed_of_trust.compose
        ),
        Layout("mortgage", deed_of_trust.MORTGAGE_STATES, (InstrumentType.MORTGAGE,), deed_of_trust.compose),
        Layout("reconveyance", releases.RECONVEYANCE_STATES, (InstrumentType.RECONVEYANCE,), releases.compose),
        Layout("release", releases.RELEASE_STATES, (InstrumentType.RELEASE,), releases.compose),
        Layout("satisfaction", releases.SATISFACTION_STATES, (InstrumentType.SATISFACTION,), releases.compose),
        Layout("court_decree", court_decree.STATES, (InstrumentType.COURT_DECREE,), court_decree.compose),
    )
}
STATES = tuple(sorted({state for layout in LAYOUTS.values() for state in layout.states}))
INSTRUMENT_TYPES = tuple(sorted({t for layout in LAYOUTS.values() for t in layout.types}, key=lambda t: t.value))


def candidates(state: str | None, document_type: InstrumentType | None) -> list[Layout]:
    return [
        layout
        for layout in LAYOUTS.values()
        if (state is None or state in layout.states) and (document_type is None or document_type in layout.types)
    ]


__all__ = ["INSTRUMENT_TYPES", "LAYOUTS", "STATES", "Composed", "Layout", "Options", "candidates"]
