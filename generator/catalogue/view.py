"""A typed view of a programme: what the site and the RNCP commands need, each fact derived once.

The catalogue files stay plain data (``entry.data``, published as ``programme.json`` and read by
the browser); this view adds what is *derived* from them: the certification in force and the one
it replaces, whether the exemption rules are confirmed for it, how long the programme lasts, its
place and rhythm in words. Built by ``programme_view(data)``; standard-library dataclasses only.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..rules.dates import french_date
from .registers import REGISTERS, fiche, register_of
from .schema import COURSE_MODES, DURATION_FIELDS, PLACES, QUALIOPI, declared

ISO_DURATION = {"duration_days": "D", "duration_weeks": "W", "duration_months": "M"}


def as_date(value) -> _dt.date | None:
    """A catalogue date (ISO text once loaded as plain data, or a date) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def fr_date(value) -> str:
    """« 25/06/2030 »: every date shown to people, in one format."""
    day = as_date(value)
    return french_date(day) if day else ""


# The Qualiopi items written in sentences (« qualiopi › … »): field -> public name, as declared.
QUALIOPI_ITEMS = {path[-1]: field.label for path, field in declared(QUALIOPI) if field.qualiopi}


@dataclass(frozen=True)
class Fiche:
    """One record of a national register (RNCP or RS)."""

    register: str                  # "rncp" or "rs"
    number: int
    level: int | None = None
    registered_on: _dt.date | None = None
    decision_date: _dt.date | None = None
    end_date: _dt.date | None = None
    delivery_deadline: _dt.date | None = None

    @property
    def code(self) -> str:
        """« RNCP 40913 », « RS 5678 »."""
        return f"{REGISTERS[self.register][0]} {self.number}"

    @property
    def register_name(self) -> str:
        return REGISTERS[self.register][1]

    @property
    def key(self) -> tuple[str, int]:
        return (self.register, self.number)

    @classmethod
    def from_data(cls, record: dict) -> "Fiche":
        register, number = fiche(record)
        return cls(register, number, record.get("level"), as_date(record.get("registered_on")),
                   as_date(record.get("decision_date")), as_date(record.get("end_date")),
                   as_date(record.get("delivery_deadline")))


@dataclass(frozen=True)
class Certification:
    kind: str
    name: str
    certifier: str
    current: Fiche
    history: tuple[Fiche, ...]     # newest first

    @property
    def replaces(self) -> Fiche | None:
        return self.history[0] if self.history else None


@dataclass(frozen=True)
class ExemptionRules:
    """For which fiche the exemption rules were established, and for which staff confirmed them."""

    established_for: Fiche | None  # None: a programme without certification
    confirmed_for: tuple[tuple[str, int], ...]

    def confirmed(self, current: Fiche | None) -> bool:
        """The rules hold for ``current``: established for it, or confirmed since."""
        if current is None or self.established_for is None:
            return True
        return current.key == self.established_for.key or current.key in self.confirmed_for


@dataclass(frozen=True)
class ProgrammeView:
    id: str
    title: str
    data: dict = field(repr=False, compare=False)
    certification: Certification | None
    attestation: str | None
    exemptions: ExemptionRules | None     # None: no module can be exempted

    # -- certification and rules ------------------------------------------------------------
    @property
    def certified(self) -> bool:
        return self.certification is not None

    @property
    def has_exemptions(self) -> bool:
        return self.exemptions is not None

    @property
    def rules_confirmed(self) -> bool:
        """The exemption rules hold for the certification in force (True when there is nothing
        to confirm: no certification, or no exemptions)."""
        if not self.exemptions or not self.certification:
            return True
        return self.exemptions.confirmed(self.certification.current)

    # -- Qualiopi (indicators 1 to 3) --------------------------------------------------------
    @property
    def qualiopi_given(self) -> list[tuple[str, str]]:
        """(public name, text) of each Qualiopi item the catalogue gives, in the reference order."""
        qualiopi = self.data["qualiopi"]
        return [(name, qualiopi[key]) for key, name in QUALIOPI_ITEMS.items() if qualiopi.get(key)]

    @property
    def qualiopi_missing(self) -> list[tuple[str, str]]:
        """(field, public name) of each Qualiopi item still empty: left out of the pages, reported."""
        qualiopi = self.data["qualiopi"]
        return [(key, name) for key, name in QUALIOPI_ITEMS.items() if not qualiopi.get(key)]

    # -- duration, place, rhythm ------------------------------------------------------------
    @property
    def duration_field(self) -> str | None:
        return next((name for name in DURATION_FIELDS if name in self.data), None)

    @property
    def duration_text(self) -> str:
        """« 8 mois », « 3 jours »; empty when the catalogue gives no duration."""
        name = self.duration_field
        if not name:
            return ""
        count = self.data[name]
        return f"{count} {DURATION_FIELDS[name][count > 1]}"

    @property
    def iso_duration(self) -> str | None:
        """ISO 8601 duration (schema.org timeToComplete): « P8M »."""
        name = self.duration_field
        return f"P{self.data[name]}{ISO_DURATION[name]}" if name else None

    @property
    def course_mode(self) -> str:
        return self.data["course_mode"]

    @property
    def course_mode_text(self) -> str:
        return COURSE_MODES[self.course_mode]

    @property
    def places_text(self) -> str:
        """« en centre de formation ou sur site (dans vos locaux) »: any of the places listed."""
        places = [PLACES[place] for place in self.data.get("places") or ()]
        return " ou ".join(filter(None, [", ".join(places[:-1]), *places[-1:]]))

    @property
    def rhythm(self) -> dict:
        return self.data.get("rhythm") or {}

    @property
    def alternance(self) -> bool:
        """Alternance: days of practice (in a company, a practice…) every week beside the centre."""
        return bool(self.rhythm.get("practice_days_per_week"))

    @property
    def weekly_rhythm(self) -> bool:
        return self.rhythm.get("centre_days_per_week") is not None or self.alternance


def programme_view(data: dict) -> ProgrammeView:
    certification = None
    if data.get("certification"):
        c = data["certification"]
        certification = Certification(c["kind"], c["name"], c["certifier"], Fiche.from_data(c["current"]),
                                      tuple(Fiche.from_data(r) for r in c.get("history") or ()))
    exemptions = None
    if data.get("exemptions"):
        e = data["exemptions"]
        established = e.get("established_for")
        exemptions = ExemptionRules(
            Fiche.from_data(established) if established and register_of(established) else None,
            tuple(fiche(c) for c in e.get("confirmed_for") or ()))
    return ProgrammeView(data["id"], data["title"], data, certification, data.get("attestation"), exemptions)
