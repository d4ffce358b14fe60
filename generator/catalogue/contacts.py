"""Who a prospect reaches, and how (tel: and mailto: links): the organisation's contact (a
programme's enrolment contact is its view's, ``ProgrammeView.enrolment_contact``). Only what the
catalogue gives."""
from __future__ import annotations

import re


def tel_href(phone: str) -> str:
    """« 01 02 03 04 05 » → « tel:0102030405 » (spaces, dots and dashes dropped, « + » kept)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def organisation_contact(organisation: dict) -> dict:
    """``{"email", "phone"}`` of the organisation, each None when not given."""
    return {"email": organisation.get("email") or None, "phone": organisation.get("phone") or None}
