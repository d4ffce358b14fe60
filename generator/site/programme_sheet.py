"""A programme's printable sheet (« fiche programme »), an A4 PDF published beside its page.

Written with fpdf2 (pure Python) from the programme's view and the organisation only: objectives,
audience, prerequisites, programme by bloc with hours, methods, validation, sessions, price,
accessibility, contact, date of the data. The PDF carries its title and language (fr) and its
text as text (searchable, read by screen readers: fpdf2 writes real text, with a Unicode font).

Its name holds a hash of what it is made from (``<id>-fiche-<hash>.pdf``): a new programme text, a
new name. Making one costs 0.2 to 0.3 s (fpdf2 parses the two fonts for each document, then lays
out and subsets them: nothing it lets a second document reuse), so several new ones are made in
parallel. The bytes are cached by that hash under ``.cache/programme-sheets/``
(``PROGRAMME_SHEET_CACHE``), so an unchanged programme costs nothing.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..catalogue.schema_publishing import SESSION_FORMATS
from ..french import fr_date
from ..browser.build_cache import keep

CACHE_DIR = Path(os.environ.get("PROGRAMME_SHEET_CACHE",
                                Path(__file__).resolve().parents[2] / ".cache" / "programme-sheets"))
# Debian's DejaVu (fonts-dejavu-core, which Chromium pulls in): every French character, embedded
# as a subset. Without it, the PDF's built-in Helvetica, whose text is Latin-1 only.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FORMAT_VERSION = "1"   # change when the layout below changes: every cached sheet is remade


@dataclass(frozen=True)
class Sheet:
    path: str          # inside the site, e.g. "cqp-assistant-medical/cqp-assistant-medical-fiche-0123456789ab.pdf"
    content: bytes

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[1]

    @property
    def size_text(self) -> str:
        return f"{max(1, round(len(self.content) / 1000))} Ko"


def _facts(view, organisation: dict, today: _dt.date) -> dict:
    """Everything the sheet shows, as plain data: what its name and cache key are made from."""
    data = view.data
    return {
        "format": FORMAT_VERSION, "font": FONT_DIR.joinpath("DejaVuSans.ttf").exists(),
        "title": view.title, "summary": view.summary, "objectives": data["objectives"],
        "audience": data["audience"], "prerequisites": view.prerequisites,
        "blocs": [[bloc["number"], bloc["title"], bloc["hours"], [[m["title"], m["hours"]] for m in bloc["modules"]]]
                  for bloc in data["blocs"]],
        "hours": [view.total_hours, data["hours"].get("evaluations") or 0],
        "duration": view.duration_text,
        "methods": [line for key in ("general", "centre") for line in (data.get("methods") or {}).get(key) or ()]
                   + ([data["methods"]["practice"]] if (data.get("methods") or {}).get("practice") else []),
        "validation": data["validation"]["rules"],
        "sessions": [[str(s["start"]), str(s["end"]), s["place"]["city"], SESSION_FORMATS[s["format"]], s["status"]]
                     for s in view.open_sessions(today)],
        "price": [view.price_text, view.price_includes or ""],
        "accessibility": data["qualiopi"].get("accessibility") or "",
        "referent": [(organisation.get("disability_contact") or {}).get(k) or "" for k in ("name", "email", "phone")],
        "contact": [organisation["name"], organisation["address"]["street"],
                    f"{organisation['address']['postcode']} {organisation['address']['city']}",
                    organisation.get("phone") or "", organisation.get("email") or ""],
        "data_date": fr_date(view.data_date),
    }


def programme_sheet(view, organisation: dict, today: _dt.date) -> Sheet:
    return programme_sheets([view], organisation, today)[0]


def programme_sheets(views, organisation: dict, today: _dt.date) -> list[Sheet]:
    """Each view's sheet, from the cache or made; several new sheets (a new catalogue, a new
    layout) are made in parallel, one process per core: the same bytes, in less time."""
    facts = [_facts(view, organisation, today) for view in views]
    keys = [hashlib.sha256(json.dumps(f, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:12]
            for f in facts]
    contents = {}
    for key in keys:
        try:
            contents[key] = (CACHE_DIR / f"{key}.pdf").read_bytes()
        except OSError:
            pass
    missing = {key: f for key, f in zip(keys, facts) if key not in contents}
    for key, content in zip(missing, _make(list(missing.values()))):
        contents[key] = content
        keep(CACHE_DIR / f"{key}.pdf", content)
    return [Sheet(f"{view.id}/{view.id}-fiche-{key}.pdf", contents[key]) for view, key in zip(views, keys)]


PARALLEL_FROM = 4      # fewer new sheets are made here: starting processes would cost more


def _make(facts: list[dict]) -> list[bytes]:
    workers = min(os.cpu_count() or 1, len(facts))
    if len(facts) < PARALLEL_FROM or workers < 2:
        return [_pdf(f) for f in facts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_pdf, facts, chunksize=4))



def _pdf(facts: dict) -> bytes:
    from fpdf import FPDF   # here: only the site build needs it

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    if facts["font"]:
        pdf.add_font("Texte", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("Texte", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        family, clean = "Texte", (lambda text: text)
    else:
        family, clean = "Helvetica", (lambda text: text.replace("\u202f", " ").replace("€", "EUR")
                                      .encode("latin-1", "replace").decode("latin-1"))
    pdf.set_title(facts["title"])
    pdf.set_lang("fr-FR")
    pdf.set_author(facts["contact"][0])
    pdf.set_subject(f"Fiche programme — {facts['title']}")
    pdf.set_creator("Catalogue des formations")
    pdf.set_creation_date(_dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc))  # same facts, same bytes
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=12):
        pdf.ln(2)
        pdf.set_font(family, "B", size)
        pdf.multi_cell(width, size * 0.5, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def paragraph(text, bold=False):
        pdf.set_font(family, "B" if bold else "", 9.5)
        pdf.multi_cell(width, 4.6, clean(text), new_x="LMARGIN", new_y="NEXT")

    def bullets(lines):
        for line in lines:
            paragraph("• " + line)

    heading(facts["title"], 16)
    paragraph(facts["summary"])
    hours, evaluations = facts["hours"]
    paragraph(f"Volume horaire : {hours} h" + (f", dont {evaluations} h d'évaluations" if evaluations else "")
              + (f" — durée : {facts['duration']}" if facts["duration"] else "") + ".", bold=True)
    heading("Objectifs")
    bullets(facts["objectives"])
    heading("Pour qui ?")
    bullets(facts["audience"])
    heading("Prérequis (l'une de ces conditions)")
    bullets(facts["prerequisites"])
    heading("Programme")
    for number, title, bloc_hours, modules in facts["blocs"]:
        paragraph(f"Bloc {number} — {title} ({bloc_hours} h)", bold=True)
        bullets(f"{module} : {module_hours} h" for module, module_hours in modules)
    if facts["methods"]:
        heading("Méthodes pédagogiques")
        bullets(facts["methods"])
    heading("Validation")
    bullets(facts["validation"])
    heading("Sessions")
    if facts["sessions"]:
        bullets(f"Du {fr_date(start)} au {fr_date(end)}, {city}, {mode}"
                + {"complète": " — session complète", "annulée": ""}.get(status, "") + "."
                for start, end, city, mode, status in facts["sessions"])
    else:
        paragraph("Aucune session n'est programmée pour le moment : contactez-nous.")
    price, includes = facts["price"]
    if price:
        heading("Tarif")
        paragraph(f"{price} TTC" + (f", comprenant {includes}" if includes else "") + ".")
    name, email, phone = facts["referent"]
    if facts["accessibility"] or name:
        heading("Accessibilité")
        if facts["accessibility"]:
            paragraph(facts["accessibility"])
        if name:
            paragraph("Référent(e) handicap : " + ", ".join(filter(None, (name, email, phone))) + ".")
    heading("Contact")
    paragraph(", ".join(filter(None, facts["contact"])) + ".")
    pdf.ln(2)
    paragraph(f"Données du catalogue au {facts['data_date']}.")
    return bytes(pdf.output())
