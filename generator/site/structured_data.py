"""schema.org description of a programme (JSON-LD), safe to put inside a <script> element."""
from __future__ import annotations

import json

from .sessions import offers_and_instances



def json_ld(catalogue, entry, today=None) -> dict:
    """Every property from the catalogue: the credential and its identifier only for a certifying
    programme, the duration only when given, the course mode as the catalogue states it; price
    and sessions when the catalogue gives them."""
    data = entry.data
    view = entry.view
    organisation = catalogue.organisation
    address = organisation["address"]
    described = {
        "@context": "https://schema.org",
        "@type": ["Course", "EducationalOccupationalProgram"],
        "name": data["title"],
        "description": data["summary"],
    }
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
        described["educationalCredentialAwarded"] = view.certification.name
        described["occupationalCredentialAwarded"] = view.certification.name
    if view.iso_duration:
        described["timeToComplete"] = view.iso_duration
    described.update({
        "timeRequired": f"PT{data['hours']['total']}H",
        "inLanguage": "fr",
        "educationalProgramMode": view.course_mode,
        "hasCourseInstance": {"@type": "CourseInstance", "courseMode": view.course_mode},
        "programPrerequisites": [p["label"] for p in data["admission"]["paths"]],
        "syllabusSections": [
            {"@type": "Syllabus", "name": f"Bloc {bloc['number']} : {bloc['title']}",
             "timeRequired": f"PT{bloc['hours']}H"}
            for bloc in data["blocs"]
        ],
    })
    described.update(offers_and_instances(entry, today))  # one instance per session, when there are some
    return described


def json_ld_script(catalogue, entry, today=None) -> str:
    """The JSON with <, > and & escaped, so no catalogue text can close the script element."""
    text = json.dumps(json_ld(catalogue, entry, today), ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
