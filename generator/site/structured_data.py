"""schema.org description of a programme (JSON-LD), safe to put inside a <script> element."""
from __future__ import annotations

import json

from .sessions import offers_and_instances


def json_ld(catalogue, entry, today=None) -> dict:
    data = entry.data
    organisation = catalogue.organisation
    address = organisation["address"]
    current = data["certification"]["current"]
    return {
        "@context": "https://schema.org",
        "@type": ["Course", "EducationalOccupationalProgram"],
        "name": data["title"],
        "description": data["summary"],
        "identifier": f"RNCP{current['rncp']}",
        "provider": {
            "@type": "EducationalOrganization",
            "name": organisation["name"],
            "address": {
                "@type": "PostalAddress",
                "streetAddress": address["street"],
                "postalCode": address["postcode"],
                "addressLocality": address["city"],
                "addressCountry": "FR",
            },
        },
        "educationalCredentialAwarded": data["certification"]["name"],
        "occupationalCredentialAwarded": data["certification"]["name"],
        "timeToComplete": f"P{data['duration_months']}M",
        "timeRequired": f"PT{data['hours']['total']}H",
        "inLanguage": "fr",
        "educationalProgramMode": "blended",
        "programPrerequisites": [p["label"] for p in data["admission"]["paths"]],
        "syllabusSections": [
            {"@type": "Syllabus", "name": f"Bloc {bloc['number']} : {bloc['title']}",
             "timeRequired": f"PT{bloc['hours']}H"}
            for bloc in data["blocs"]
        ],
        **offers_and_instances(entry, today),  # price and sessions, when the catalogue gives them
    }


def json_ld_script(catalogue, entry, today=None) -> str:
    """The JSON with <, > and & escaped, so no catalogue text can close the script element."""
    text = json.dumps(json_ld(catalogue, entry, today), ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
