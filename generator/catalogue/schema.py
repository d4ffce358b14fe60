"""The shape of catalogue files, each field declared once with its meaning and example.

Each field is a ``Field`` (``shapes.py``): its check, whether it must be written, what it means and
an example (read by ``reference.py`` for the staff reference and the JSON Schemas), and whether
the build report or the LHÉO export asks for it when empty. The publishing facts (price, results,
pathways, sessions, LHÉO, the organisation's identity) are declared in ``schema_publishing.py``.
"""
from __future__ import annotations

import re

from ..rules.kinds import KINDS
from .schema_publishing import (LHEO_ACCESSIBILITY, LHEO_CITY, LHEO_EMAIL, LHEO_ORGANISATION_NAME, LHEO_PHONE,
                                 LHEO_POSTCODE, LHEO_STREET, ORGANISATION_FIELDS, PROGRAMME_FIELDS)
from .shapes import (Anything, Boolean, Date, Field, Integer, Literal, Nullable, OneOf, Pattern, Seq, Spec,  # noqa: F401
                     TEXT, Struct, Text, declared)

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ANSWER_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

TEXTS = Seq(TEXT, 1)
SLUG_ID = Pattern(SLUG, "un identifiant en minuscules et tirets (ex. « logiciel-medical »)")
KEY = Pattern(ANSWER_KEY, "une clé en minuscules et soulignés (ex. « placement »)")
RNCP_NUMBER = Integer(1, 999_999)

CONDITION = Anything()  # checked against the questions by rules.conditions.condition_problems


def optional(spec: Spec, meaning: str, example: str, **flags) -> Field:
    """A field that may be omitted (``flags``: label, report, qualiopi, lheo)."""
    return Field(spec, meaning, example, required=False, **flags)


ORGANISATION = Struct(
    name=Field(TEXT, "Nom de l'organisme.", "Atelier Exemple", lheo_text=LHEO_ORGANISATION_NAME),
    site_title=Field(TEXT, "Titre du site.", "Atelier Exemple — Formations"),
    site_url=optional(Nullable(Pattern(re.compile(r"^https?://[^\s/?#\"'<>]+(/[^\s?#\"'<>]*)?$"),
                                       "l'adresse publique du site, ex. « https://formations.example.fr/ »")),
                      "Adresse publique du site (null tant qu'elle n'est pas connue : ni lien canonique, ni "
                      "sitemap.xml, ni og:url).", "https://formations.example.fr/"),
    address=Field(Struct(
        street=Field(TEXT, "Rue.", "1 rue de l'Essai", lheo_text=LHEO_STREET),
        postcode=Field(TEXT, "Code postal, entre guillemets.", "\"75001\"", lheo_text=LHEO_POSTCODE),
        city=Field(TEXT, "Ville.", "Paris", lheo_text=LHEO_CITY),
        country=Field(TEXT, "Pays.", "France"),
    ), "Adresse postale.", "street: 1 rue de l'Essai"),
    email=Field(Nullable(TEXT), "Courriel de contact (null : aucun).", "contact@example.org", lheo_text=LHEO_EMAIL,
                label="courriel de l'organisme", report=True),
    phone=Field(Nullable(TEXT), "Téléphone (null : aucun).", "01 23 45 67 89", lheo_text=LHEO_PHONE,
                label="téléphone de l'organisme", report=True),
    contact_text=Field(TEXT, "Phrase d'invitation au contact.", "Une question ? Écrivez-nous."),
    **ORGANISATION_FIELDS,
)

# A record of the national registers: RNCP (répertoire national) or RS (répertoire spécifique).
# Exactly one of ``rncp`` / ``rs`` (checked in checks.py).
CERTIFICATION_RECORD = Struct(
    rncp=optional(RNCP_NUMBER, "Numéro de la fiche au RNCP (un seul de rncp / rs).", "40913"),
    rs=optional(RNCP_NUMBER, "Numéro de la fiche au Répertoire spécifique (un seul de rncp / rs).", "5678"),
    title=optional(Nullable(TEXT), "Intitulé de la fiche (écrit par « rncp update »).", "Assistant(e) médical(e)"),
    level=optional(Nullable(Integer(1, 8)), "Niveau de qualification (1 à 8).", "4"),
    nsf=optional(Seq(TEXT), "Codes NSF.", "[\"331\"]"),
    # Reported for the fiche in force when it is in the RNCP (identity_report.py).
    registered_on=optional(Nullable(Date()), "Date d'enregistrement.", "2022-04-22",
                           label="date d'enregistrement de la certification au RNCP", qualiopi=True),
    decision_date=optional(Nullable(Date()), "Date de la décision.", "2022-04-25"),
    end_date=optional(Nullable(Date()), "Fin de l'enregistrement (avertissement 6 mois avant, erreur après).",
                      "2030-06-25"),
    delivery_deadline=optional(Nullable(Date()), "Date limite de délivrance.", "2025-04-24"),
    replaced_by=optional(Nullable(RNCP_NUMBER), "Numéro de la fiche qui la remplace.", "40913"),
    # The fiche's blocs de compétences as the RNCP export lists them (written by `rncp update`).
    blocs=optional(Nullable(Seq(Struct(
        code=Field(TEXT, "Code du bloc dans la fiche.", "RNCP40913BC01"),
        title=optional(Nullable(TEXT), "Intitulé du bloc dans la fiche.", "Suivi du parcours de santé du patient"),
    ))), "Blocs de compétences de la fiche (écrits par « rncp update »).", "- {code: RNCP40913BC01}"),
    source=Field(TEXT, "D'où viennent ces informations.", "Fiche RNCP 40913 (France compétences)…"),
)
REGISTER_REFERENCE = Struct(
    rncp=optional(RNCP_NUMBER, "Numéro RNCP de cette fiche.", "36358"),
    rs=optional(RNCP_NUMBER, "Numéro RS de cette fiche.", "5678"),
    decision_date=optional(Date(), "Date de la décision.", "2022-04-25"),
)
CONFIRMATION = Struct(
    rncp=optional(RNCP_NUMBER, "Numéro RNCP confirmé.", "40913"),
    rs=optional(RNCP_NUMBER, "Numéro RS confirmé.", "5678"),
    confirmed_on=Field(Date(), "Date de la confirmation.", "2026-12-01"),
    by=Field(TEXT, "Qui a confirmé.", "Responsable pédagogique"),
)


class KindName(Literal):
    """A question's ``type``: one of the registered kinds (``rules/kinds/``)."""

    def __init__(self):  # the kinds are read at check time: a kind registered later counts
        pass

    @property
    def values(self):
        return tuple(KINDS)


def shape_spec(shape, parts: dict, at: str = "") -> Spec:
    """The check of a kind's field, from the plain shape it declares (``rules.kinds.KindField``);
    ``parts`` gives the meaning and example of each part of a composite shape, by its path below
    the field (``"[].value"``, ``".date"``)."""
    if isinstance(shape, dict):
        return Struct(**{name.rstrip("?"): Field(shape_spec(inner, parts, f"{at}.{name.rstrip('?')}"),
                                                 *parts.get(f"{at}.{name.rstrip('?')}", ("", "")),
                                                 required=not name.endswith("?"))
                         for name, inner in shape.items()})
    if isinstance(shape, str):
        return {"text": TEXT, "boolean": Boolean(), "key": KEY, "slug": SLUG_ID}[shape]
    tag, *rest = shape
    if tag == "integer":
        return Integer(*rest)
    if tag == "literal":
        return Literal(tuple(rest))
    if tag == "one_of":
        return OneOf(tuple(shape_spec(inner, parts, at) for inner in rest))
    if tag == "list":
        return Seq(shape_spec(rest[1], parts, f"{at}[]"), rest[0])
    raise ValueError(f"shape {shape!r}")


def kind_field(kind, name: str) -> Field:
    """The declaration of a kind's field ``name``, from its ``KindField``. Optional here: whether it
    is required, or allowed for a question's type, is checked in checks.py."""
    given = kind.fields[name]
    return Field(shape_spec(given.shape, given.parts), f"type {kind.name} : {given.meaning}",
                 given.example, required=False)


class QuestionStruct(Struct):
    """The fields of every question, then those of each kind (the first kind to name a field
    declares it)."""

    def __init__(self, **common: Field):
        self.common = common
        self._declared: dict = {}   # (kind, field name) -> Field, built once

    @property
    def fields(self):
        fields = dict(self.common)
        for kind in KINDS.values():
            for name in kind.fields:
                if name not in fields:
                    key = (kind.name, name)
                    if key not in self._declared:
                        self._declared[key] = kind_field(kind, name)
                    fields[name] = self._declared[key]
        return fields


QUESTION = QuestionStruct(
    key=Field(KEY, "Clé de la réponse (minuscules et soulignés), citée par les conditions.", "placement"),
    type=Field(KindName(), "boolean (oui/non), choice (un choix parmi « choices »), integer (nombre entre min et "
                           "max) ou date.", "choice"),
    label=Field(TEXT, "La question posée.", "Avez-vous un cabinet médical où pratiquer ?"),
    short=Field(TEXT, "La question en quelques mots, pour les explications.", "cabinet médical pour la pratique"),
    help=optional(TEXT, "Aide affichée sous la question.", "12 mois = 1 an."),
)

# An admission rule (admission › paths[], admission › requirement).
RULE = Struct(
    id=Field(SLUG_ID, "Identifiant de la règle.", "bac-ou-niveau-4"),
    label=Field(TEXT, "La règle en clair ; ses durées doivent être celles de la condition (avertissement sinon).",
                "avoir 1 an d'expérience comme secrétaire médical(e)"),
    condition=Field(CONDITION, "La condition (voir « conditions »).", "{answer: level4_or_bac, equals: true}"),
)

# Where the training happens, and the course mode (schema.org courseMode) it amounts to.
PLACES = {"centre": "en centre de formation", "on_site": "sur site (dans vos locaux)", "distance": "à distance"}
# One vocabulary with the sessions' « format »; schema.org's courseMode (and LHÉO's) is derived from it.
COURSE_MODES = {"présentiel": "en présentiel", "distance": "à distance", "mixte": "mixte (présentiel et à distance)"}
SCHEMA_ORG_COURSE_MODES = {"présentiel": "onsite", "distance": "online", "mixte": "blended"}


class CourseMode(Literal):
    """A French course mode; the former English words get the sentence saying what to write."""

    def check(self, value, path):
        former = {code: word for word, code in SCHEMA_ORG_COURSE_MODES.items()}
        if value in former:
            return [(path, f"« {value} » est l'ancienne valeur : écrivez « course_mode: {former[value]} ».")]
        return super().check(value, path)

# Duration fields: (singular, plural) of their unit.
DURATION_FIELDS = {"duration_days": ("jour", "jours"), "duration_weeks": ("semaine", "semaines"),
                   "duration_months": ("mois", "mois")}

# Indicators 1 to 3 of Qualiopi written in sentences; each empty one is left out of the page and reported.
QUALIOPI = Struct(
    fail_if_missing=Field(Boolean(), "true : la construction échoue tant qu'une information demandée par Qualiopi "
                                     "manque (délai d'accès, accessibilité, tarif, passerelles, résultats, identité "
                                     "de l'organisme…) ; false : elle est seulement signalée dans le rapport.", "false"),
    access_delay=Field(Nullable(TEXT), "Délai d'accès.", "Entrée possible 4 semaines après l'inscription.",
                       label="délai d'accès", qualiopi=True),
    accessibility=Field(Nullable(TEXT), "Accessibilité aux personnes en situation de handicap.",
                        "Locaux accessibles ; …", lheo_text=LHEO_ACCESSIBILITY,
                        label="accessibilité aux personnes en situation de handicap", qualiopi=True),
)

PROGRAMME = Struct(
    id=Field(SLUG_ID, "Identifiant du programme : le nom du fichier sans « .yaml », utilisé dans les adresses du "
                      "site.", "cqp-assistant-medical"),
    data_date=Field(Date(), "Date à laquelle les informations du fichier ont été vérifiées ; affichée sur chaque "
                            "page.", "2026-11-22"),
    title=Field(TEXT, "Titre du programme.", "CQP Assistant(e) médical(e)"),
    summary=Field(TEXT, "Résumé en une ou deux phrases (page d'accueil, moteurs de recherche).",
                  "Une formation en alternance de 279 heures sur 8 mois…"),
    # A certifying programme names its certification; any other names the attestation it ends with.
    certification=optional(Struct(
        kind=Field(TEXT, "Nature de la certification (CQP, titre, diplôme, certification RS…).", "CQP"),
        name=Field(TEXT, "Nom officiel de la certification.",
                   "Certificat de qualification professionnelle Assistant(e) médical(e)"),
        certifier=Field(TEXT, "Organisme certificateur, tel que la fiche le nomme.",
                        "CPNEFP des personnels des cabinets médicaux - ACQPCM"),
        current=Field(CERTIFICATION_RECORD, "La fiche en vigueur (RNCP ou RS) ; voir « fiche d'un répertoire ».",
                      "rncp: 40913"),
        history=optional(Seq(CERTIFICATION_RECORD), "Les fiches antérieures, de la plus récente à la plus ancienne.",
                         "- rncp: 36358"),
    ), "La certification visée, pour un programme certifiant. Absente : le programme nomme son « attestation ».",
       "kind: CQP"),
    attestation=optional(TEXT, "Pour un programme sans certification : ce qui est remis en fin de formation.",
                         "Attestation de formation d'adaptation à l'emploi (FAE)"),
    format=optional(TEXT, "Type de formation, en clair (affiché tel quel).", "Formation en alternance"),
    duration_days=optional(Integer(1, 365), "Durée en jours (formation courte). Un seul champ de durée au plus.", "2"),
    duration_weeks=optional(Integer(1, 520), "Durée en semaines. Un seul champ de durée au plus.", "6"),
    duration_months=optional(Integer(1, 120), "Durée en mois. Un seul champ de durée au plus.", "8"),
    access_duration_months=optional(Integer(1, 120), "Durée d'accès à la certification, en mois ; nécessaire si une "
                                                     "question utilise « plus_months: access_duration ».", "12"),
    course_mode=Field(CourseMode(tuple(COURSE_MODES)),
                      "Modalité : présentiel, distance ou mixte (les mots du « format » des sessions) ; publiée pour "
                      "les moteurs de recherche (schema.org onsite, online, blended) et dans LHÉO.", "mixte"),
    places=optional(Seq(Literal(tuple(PLACES)), 1),
                    "Lieux possibles, affichés sur la page : centre (en centre de formation), on_site (sur site, dans "
                    "les locaux du client), distance (à distance) ; à accorder avec « course_mode ».",
                    "[centre, on_site]"),
    sessions_note=optional(TEXTS, "Les sessions en phrases (fréquence, périodes) ; les sessions datées vont dans "
                                  "« sessions ».", "- Plusieurs sessions par an."),
    rhythm=optional(Struct(
        centre_days_per_week=optional(Integer(0, 7), "Jours de formation par semaine au centre.", "2"),
        practice_days_per_week=optional(Integer(0, 7), "Jours de pratique par semaine (alternance) ; demande "
                                                       "« practice_place ».", "3"),
        practice_place=optional(TEXT, "Où se passent les jours de pratique, à lire après « 3 jours ».",
                                "en cabinet médical"),
        centre_formats=optional(TEXTS, "Formes des jours de formation.", "[en présentiel, en classe virtuelle]"),
        description=optional(TEXT, "Le rythme en une phrase, quand il n'est pas hebdomadaire.",
                             "Deux journées consécutives."),
    ), "Le rythme. Des jours de pratique chaque semaine font une formation en alternance.", "centre_days_per_week: 2"),
    hours=Field(Struct(
        total=Field(Integer(1, 100_000), "Heures au total : la somme des blocs et des évaluations (vérifiée).", "279"),
        evaluations=Field(Integer(0, 100_000), "Heures d'évaluation, jamais dispensées (0 si aucune).", "13"),
    ), "Volume horaire.", "total: 279"),
    presentation=Field(TEXTS, "Paragraphes de présentation.", "- L'assistant(e) médical(e) travaille…"),
    objectives=Field(TEXTS, "Ce que l'apprenant saura faire (« À la fin de la formation, vous saurez : »).",
                     "- Accueillir les patients…"),
    audience=Field(TEXTS, "Pour qui : une ligne par public.", "- Secrétaires médicaux(ales) en poste."),
    methods=optional(Struct(
        general=optional(TEXTS, "Méthodes, sans distinction de lieu.", "- Mises en situation pratiques."),
        centre=optional(TEXTS, "Méthodes au centre de formation.", "- Ateliers pratiques au centre."),
        practice=optional(TEXT, "La pratique sur le lieu de travail, en un paragraphe.", "En cabinet médical, …"),
    ), "Méthodes pédagogiques ; chaque partie est facultative.", "centre: [Cours en présentiel.]"),
    routes=optional(Seq(Struct(
        id=Field(SLUG_ID, "Identifiant de la voie.", "vae"),
        label=Field(TEXT, "Nom de la voie.", "Validation des acquis de l'expérience (VAE)"),
        description=Field(TEXT, "Ce qu'elle est, en une phrase.", "Faire reconnaître des compétences acquises en poste."),
    ), 1), "Voies d'accès (parcours complet, VAE…).", "- {id: vae, label: VAE, description: …}"),
    access_schemes=optional(TEXTS, "Dispositifs possibles (contrat, plan de formation…).",
                            "- Contrat de professionnalisation."),
    outcomes=optional(TEXTS, "Débouchés.", "- Exercer comme assistant(e) médical(e)…"),
    admission=Field(Struct(
        intro=optional(TEXT, "Phrase avant la liste des conditions.", "Il suffit de remplir l'une de ces conditions :"),
        paths=Field(Seq(RULE, 1), "Conditions d'accès : une seule suffit (voir « règle »).", "- id: bac-ou-niveau-4"),
        requirement=optional(RULE, "Exigence à remplir dans tous les cas avant l'entrée ; tant qu'elle manque, "
                                   "l'admission est « sous réserve » (voir « règle »).", "id: lieu-de-pratique"),
    ), "Conditions d'accès, vérifiées par l'auto-évaluation.", "paths: […]"),
    validation=Field(Struct(
        rules=Field(TEXTS, "Règles de validation, une par ligne.", "- Chaque bloc est évalué à part."),
    ), "Comment la formation est validée.", "rules: […]"),
    legal_frame=optional(Seq(Struct(
        reference=Field(TEXT, "Le texte.", "Arrêté du 7 novembre 2019"),
        subject=Field(TEXT, "Son objet, à lire après la référence.", "qui encadre l'exercice de l'activité…"),
    )), "Textes de référence.", "- {reference: Arrêté du 7 novembre 2019, subject: …}"),
    employer=optional(Struct(
        intro=Field(TEXT, "Premier paragraphe.", "Recruter un(e) assistant(e) médical(e), c'est…"),
        benefits=optional(TEXTS, "Ce que l'employeur y gagne.", "- Dégager du temps médical…"),
        missions=optional(TEXT, "Les missions confiées.", "Les missions de l'assistant(e)…"),
        commitment=optional(TEXT, "L'engagement de l'employeur.", "Le médecin s'engage à…"),
        obligations=optional(Struct(
            title=Field(TEXT, "Titre de la liste.", "Employeurs sous convention avec la CPAM : les obligations"),
            items=Field(TEXTS, "Les obligations, une par ligne.", "- Entrée en formation : …"),
        ), "Obligations particulières d'une catégorie d'employeurs, sous leur titre.",
           "title: Employeurs sous convention avec la CPAM : les obligations"),
    ), "Partie « Employeurs », pour une formation en entreprise ; absente : pas de partie.", "intro: …"),
    funding=optional(Seq(Struct(
        question=Field(TEXT, "La question.", "Quels frais sont pris en charge ?"),
        answers=Field(TEXTS, "Ses réponses (une seule : un paragraphe).", "- Les frais pédagogiques…"),
    )), "Financement, en questions et réponses.", "- question: Comment financer la formation ?"),
    qualiopi=Field(QUALIOPI, "Indicateurs 1 à 3 du référentiel Qualiopi écrits en phrases ; null tant qu'ils "
                             "manquent (signalés à la construction, absents des pages). Le tarif, les passerelles et "
                             "les résultats ont leurs propres champs : « price », « pathways », « results ».",
                   "access_delay: null"),
    # Absent: no module can be exempted (no dispense table; the quiz checks admission only).
    exemptions=optional(Struct(
        established_for=optional(REGISTER_REFERENCE,
                                 "La fiche pour laquelle les règles ont été établies (rncp ou rs, et la date de "
                                 "décision) ; obligatoire pour un programme certifiant.",
                                 "{rncp: 36358, decision_date: 2022-04-25}"),
        confirmed_for=optional(Seq(CONFIRMATION), "Fiches pour lesquelles l'équipe a confirmé que les règles restent "
                                                  "valables.",
                               "- {rncp: 40913, confirmed_on: 2026-12-01, by: Responsable pédagogique}"),
        positioning=Field(TEXTS, "Comment se décident les dispenses (tableau des dispenses).",
                          "- Le positionnement est individuel…"),
        grounds=Field(Seq(Struct(
            id=Field(SLUG_ID, "Identifiant du motif.", "experience-secretaire-medicale"),
            label=Field(TEXT, "Le motif en clair ; ses durées doivent être celles de la condition (avertissement "
                              "sinon).", "1 an d'expérience sur un poste de secrétaire médical(e)"),
            evidence=Field(TEXTS, "Justificatifs à apporter.", "- Bulletin de salaire mentionnant le poste…"),
            condition=Field(CONDITION, "La condition (voir « conditions »).",
                            "{answer: medical_secretary_experience_months, at_least: 12}"),
        ), 1), "Motifs de dispense ; chaque motif est cité par au moins un module (« exempted_by »).",
           "- id: experience-secretaire-medicale"),
    ), "Dispenses de modules ; absente : aucune dispense, pas de tableau des dispenses, l'auto-évaluation ne "
       "vérifie que l'admission.", "grounds: […]"),
    questions=Field(Seq(QUESTION, 1), "Les questions de l'auto-évaluation, lues par les conditions.", "- key: placement"),
    blocs=Field(Seq(Struct(
        number=Field(Integer(1, 99), "Numéro du bloc.", "1"),
        title=Field(TEXT, "Titre du bloc.", "Suivi du parcours de santé du patient"),
        hours=Field(Integer(0, 100_000), "Heures du bloc : la somme de ses modules (vérifiée).", "77"),
        evaluation=optional(TEXT, "Comment le bloc est évalué.", "Trois épreuves, et une validation par le tuteur."),
        modules=Field(Seq(Struct(
            id=Field(SLUG_ID, "Identifiant du module.", "telemedecine"),
            title=Field(TEXT, "Titre du module.", "Télémédecine"),
            hours=Field(Integer(1, 100_000), "Heures du module.", "14"),
            exempted_by=optional(Seq(SLUG_ID), "Motifs de dispense (« exemptions › grounds ») dont un seul suffit ; "
                                               "absent : pas de dispense possible.",
                                 "[certification-secretariat-medical]"),
        ), 1), "Les modules du bloc.", "- {id: telemedecine, title: Télémédecine, hours: 14}"),
    ), 1), "Les blocs de compétences et leurs modules.", "- number: 1"),
    # Sessions, price, pathways, results, LHÉO: schema_publishing.py.
    **PROGRAMME_FIELDS,
)
