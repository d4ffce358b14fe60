"""A programme's sessions and price as the pages, the JSON-LD and the LHÉO export read them.

Sessions that have started before the build day are past: they are left out everywhere.
Cancelled sessions stay on the page, marked « annulée » (someone who saw the date learns it
is off), but are left out of the JSON-LD and of the LHÉO export, which list what can be joined.
"""
from __future__ import annotations

import datetime as _dt

COURSE_MODES = {"présentiel": "onsite", "distance": "online", "mixte": "blended"}


def _day(value) -> _dt.date:
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value))


def upcoming_sessions(data: dict, today: _dt.date, include_cancelled: bool = True) -> list[dict]:
    """Sessions starting on or after ``today``, soonest first."""
    sessions = [s for s in data.get("sessions") or () if _day(s["start"]) >= today]
    if not include_cancelled:
        sessions = [s for s in sessions if s["status"] != "annulée"]
    return sorted(sessions, key=lambda s: (str(s["start"]), str(s["end"])))


def price_text(amount) -> str:
    """3500 -> « 3 500 € », 1234.5 -> « 1 234,50 € » (French grouping with a narrow space)."""
    if float(amount).is_integer():
        text = f"{int(amount):,}"
    else:
        text = f"{amount:,.2f}".replace(".", "\u0000").replace(",", "\u202f").replace("\u0000", ",")
        return f"{text}\u00a0€"
    return text.replace(",", "\u202f") + "\u00a0€"


def _place(place: dict) -> dict:
    location = {"@type": "Place",
                "address": {"@type": "PostalAddress", "streetAddress": place["street"],
                            "postalCode": place["postcode"], "addressLocality": place["city"],
                            "addressCountry": "FR"}}
    if place.get("name"):
        location["name"] = place["name"]
    return location


def offers_and_instances(entry, today: _dt.date) -> dict:
    """JSON-LD ``offers`` (when the price is known) and ``hasCourseInstance`` (one per session
    that can be joined), to merge into the programme's Course description."""
    data = entry.data
    extra: dict = {}
    amount = (data.get("price") or {}).get("total_eur")
    if amount is not None:
        offer = {"@type": "Offer", "price": amount, "priceCurrency": "EUR", "category": "Paid"}
        if (data.get("price") or {}).get("includes"):
            offer["description"] = data["price"]["includes"]
        extra["offers"] = offer
    instances = []
    for session in upcoming_sessions(data, today, include_cancelled=False):
        instance = {"@type": "CourseInstance", "courseMode": COURSE_MODES[session["format"]],
                    "startDate": str(session["start"]), "endDate": str(session["end"]),
                    "location": _place(session["place"])}
        if session.get("seats"):
            instance["maximumAttendeeCapacity"] = session["seats"]
        instances.append(instance)
    if instances:
        extra["hasCourseInstance"] = instances
    return extra
