"""The quiz page of a programme, generated from its questions.

``quiz_page`` returns the pieces a layout needs (title, what goes in <head>, the body); the site
build puts them in its Material layout, ``standalone_html`` in a bare page. URLs are relative
to the page, which lives at ``/<programme id>/quiz/``.
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..catalogue.contacts import organisation_contact, tel_href
from ..catalogue.schema_publishing import SESSION_FORMATS
from ..french import first_upper, fr_date, plural
from ..rules.engine import evaluate
from .rules_data import rules_file
from .service_worker import SERVICE_WORKER
from ..site.template_cache import bytecode_cache
from ..rules.kinds import KINDS, kind_of

RUNTIME_FOLDER = "quiz-runtime"           # at the site's root: Pyodide, the wheel, our JS and CSS
PAGE_FOLDER = "quiz"                      # /<programme id>/quiz/
FROM_PAGE_TO_ROOT = "../../"
KIND_TEMPLATE = "kind:"                   # "kind:date": the template of a question kind


def _kind_template(name: str):
    """A kind's template (``QuestionKind.template``), beside the module that defines its class."""
    if not name.startswith(KIND_TEMPLATE) or name[len(KIND_TEMPLATE):] not in KINDS:
        return None
    kind = KINDS[name[len(KIND_TEMPLATE):]]
    path = Path(sys.modules[type(kind).__module__].__file__).with_name(kind.template)
    modified = path.stat().st_mtime_ns
    # Up to date while the file is unchanged (as FileSystemLoader does): compiled once per build,
    # not once per programme.
    return path.read_text(encoding="utf-8"), str(path), lambda: _mtime(path) == modified


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


_TEMPLATES = jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                                jinja2.FunctionLoader(_kind_template)]),
    autoescape=True, trim_blocks=False, lstrip_blocks=False, undefined=jinja2.StrictUndefined,
    bytecode_cache=bytecode_cache(),   # compiled once, kept between builds (site/template_cache.py)
)
_TEMPLATES.filters.update(fr_date=fr_date, plural=plural, first_upper=first_upper, tel_href=tel_href)


@dataclass(frozen=True)
class QuizPage:
    programme_id: str
    path: str          # inside the site, e.g. "cqp-assistant-medical/quiz/index.html"
    title: str
    head_html: str     # stylesheet and preloads, for <head>
    body_html: str     # the quiz: form, result, failure message

    @property
    def embed_html(self) -> str:
        """Everything in one piece, for a layout that offers no hook into <head> (stylesheet
        links and module scripts are allowed in the body)."""
        return self.head_html + "\n" + self.body_html


def initial_missing(model) -> list[str]:
    """Questions to show before the rules are ready: what the engine asks with no answer at all.

    With no answer the result does not depend on the date, so any date will do.
    """
    return evaluate(model, {}, _dt.date(2000, 1, 1))["missing"]


def _kind_macro(kind, name: str):
    return getattr(_TEMPLATES.get_template(KIND_TEMPLATE + kind.name).module, name)


def _controls(model) -> dict:
    """The form-control macro of each question kind the programme uses."""
    kinds = {kind_of(question).name: kind_of(question) for question in model.questions}
    return {name: _kind_macro(kind, kind.macro) for name, kind in kinds.items()}


def _defaulted(model) -> list:
    """The questions that take a default, by kind (in the order of their first question), each
    group with its kind's macro: they go in their own optional group, after the others."""
    groups: dict = {}
    for question in model.questions:
        kind = kind_of(question)
        if kind.default_base(question) is not None:
            groups.setdefault(kind.name, (_kind_macro(kind, kind.defaulted_macro), []))[1].append(question)
    return list(groups.values())


def _questions_for_script(model) -> str:
    """What the page's script needs: the keys (it reads and writes the controls named so; what
    they hold is read by Python, which also writes the printed summary) and the labels."""
    return json.dumps([{"key": q.key, "label": q.label} for q in model.questions], ensure_ascii=False)


def head_html() -> str:
    runtime = FROM_PAGE_TO_ROOT + RUNTIME_FOLDER + "/"
    return (f'<link rel="stylesheet" href="{runtime}quiz.css">\n'
            f'<script type="module" src="{runtime}quiz.mjs"></script>')


def _next_step(entry, organisation: dict, today: _dt.date) -> dict:
    """What « Et maintenant ? » shows (_next_step.html.j2), from the view and the organisation."""
    view = entry.view
    return dict(
        view=view,
        organisation=organisation,
        sessions=view.open_sessions(today),
        session_formats=SESSION_FORMATS,
        contact=organisation_contact(organisation),
        request_contact=view.enrolment_contact(organisation, today),
        referent=organisation.get("disability_contact") or {},
        access_delay=view.data["qualiopi"].get("access_delay"),
        paths=[path["label"] for path in view.data["admission"]["paths"]],
        routes=view.data.get("routes") or [],
    )


def quiz_page(entry, organisation: dict, today: _dt.date, dispenses_url: str = "../dispenses/",
              contact_url: str = "../#contact") -> QuizPage:
    model = entry.model
    data_date = entry.data.get("data_date") or ""
    data_date_fr = fr_date(data_date)
    rules = rules_file(entry)
    defaulted = _defaulted(model)
    body = _TEMPLATES.get_template("quiz_body.html.j2").render(
        programme=model,
        questions=model.questions,
        questions_json=_questions_for_script(model),
        controls=_controls(model),
        defaulted=defaulted,
        defaulted_keys={question.key for _, group in defaulted for question in group},
        initial_missing=initial_missing(model),
        data_date=data_date,
        data_date_fr=data_date_fr,
        worker_url=FROM_PAGE_TO_ROOT + RUNTIME_FOLDER + "/quiz-worker.mjs",
        service_worker_url=FROM_PAGE_TO_ROOT + RUNTIME_FOLDER + "/" + SERVICE_WORKER,
        rules_file=rules.path,              # relative to the worker, in quiz-runtime/
        rules_integrity=rules.integrity,
        dispenses_url=dispenses_url,
        contact_url=contact_url,
        **_next_step(entry, organisation, today),
    )
    return QuizPage(
        programme_id=entry.id,
        path=f"{entry.id}/{PAGE_FOLDER}/index.html",
        title=f"Auto-évaluation — {model.title}",
        head_html=head_html(),
        body_html=body,
    )


def standalone_html(page: QuizPage, entry) -> str:
    return _TEMPLATES.get_template("quiz_page.html.j2").render(
        programme=entry.model, head_html=page.head_html, body_html=page.body_html)
