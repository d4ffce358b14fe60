"""What follows a result, in French: the documents to prepare and the request a prospect may
send to the organisation (« Envoyer ma demande »). Run by the quiz in the browser
(browser/quiz_entry.py) from the same result the page shows; standard library only.

The request is only text: the page puts it in a mailto: link that opens the prospect's own mail
app, with the link to these answers after it; the site sends nothing.
"""
from __future__ import annotations

from .model import Programme

ADMISSION_WORDS = {
    "admissible": "admissible",
    "conditional": "admissible sous réserve",
    "not-admissible": "non admissible",
    "unknown": "à préciser",
}
ENROLMENT_STATUSES = ("admissible", "conditional")


def documents_to_prepare(programme: Programme, result: dict) -> list[str]:
    """The evidence the result lists, then what « sous réserve » still requires."""
    documents = list(result["evidence"])
    requirement = programme.admission.requirement
    if result["admission"]["status"] == "conditional" and requirement is not None:
        documents.append(f"Pour lever la réserve, avant l'entrée en formation : {requirement.label}.")
    return documents


def request_message(programme: Programme, answers_shown: list[list[str]], result: dict,
                    evaluated_on: str) -> dict:
    """``{"subject", "body", "to"}``: ``to`` is "enrolment" (the session's enrolment contact) for
    a candidate who may enter, else "organisation"; the body ends with the line that introduces
    the link to these answers, which the page adds (it alone knows its own address)."""
    status = result["admission"]["status"]
    enrolling = status in ENROLMENT_STATUSES
    subject = ("Demande d'inscription" if enrolling else "Demande de renseignements") + f" — {programme.title}"
    wish = ("Je souhaite m'inscrire à la formation" if enrolling
            else "Je souhaite des renseignements sur la formation")
    lines = ["Bonjour,", "",
             f"{wish} « {programme.title} ». Voici le résultat de mon auto-évaluation du {evaluated_on}.", "",
             f"Admission : {ADMISSION_WORDS[status]}."]
    lines += [f"- {reason}" for reason in result["admission"]["reasons"]]
    if programme.has_exemptions:
        hours = result["hours"]
        lines += ["", f"Heures : {hours['dispensed']} h dispensées, {hours['remaining']} h à suivre "
                      f"(sur {hours['total']} h)."]
        lines += [f"- Dispense : {module['title']} ({module['hours']} h)" for module in _dispensed(programme, result)]
    if answers_shown:
        lines += ["", "Mes réponses :"] + [f"- {_asked(label)} {text}" for label, text in answers_shown]
    lines += ["", "Le lien ci-dessous rouvre l'auto-évaluation avec ces réponses :"]
    return {"subject": subject, "body": "\n".join(lines), "to": "enrolment" if enrolling else "organisation"}


def _dispensed(programme: Programme, result: dict) -> list[dict]:
    titles = {module.id: module for module in programme.modules}
    return [{"title": titles[m["id"]].title, "hours": m["hours"]}
            for m in result["modules"] if m["status"] == "dispensed" and m["id"] in titles]


def _asked(label: str) -> str:
    """« Avez-vous … ? » stays a question; a plain label gets a colon."""
    return label if label.rstrip().endswith("?") else f"{label} :"
