"""The programme as the rules see it, built from plain catalogue data (dicts, lists, ISO dates).

The catalogue loader validates the data first; ``Programme.from_data`` trusts it. The same
plain data travels to the browser as JSON, so both sides build the very same model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .conditions import Condition, build_condition
from .kinds import kind_of


@dataclass(frozen=True)
class Question:
    """What every question has; what its kind reads of its own fields is in ``settings``
    (``QuestionKind.settings``: ``question.settings.unit``, ``.choices``, ``.default``…)."""

    key: str
    type: str
    label: str
    short: str
    help: str = ""
    settings: object = None
    data: dict = field(default_factory=dict, compare=False, repr=False)   # as in the catalogue: any kind's fields

    def value_fault(self, value) -> str | None:
        """Why a value written in the catalogue cannot be an answer to this question (French)."""
        return kind_of(self).value_fault(self, value)


@dataclass(frozen=True)
class Ground:
    """A reason for exemption: what the candidate must hold, and the evidence to bring."""

    id: str
    label: str
    evidence: tuple[str, ...]
    condition: Condition


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    hours: int
    bloc: int
    grounds: tuple[str, ...]   # any one suffices; empty: no exemption possible


@dataclass(frozen=True)
class Bloc:
    number: int
    title: str
    hours: int
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class Path:
    id: str
    label: str
    condition: Condition


@dataclass(frozen=True)
class Admission:
    paths: tuple[Path, ...]        # any one opens admission
    requirement: Path | None       # must also hold before the start; until then: conditional


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    total_hours: int
    evaluation_hours: int
    access_duration_months: int | None   # None: the programme leads to no certification deadline
    blocs: tuple[Bloc, ...]
    grounds: dict
    questions: tuple[Question, ...]
    admission: Admission

    @property
    def has_exemptions(self) -> bool:
        """False: no module can be exempted; the quiz checks admission only."""
        return bool(self.grounds)

    @property
    def modules(self) -> tuple[Module, ...]:
        return tuple(module for bloc in self.blocs for module in bloc.modules)

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)

    @classmethod
    def from_data(cls, data: dict) -> "Programme":
        questions = tuple(question_from_data(q, data) for q in data["questions"])
        exemptions = data.get("exemptions") or {}
        grounds = {
            g["id"]: Ground(g["id"], g["label"], tuple(g["evidence"]), build_condition(g["condition"]))
            for g in exemptions.get("grounds") or ()
        }
        blocs = tuple(
            Bloc(
                number=b["number"],
                title=b["title"],
                hours=b["hours"],
                modules=tuple(
                    Module(m["id"], m["title"], m["hours"], b["number"], tuple(m.get("exempted_by") or ()))
                    for m in b["modules"]
                ),
            )
            for b in data["blocs"]
        )
        admission_data = data["admission"]
        requirement = admission_data.get("requirement")
        admission = Admission(
            paths=tuple(_path(p) for p in admission_data["paths"]),
            requirement=_path(requirement) if requirement else None,
        )
        return cls(
            id=data["id"],
            title=data["title"],
            total_hours=data["hours"]["total"],
            evaluation_hours=data["hours"]["evaluations"],
            access_duration_months=data.get("access_duration_months"),
            blocs=blocs,
            grounds=grounds,
            questions=questions,
            admission=admission,
        )


def _path(data: dict) -> Path:
    return Path(data["id"], data["label"], build_condition(data["condition"]))


def question_from_data(data: dict, programme: dict) -> Question:
    return Question(key=data["key"], type=data["type"], label=data["label"], short=data["short"],
                    help=data.get("help") or "", settings=kind_of(data).settings(data, programme), data=dict(data))


def questions_by_key(programme: dict) -> dict:
    """``key -> Question`` of a programme's catalogue data (the first of a duplicated key)."""
    questions: dict = {}
    for data in programme["questions"]:
        questions.setdefault(data["key"], question_from_data(data, programme))
    return questions
