"""Who a prospect reaches, and how (tel: and mailto: links): the organisation's contact, or the
enrolment contact of the first session that can still be joined. Only what the catalogue gives."""
from __future__ import annotations

import datetime as _dt
import re


def tel_href(phone: str) -> str:
    """« 01 02 03 04 05 » → « tel:0102030405 » (spaces, dots and dashes dropped, « + » kept)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def organisation_contact(organisation: dict) -> dict:
    """``{"email", "phone"}`` of the organisation, each None when not given."""
    return {"email": organisation.get("email") or None, "phone": organisation.get("phone") or None}


def enrolment_contact(view, organisation: dict, today: _dt.date) -> dict:
    """``{"name", "email", "phone"}``: the first open session's enrolment contact when it gives
    an email or a phone, else the organisation's."""
    for session in view.open_sessions(today):
        contact = session.get("enrolment_contact") or {}
        if session["status"] == "ouverte" and (contact.get("email") or contact.get("phone")):
            return {"name": contact.get("name"), "email": contact.get("email"), "phone": contact.get("phone")}
    return {"name": None, **organisation_contact(organisation)}
