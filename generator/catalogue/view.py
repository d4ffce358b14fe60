"""A typed view of a programme: the only form in which the outputs see a programme.

Pages, JSON-LD, ``programme.json``, the build report, the LHÉO export and the rncp commands read
``entry.view`` and nothing else. The catalogue files stay plain data (``view.data``, published as
``programme.json`` and read by the browser); this view adds what is *derived* from them, each
fact once: the certification in force (RNCP or RS) and the one it replaces, whether the
exemption rules are confirmed for it, how long the programme lasts, its place and weekly rhythm
in words, the admission requirement, the price, the sessions still to come on a given day, the
access duration. Built by ``programme_view(data)``; standard-library dataclasses only.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..french import as_date, days, euros, plural
from .contacts import organisation_contact
from .registers import REGISTERS, fiche, register_of
from .schema import COURSE_MODES, DURATION_FIELDS, PLACES, QUALIOPI, SCHEMA_ORG_COURSE_MODES, declared
from .schema_publishing import FUNDING_ROUTES

ISO_DURATION = {"duration_days": "D", "duration_weeks": "W", "duration_months": "M"}


# What every admission requirement is introduced by, in the page, the JSON-LD and LHÉO.
IN_EVERY_CASE = "Dans tous les cas :"


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
    nsf: tuple[str, ...] = ()      # NSF codes of the fiche (``rncp update`` records them)

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
                   as_date(record.get("delivery_deadline")), tuple(record.get("nsf") or ()))


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
        return plural(self.data[name], *DURATION_FIELDS[name])

    @property
    def iso_duration(self) -> str | None:
        """ISO 8601 duration (schema.org timeToComplete): « P8M »."""
        name = self.duration_field
        return f"P{self.data[name]}{ISO_DURATION[name]}" if name else None

    @property
    def course_mode(self) -> str:
        """schema.org's courseMode (onsite, online, blended), derived from the catalogue's French word."""
        return SCHEMA_ORG_COURSE_MODES[self.data["course_mode"]]

    @property
    def course_mode_text(self) -> str:
        return COURSE_MODES[self.data["course_mode"]]

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

    def weekly_rhythm_text(self, centre: str, with_formats: bool = False, practice_purpose: str = "") -> str:
        """The days of a week: « 2 jours en centre et 3 jours en cabinet médical » (``centre``: how
        the days at the centre are named; ``with_formats``: « (présentiel, distanciel) » after them;
        ``practice_purpose``: said after the days of practice). Empty without a weekly rhythm."""
        rhythm = self.rhythm
        parts = []
        if rhythm.get("centre_days_per_week") is not None:
            at_centre = f"{days(rhythm['centre_days_per_week'])} {centre}"
            if with_formats and rhythm.get("centre_formats"):
                at_centre += f" ({', '.join(rhythm['centre_formats'])})"
            parts.append(at_centre)
        if self.alternance:
            parts.append(f"{days(rhythm['practice_days_per_week'])} {rhythm['practice_place']}{practice_purpose}")
        return " et ".join(parts)

    # -- admission ---------------------------------------------------------------------------
    @property
    def requirement(self) -> str | None:
        """What every candidate needs whatever the path (e.g. a placement), when there is one."""
        requirement = self.data["admission"].get("requirement")
        return requirement["label"] if requirement else None

    @property
    def requirement_sentence(self) -> str:
        """« Dans tous les cas : avoir un lieu de stage »; empty when there is no requirement."""
        return f"{IN_EVERY_CASE} {self.requirement}" if self.requirement else ""

    @property
    def prerequisites(self) -> list[str]:
        """Any one of the admission paths, then the requirement sentence when there is one."""
        paths = [path["label"] for path in self.data["admission"]["paths"]]
        return paths + ([self.requirement_sentence] if self.requirement else [])

    # -- price, sessions, access -------------------------------------------------------------
    @property
    def price_eur(self) -> int | float | None:
        """The total price in euros, TTC (None: not given yet)."""
        return (self.data.get("price") or {}).get("total_eur")

    @property
    def price_text(self) -> str:
        """« 3 500 € »; empty when the price is not given."""
        return euros(self.price_eur) if self.price_eur is not None else ""

    @property
    def price_includes(self) -> str | None:
        return (self.data.get("price") or {}).get("includes")

    def upcoming_sessions(self, today: _dt.date, include_cancelled: bool = True) -> list[dict]:
        """Sessions starting on or after ``today``, soonest first. Cancelled ones stay on the page
        (marked « annulée »); the JSON-LD and LHÉO list only those that can be joined."""
        sessions = [s for s in self.data.get("sessions") or () if as_date(s["start"]) >= today]
        if not include_cancelled:
            sessions = [s for s in sessions if s["status"] != "annulée"]
        return sorted(sessions, key=lambda s: (str(s["start"]), str(s["end"])))

    @property
    def funding_routes(self) -> list[dict]:
        """The funding routes staff declared, in the catalogue's order: ``{"route", "name", "text",
        "link", "link_text"}`` (``name`` in French; ``link``: the Mon Compte Formation page for CPF)."""
        return [funding_route(route) for route in self.data.get("funding_routes") or ()]

    def open_sessions(self, today: _dt.date) -> list[dict]:
        """The sessions still to come that can be joined (open or full, not cancelled)."""
        return self.upcoming_sessions(today, include_cancelled=False)

    def enrolment_contact(self, organisation: dict, today: _dt.date) -> dict:
        """``{"name", "email", "phone"}``: the first open session's enrolment contact when it gives
        an email or a phone, else the organisation's."""
        for session in self.open_sessions(today):
            contact = session.get("enrolment_contact") or {}
            if session["status"] == "ouverte" and (contact.get("email") or contact.get("phone")):
                return {"name": contact.get("name"), "email": contact.get("email"), "phone": contact.get("phone")}
        return {"name": None, **organisation_contact(organisation)}

    def open_session_positions(self, today: _dt.date) -> set[int]:
        """Where the open sessions stand in the file's « sessions » (from 0): what LHÉO's length
        checks look at (a past session's long street does not stop the export)."""
        open_ones = [id(session) for session in self.open_sessions(today)]
        return {index for index, session in enumerate(self.data.get("sessions") or ()) if id(session) in open_ones}

    @property
    def registered_on(self) -> _dt.date | None:
        """When the certification in force was registered (``rncp update`` records it)."""
        return self.certification.current.registered_on if self.certification else None

    @property
    def access_duration_months(self) -> int | None:
        """How long a candidate has to obtain the certification; only for a certifying programme."""
        return self.data.get("access_duration_months") if self.certified else None

    @property
    def access_duration_text(self) -> str:
        """« 12 mois »; empty when not given or not certifying."""
        months = self.access_duration_months
        return plural(months, "mois") if months else ""

    # -- plain facts the outputs name often ---------------------------------------------------
    @property
    def summary(self) -> str:
        return self.data["summary"]

    @property
    def data_date(self):
        """The date of the catalogue's data for this programme (as the catalogue gives it)."""
        return self.data["data_date"]

    @property
    def total_hours(self) -> int:
        return self.data["hours"]["total"]

    @property
    def grounds(self) -> dict[str, dict]:
        """The grounds for exemption by their id (empty without exemption rules)."""
        return {g["id"]: g for g in (self.data.get("exemptions") or {}).get("grounds") or ()}


def funding_route(route: dict) -> dict:
    link = route.get("link")
    return {"route": route["route"], "name": FUNDING_ROUTES[route["route"]], "text": route.get("details") or "",
            "link": link, "link_text": "la formation sur Mon Compte Formation" if route["route"] == "cpf" else link}


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
