"""The catalogue's publishing facts (issue 11): the organisation's legal and Qualiopi identity,
and per programme its sessions, price, pathways and structured results.

Every field is optional in the files and nullable: the sources give none of these facts, so the
real catalogue leaves them empty (null) until staff fill them, the pages show nothing for them and
the build report lists each one its declaration flags (``report``, ``qualiopi``; read by
``generator/site/identity_report.py``). ``schema.py`` puts these fields in its ``ORGANISATION``
and ``PROGRAMME``. Identifiers in the examples are made up: never copy them.
"""
from __future__ import annotations

import re

from .shapes import (TEXT, Boolean, Date, Field, Integer, LheoText, Literal, Nullable, Number, OneOf, Pattern, Seq,
                     Siret, Spec, Struct)

NDA = Pattern(re.compile(r"^\d{11}$"), "un numéro de déclaration d'activité de 11 chiffres, entre guillemets")
FORMACODE = Pattern(re.compile(r"^\d{5}$"), "un code FORMACODE de 5 chiffres, entre guillemets")
PERCENT = Number(0, 100)

# Where texts go in the LHÉO export, with the lengths its XSD allows (lheo-2.3.xsd, ``maxLength``).
LHEO_ORGANISATION_NAME = LheoText("nom-organisme", 250)
LHEO_LEGAL_NAME = LheoText("raison-sociale", 250)
LHEO_PLACE_NAME = LheoText("denomination", 255)
LHEO_STREET = LheoText("ligne", 50, lines=4)     # 4 <ligne> of 50 characters, cut between words
LHEO_POSTCODE = LheoText("codepostal", 5, minimum=5)
LHEO_CITY = LheoText("ville", 50)
LHEO_PHONE = LheoText("numtel", 25)
LHEO_EMAIL = LheoText("courriel", 160, minimum=3)
LHEO_CONTACT_NAME = LheoText("nom", 50, optional=True)
LHEO_ACCESSIBILITY = LheoText("acces-handicapes", 250, optional=True)


def nullable(spec: Spec, meaning: str, example: str, **flags) -> Field:
    """A field that may be omitted or null (``flags``: label, report, qualiopi, lheo)."""
    return Field(Nullable(spec), meaning, example, required=False, **flags)


# The organisation's identity: mentions légales (LCEN art. 6 III), NDA, Qualiopi certificate,
# référent handicap, accessibility statement.
ORGANISATION_FIELDS = {
    "legal": nullable(Struct(
        legal_name=nullable(TEXT, "Raison sociale.", "Atelier Exemple SAS",
                            label="raison sociale", report=True, lheo=True, lheo_text=LHEO_LEGAL_NAME),
        legal_form=nullable(TEXT, "Forme juridique.", "SAS"),
        share_capital=nullable(TEXT, "Capital social, pour une société.", "10 000 €"),
        registration=nullable(TEXT, "Immatriculation (registre, ville, numéro).", "RCS Exempleville 123 456 782"),
        siret=nullable(Siret(), "Numéro SIRET : 14 chiffres sans espace, entre guillemets ; sa clé de contrôle est "
                                "vérifiée (l'exemple est fictif).", "\"12345678200010\"",
                       label="numéro SIRET", qualiopi=True, lheo=True),
        nda=nullable(NDA, "Numéro de déclaration d'activité (NDA) : 11 chiffres sans espace, entre guillemets "
                          "(l'exemple est fictif).", "\"12345678901\"",
                     label="numéro de déclaration d'activité", qualiopi=True, lheo=True),
        nda_region=nullable(TEXT, "Région du préfet auprès duquel la déclaration d'activité est enregistrée.",
                            "Provence-Alpes-Côte d'Azur",
                            label="région d'enregistrement de la déclaration d'activité", qualiopi=True),
        publication_director=nullable(TEXT, "Directeur ou directrice de la publication du site.", "Camille Exemple",
                                      label="directeur ou directrice de la publication", report=True),
    ), "Identité légale de l'organisme : page « Mentions légales » (loi LCEN, art. 6 III) et export LHÉO.",
       "legal_name: Atelier Exemple SAS"),
    "host": nullable(Struct(
        name=nullable(TEXT, "Nom de l'hébergeur.", "Hébergeur Exemple",
                      label="nom de l'hébergeur du site", report=True),
        address=nullable(TEXT, "Son adresse, sur une ligne.", "2 rue du Serveur, 75002 Paris",
                         label="adresse de l'hébergeur du site", report=True),
        phone=nullable(TEXT, "Son téléphone.", "01 00 00 00 00", label="téléphone de l'hébergeur du site", report=True),
    ), "L'hébergeur du site, obligatoire dans les mentions légales.", "name: Hébergeur Exemple"),
    "qualiopi_certificate": nullable(Struct(
        number=nullable(TEXT, "Numéro du certificat (l'exemple est fictif).", "CERT-EXEMPLE-0001",
                        label="numéro du certificat Qualiopi", qualiopi=True),
        issued_on=nullable(Date(), "Date de délivrance.", "2025-03-01",
                           label="date de délivrance du certificat Qualiopi", qualiopi=True),
        valid_until=nullable(Date(), "Date de fin de validité.", "2028-02-28",
                             label="date de fin de validité du certificat Qualiopi", qualiopi=True),
        certifier=nullable(TEXT, "L'organisme certificateur qui l'a délivré.", "Certificateur Exemple",
                           label="organisme certificateur Qualiopi", qualiopi=True),
        categories=nullable(Seq(TEXT, 1), "Catégories d'actions certifiées, une par ligne, telles que le "
                                          "certificat les nomme.", "[Actions de formation]",
                            label="catégories d'actions certifiées Qualiopi", qualiopi=True),
        document=nullable(Pattern(re.compile(r"^(?!/)(?!.*\.\.)[\w./-]+\.pdf$"),
                                  "le chemin d'un PDF dans docs/ (ex. « documents/certificat-qualiopi.pdf »)"),
                          "Le certificat en PDF : le fichier est placé dans docs/, le champ donne son chemin depuis "
                          "docs/ ; sans fichier, pas de lien.", "documents/certificat-qualiopi.pdf",
                          label="certificat Qualiopi (document PDF)", qualiopi=True),
    ), "Le certificat Qualiopi de l'organisme : page « Certification qualité » (le logo n'est jamais affiché "
       "sur la page d'un programme).", "number: CERT-EXEMPLE-0001"),
    # Its email or phone (one is enough) is reported by identity_report.py.
    "disability_contact": nullable(Struct(
        name=nullable(TEXT, "Son nom.", "Dominique Exemple",
                      label="nom du ou de la référent(e) handicap", qualiopi=True),
        email=nullable(TEXT, "Son courriel.", "handicap@example.org"),
        phone=nullable(TEXT, "Son téléphone.", "01 23 45 67 81"),
    ), "Le ou la référent(e) handicap : page « Accessibilité » et bloc des sessions de chaque programme.",
       "{name: Dominique Exemple, email: handicap@example.org}"),
    "accessibility": nullable(Struct(
        audited_on=nullable(Date(), "Date de l'audit RGAA du site.", "2026-06-01"),
        audited_by=nullable(TEXT, "Qui a réalisé l'audit.", "Cabinet d'audit Exemple"),
        compliance_rate=nullable(PERCENT, "Taux de conformité mesuré par l'audit, en % (un nombre de 0 à 100, sans "
                                          "« % ») : 100 % « totalement conforme », 50 % et plus « partiellement "
                                          "conforme », moins « non conforme ».", "75"),
        contact=nullable(TEXT, "Courriel ou adresse d'un formulaire pour signaler un défaut d'accessibilité.",
                         "accessibilite@example.org",
                         label="contact pour signaler un défaut d'accessibilité du site", report=True),
    ), "Déclaration d'accessibilité du site (RGAA), page « Accessibilité » ; sans audit, le site est déclaré "
       "« non conforme ».", "audited_on: 2026-06-01"),
}


class _Session(Struct):
    def check(self, value, path):
        problems = super().check(value, path)
        if not problems and str(value["end"]) < str(value["start"]):
            problems.append((path + ("end",), f"la session finit ({value['end']}) avant de commencer ({value['start']})."))
        return problems


# A session's format, as the pages say it (« … — en présentiel »).
SESSION_FORMATS = {"présentiel": "en présentiel", "distance": "à distance", "mixte": "en présentiel et à distance"}

SESSION = _Session(
    start=Field(Date(), "Premier jour de la session.", "2027-01-11"),
    end=Field(Date(), "Dernier jour de la session (pas avant le premier : vérifié).", "2027-09-10"),
    place=Field(Struct(
        name=nullable(TEXT, "Nom du lieu, s'il en a un.", "Centre de formation Exemple",
                      lheo_text=LHEO_PLACE_NAME),
        street=Field(TEXT, "Numéro et rue.", "1 rue de l'Essai", lheo_text=LHEO_STREET),
        postcode=Field(TEXT, "Code postal, entre guillemets.", "\"75001\"", lheo_text=LHEO_POSTCODE),
        city=Field(TEXT, "Ville.", "Paris", lheo_text=LHEO_CITY),
    ), "Où se déroule la session.", "{street: 1 rue de l'Essai, postcode: \"75001\", city: Paris}"),
    format=Field(Literal(tuple(SESSION_FORMATS)),
                 "Modalité de la session : présentiel, distance ou mixte (en partie à distance).", "mixte"),
    seats=nullable(Integer(1, 10_000), "Nombre de places (null : non précisé).", "12"),
    status=Field(Literal(("ouverte", "complète", "annulée")),
                 "ouverte (inscriptions possibles), complète, ou annulée : une session annulée reste affichée, "
                 "marquée « session annulée », mais n'est plus publiée pour les moteurs de recherche ni dans "
                 "l'export LHÉO.", "ouverte"),
    enrolment_contact=nullable(Struct(
        name=nullable(TEXT, "Nom de la personne ou du service.", "Service des inscriptions",
                      lheo_text=LHEO_CONTACT_NAME),
        email=nullable(TEXT, "Son courriel.", "inscriptions@example.org", lheo_text=LHEO_EMAIL),
        phone=nullable(TEXT, "Son téléphone.", "01 23 45 67 80", lheo_text=LHEO_PHONE),
    ), "Qui contacter pour s'inscrire à cette session ; absent : le contact de l'organisme.",
       "{name: Service des inscriptions, email: inscriptions@example.org}"),
)

# The funding routes a programme may declare, as the pages name them (nothing for an undeclared one).
FUNDING_ROUTES = {
    "cpf": "Compte personnel de formation (CPF)",
    "opco": "OPCO (opérateur de compétences de l'employeur)",
    "france-travail": "France Travail",
    "transitions-pro": "Transitions Pro (projet de transition professionnelle)",
    "employer-plan": "Plan de développement des compétences de l'employeur",
    "personal": "Financement personnel",
}
MON_COMPTE_FORMATION = re.compile(r"^https://www\.moncompteformation\.gouv\.fr/[^\s\"'<>]*$")

PROGRAMME_FIELDS = {
    "funding_routes": nullable(Seq(Struct(
        route=Field(Literal(tuple(FUNDING_ROUTES)), "La voie de financement : " + ", ".join(
            f"{key} ({name})" for key, name in FUNDING_ROUTES.items()) + ".", "cpf"),
        details=nullable(TEXT, "Pour qui, à quelles conditions (une phrase).", "pour les salariés et les demandeurs d'emploi"),
        link=nullable(Pattern(MON_COMPTE_FORMATION, "l'adresse de la formation sur Mon Compte Formation "
                                                    "(https://www.moncompteformation.gouv.fr/…)"),
                      "Pour le CPF : la page de la formation sur Mon Compte Formation.",
                      "https://www.moncompteformation.gouv.fr/espace-prive/html/#/formation/recherche/…"),
    ), 1), "Les voies de financement possibles, affichées sur la page du programme et dans « Et maintenant ? » "
           "de l'auto-évaluation ; une voie absente n'est pas affichée. Les questions-réponses restent dans "
           "« funding ».", "- {route: cpf, link: https://www.moncompteformation.gouv.fr/…}"),
    "sessions": nullable(Seq(SESSION),
                         "Les sessions datées, affichées sous « Prochaines sessions », publiées pour les moteurs de "
                         "recherche et dans l'export LHÉO. Une session commencée avant le jour de la construction "
                         "disparaît ; sans session à venir, la page invite à contacter l'organisme. Le rythme en "
                         "phrases va dans « sessions_note ».",
                         "- {start: 2027-01-11, end: 2027-09-10, place: {…}, format: mixte, status: ouverte}"),
    "price": nullable(Struct(
        total_eur=nullable(Number(0, 1_000_000),
                           "Prix total par stagiaire, toutes taxes comprises, en euros : un nombre, sans « € » ni "
                           "espace (décimales après un point).", "3500", label="tarif", qualiopi=True),
        includes=nullable(TEXT, "Ce que le prix comprend.", "frais pédagogiques et supports de cours",
                          label="ce que comprend le tarif", qualiopi=True),
    ), "Tarif (indicateur 1 de Qualiopi), affiché avec les sessions, publié pour les moteurs de recherche et "
       "dans l'export LHÉO ; null : rien n'est affiché.",
       "{total_eur: 3500, includes: frais pédagogiques et supports de cours}"),
    "pathways": nullable(Struct(
        bridges=nullable(Seq(TEXT, 1), "Passerelles : les autres certifications ou formations vers lesquelles le "
                                       "parcours permet de passer, une par ligne.",
                         "- Bloc 1 commun avec la certification …", label="passerelles", qualiopi=True),
        next_steps=nullable(Seq(TEXT, 1), "Suites de parcours : formations ou métiers possibles ensuite, une par ligne.",
                            "- Poursuite vers une certification de niveau 5 …",
                            label="suites de parcours", qualiopi=True),
        equivalences=nullable(Seq(TEXT, 1), "Équivalences reconnues avec d'autres certifications ou diplômes, une "
                                            "par ligne.", "- Équivalence avec l'ancienne certification …",
                              label="équivalences", qualiopi=True),
    ), "Passerelles, suites de parcours et équivalences (indicateur 1 de Qualiopi), affichées sur la page du "
       "programme ; chaque liste vide (null) n'apparaît pas.", "next_steps: [Poursuite vers …]"),
    "results": nullable(Seq(Struct(
        period=Field(TEXT, "La période : une promotion ou une année.", "promotion 2025"),
        headcount=Field(Integer(0, 100_000), "Nombre de stagiaires de la période.", "12"),
        success_rate=nullable(PERCENT, "Taux de réussite, en % (un nombre de 0 à 100, sans « % » ; null : inconnu).",
                              "92"),
        satisfaction_rate=nullable(PERCENT, "Taux de satisfaction, en % (un nombre de 0 à 100, sans « % », "
                                            "décimales après un point ; null : inconnu).", "88.5"),
        source=Field(TEXT, "D'où viennent les chiffres.",
                     "résultats du jury du 30/06/2025 ; questionnaire de fin de formation"),
    ), 1), "Indicateurs de résultats (indicateur 2 de Qualiopi), une entrée par période, affichés en tableau sur "
           "la page du programme ; null tant qu'il n'y en a pas.",
       "- {period: promotion 2025, headcount: 12, success_rate: 92, source: …}",
       label="indicateurs de résultats (période, effectif, taux de réussite, satisfaction)", qualiopi=True),
    # What the LHÉO export needs that the rest of the catalogue does not say (lheo-gml.xml 2.3).
    "lheo": nullable(Struct(
        formacode=nullable(Seq(FORMACODE, 1),
                           "Domaine de la formation : codes du FORMACODE (thésaurus de l'offre de formation du "
                           "Centre Inffo), 5 chiffres entre guillemets ; le premier est le code principal (l'export "
                           "en garde 5 au plus).", "[\"46278\"]"),
        public_codes=nullable(Seq(FORMACODE, 1),
                              "Publics visés : codes FORMACODE des publics, 5 chiffres entre guillemets (l'export en "
                              "garde 10 au plus).", "[\"80056\"]",
                              label="codes FORMACODE des publics visés (code-public-vise)", lheo=True),
        formacode_version=nullable(Pattern(re.compile(r"^V\d{1,3}$"), "une version du FORMACODE (ex. « V13 »)"),
                                   "Version du FORMACODE de ces codes : V suivi de son numéro.", "V13",
                                   label="version du FORMACODE de ces codes", lheo=True),
        entries_exits=nullable(Literal(("dates-fixes", "permanentes")),
                               "Modalités d'entrées et de sorties : dates-fixes (entrées et sorties à dates fixes) "
                               "ou permanentes (entrées et sorties permanentes).", "dates-fixes",
                               label="modalités d'entrées et de sorties (dates-fixes ou permanentes)", lheo=True),
        course_path=nullable(Literal(("en-groupe", "individualise", "modularise", "mixte")),
                             "Type de parcours de formation : en-groupe (non personnalisable), individualise, "
                             "modularise ou mixte.", "individualise",
                             label="type de parcours (en-groupe, individualise, modularise ou mixte)", lheo=True),
        entry_level=nullable(OneOf((Literal(("sans-niveau",)), Integer(1, 8))),
                             "Niveau à l'entrée en formation : sans-niveau (sans niveau spécifique) ou un niveau de "
                             "1 à 8 du cadre national des certifications ; s'il y en a plusieurs, le plus bas.", "4",
                             label="niveau d'entrée (sans-niveau ou 1 à 8)", lheo=True),
        entry_level_required=nullable(Boolean(), "true : ce niveau d'entrée est exigé ; false : il est seulement "
                                                 "indicatif.", "false",
                                      label="niveau d'entrée obligatoire ou non (true ou false)", lheo=True),
    ), "Ce que seul l'export LHÉO demande (« python -m generator lheo », l'offre transmise aux Carif-Oref et à "
       "France Travail) ; tant qu'un champ manque, l'export dit lesquels et n'écrit rien.",
       "{formacode: [\"46278\"], formacode_version: V13, entries_exits: dates-fixes, …}"),
}
