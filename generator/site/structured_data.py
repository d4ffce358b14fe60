"""schema.org description of a programme (JSON-LD), safe to put inside a <script> element."""
from __future__ import annotations

import json

from .publishing import site_url
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
        "dateModified": str(data["data_date"]),
    }
    address_of_site = site_url(organisation)
    if address_of_site:  # only once staff have given the public address: never a guessed URL
        described["@id"] = described["url"] = f"{address_of_site}{entry.id}/"
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
        "timeRequired": f"PT{data['hours']['total']}H",
        "inLanguage": "fr",
        "educationalProgramMode": view.course_mode,
        "hasCourseInstance": {"@type": "CourseInstance", "courseMode": view.course_mode,
                              "courseWorkload": f"PT{data['hours']['total']}H"},
        "programPrerequisites": _prerequisites(data["admission"]),
        "syllabusSections": [
            {"@type": "Syllabus", "name": f"Bloc {bloc['number']} : {bloc['title']}",
             "timeRequired": f"PT{bloc['hours']}H"}
            for bloc in data["blocs"]
        ],
    })
    described.update(offers_and_instances(entry, today))  # one instance per session, when there are some
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


def _prerequisites(admission: dict) -> list[str]:
    """Any one of the paths, and in every case the requirement (e.g. a placement) when there is one."""
    prerequisites = [path["label"] for path in admission["paths"]]
    if admission.get("requirement"):
        prerequisites.append(f"Dans tous les cas : {admission['requirement']['label']}")
    return prerequisites


def json_ld_script(catalogue, entry, today=None) -> str:
    """The JSON with <, > and & escaped, so no catalogue text can close the script element."""
    text = json.dumps(json_ld(catalogue, entry, today), ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
