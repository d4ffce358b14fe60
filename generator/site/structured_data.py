"""schema.org description of a programme (JSON-LD), safe to put inside a <script> element.

Read from the programme's view only (``entry.view``): its price, and one ``CourseInstance`` per
session that can be joined (cancelled and past sessions are left out).
"""
from __future__ import annotations

import json

from ..catalogue.schema import SCHEMA_ORG_COURSE_MODES
from .publishing import site_url

# schema.org courseMode of a session, from the catalogue's words (the same as the programme's course_mode).
SESSION_MODES = SCHEMA_ORG_COURSE_MODES


def json_ld(catalogue, entry, today=None) -> dict:
    """Every property from the catalogue: the credential and its identifier only for a certifying
    programme, the duration only when given, the course mode as the catalogue states it; price
    and sessions when the catalogue gives them."""
    view = entry.view
    data = view.data
    organisation = catalogue.organisation
    address = organisation["address"]
    described = {
        "@context": "https://schema.org",
        "@type": ["Course", "EducationalOccupationalProgram"],
        "name": view.title,
        "description": view.summary,
        "dateModified": str(view.data_date),
    }
    address_of_site = site_url(organisation)
    if address_of_site:  # only once staff have given the public address: never a guessed URL
        described["@id"] = described["url"] = f"{address_of_site}{view.id}/"
    if view.certification:
        described["identifier"] = view.certification.current.code.replace(" ", "")
    described["provider"] = {
        "@type": "EducationalOrganization",
        "name": organisation["name"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address["street"],
            "postalCode": address["postcode"],
            "addressLocality": address["city"],
            "addressCountry": "FR",
        },
    }
    if view.certification:
        credential = _credential(view.certification)
        described["educationalCredentialAwarded"] = credential
        described["occupationalCredentialAwarded"] = credential
    if view.iso_duration:
        described["timeToComplete"] = view.iso_duration
    described.update({
        "timeRequired": f"PT{view.total_hours}H",
        "inLanguage": "fr",
        "educationalProgramMode": view.course_mode,
        "hasCourseInstance": {"@type": "CourseInstance", "courseMode": view.course_mode,
                              "courseWorkload": f"PT{view.total_hours}H"},
        "programPrerequisites": view.prerequisites,
        "syllabusSections": [
            {"@type": "Syllabus", "name": f"Bloc {bloc['number']} : {bloc['title']}",
             "timeRequired": f"PT{bloc['hours']}H"}
            for bloc in data["blocs"]
        ],
    })
    described.update(_offers_and_instances(view, today))  # one instance per session, when there are some
    return described


def _credential(certification) -> dict:
    """The certification as schema.org's credential: its kind, register number, level, certifier."""
    current = certification.current
    credential = {"@type": "EducationalOccupationalCredential", "name": certification.name,
                  "credentialCategory": certification.kind, "identifier": current.code.replace(" ", ""),
                  "recognizedBy": {"@type": "Organization", "name": certification.certifier}}
    if current.level:
        credential["educationalLevel"] = f"Niveau {current.level} du cadre national des certifications professionnelles"
    return credential


def _place(place: dict) -> dict:
    location = {"@type": "Place",
                "address": {"@type": "PostalAddress", "streetAddress": place["street"],
                            "postalCode": place["postcode"], "addressLocality": place["city"],
                            "addressCountry": "FR"}}
    if place.get("name"):
        location["name"] = place["name"]
    return location


def _offers_and_instances(view, today) -> dict:
    """``offers`` (when the price is known) and ``hasCourseInstance`` (one per session that can
    be joined), to merge into the programme's Course description."""
    extra: dict = {}
    if view.price_eur is not None:
        offer = {"@type": "Offer", "price": view.price_eur, "priceCurrency": "EUR", "category": "Paid"}
        if view.price_includes:
            offer["description"] = view.price_includes
        extra["offers"] = offer
    instances = []
    for session in view.open_sessions(today):
        instance = {"@type": "CourseInstance", "courseMode": SESSION_MODES[session["format"]],
                    "startDate": str(session["start"]), "endDate": str(session["end"]),
                    "location": _place(session["place"])}
        if session.get("seats"):
            instance["maximumAttendeeCapacity"] = session["seats"]
        instances.append(instance)
    if instances:
        extra["hasCourseInstance"] = instances
    return extra


def json_ld_script(catalogue, entry, today=None) -> str:
    """The JSON with <, > and & escaped, so no catalogue text can close the script element."""
    text = json.dumps(json_ld(catalogue, entry, today), ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
