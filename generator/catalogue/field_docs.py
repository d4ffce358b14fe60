"""What each catalogue field means, with an example: the words of the staff reference.

Keys are the field paths of ``schema.py`` (``[]`` for a list item); structures used in several
places are documented once under their name (``record.…``, ``rule.…``). The type and whether a
field is required come from the schema itself (``reference.py``); a test fails when a schema
field has no entry here, or an entry names no field.
"""
from __future__ import annotations

# Structures documented once, by the schema object they stand for (see reference.NAMED).
RECORD, RULE = "record", "rule"

PROGRAMME_DOCS: dict[str, tuple[str, str]] = {
    "id": ("Identifiant du programme : le nom du fichier sans « .yaml », utilisé dans les adresses du site.",
           "cqp-assistant-medical"),
    "data_date": ("Date à laquelle les informations du fichier ont été vérifiées ; affichée sur chaque page.",
                  "2026-11-22"),
    "title": ("Titre du programme.", "CQP Assistant(e) médical(e)"),
    "summary": ("Résumé en une ou deux phrases (page d'accueil, moteurs de recherche).",
                "Une formation en alternance de 279 heures sur 8 mois…"),
    "certification": ("La certification visée, pour un programme certifiant. Absente : le programme nomme "
                      "son « attestation ».", "kind: CQP"),
    "certification.kind": ("Nature de la certification (CQP, titre, diplôme, certification RS…).", "CQP"),
    "certification.name": ("Nom officiel de la certification.",
                           "Certificat de qualification professionnelle Assistant(e) médical(e)"),
    "certification.certifier": ("Organisme certificateur, tel que la fiche le nomme.",
                                "CPNEFP des personnels des cabinets médicaux - ACQPCM"),
    "certification.current": ("La fiche en vigueur (RNCP ou RS) ; voir « fiche d'un répertoire ».", "rncp: 40913"),
    "certification.history": ("Les fiches antérieures, de la plus récente à la plus ancienne.", "- rncp: 36358"),
    "attestation": ("Pour un programme sans certification : ce qui est remis en fin de formation.",
                    "Attestation de formation d'adaptation à l'emploi (FAE)"),
    "format": ("Type de formation, en clair (affiché tel quel).", "Formation en alternance"),
    "duration_days": ("Durée en jours (formation courte). Un seul champ de durée au plus.", "2"),
    "duration_weeks": ("Durée en semaines. Un seul champ de durée au plus.", "6"),
    "duration_months": ("Durée en mois. Un seul champ de durée au plus.", "8"),
    "access_duration_months": ("Durée d'accès à la certification, en mois ; nécessaire si une question "
                               "utilise « plus_months: access_duration ».", "12"),
    "course_mode": ("Modalité : onsite (en présentiel), online (à distance) ou blended (mixte) ; "
                    "publiée pour les moteurs de recherche (schema.org).", "blended"),
    "places": ("Lieux possibles, affichés sur la page : centre (en centre de formation), on_site "
               "(sur site, dans les locaux du client), distance (à distance) ; à accorder avec « course_mode ».",
               "[centre, on_site]"),
    "sessions_note": ("Les sessions en phrases (fréquence, périodes) ; les sessions datées vont dans « sessions ».", "- Plusieurs sessions par an."),
    "rhythm": ("Le rythme. Des jours de pratique chaque semaine font une formation en alternance.",
               "centre_days_per_week: 2"),
    "rhythm.centre_days_per_week": ("Jours de formation par semaine au centre.", "2"),
    "rhythm.practice_days_per_week": ("Jours de pratique par semaine (alternance) ; demande « practice_place ».", "3"),
    "rhythm.practice_place": ("Où se passent les jours de pratique, à lire après « 3 jours ».", "en cabinet médical"),
    "rhythm.centre_formats": ("Formes des jours de formation.", "[en présentiel, en classe virtuelle]"),
    "rhythm.description": ("Le rythme en une phrase, quand il n'est pas hebdomadaire.", "Deux journées consécutives."),
    "hours": ("Volume horaire.", "total: 279"),
    "hours.total": ("Heures au total : la somme des blocs et des évaluations (vérifiée).", "279"),
    "hours.evaluations": ("Heures d'évaluation, jamais dispensées (0 si aucune).", "13"),
    "presentation": ("Paragraphes de présentation.", "- L'assistant(e) médical(e) travaille…"),
    "objectives": ("Ce que l'apprenant saura faire (« À la fin de la formation, vous saurez : »).",
                   "- Accueillir les patients…"),
    "audience": ("Pour qui : une ligne par public.", "- Secrétaires médicaux(ales) en poste."),
    "methods": ("Méthodes pédagogiques ; chaque partie est facultative.", "centre: [Cours en présentiel.]"),
    "methods.general": ("Méthodes, sans distinction de lieu.", "- Mises en situation pratiques."),
    "methods.centre": ("Méthodes au centre de formation.", "- Ateliers pratiques au centre."),
    "methods.practice": ("La pratique sur le lieu de travail, en un paragraphe.", "En cabinet médical, …"),
    "routes": ("Voies d'accès (parcours complet, VAE…).", "- {id: vae, label: VAE, description: …}"),
    "routes[].id": ("Identifiant de la voie.", "vae"),
    "routes[].label": ("Nom de la voie.", "Validation des acquis de l'expérience (VAE)"),
    "routes[].description": ("Ce qu'elle est, en une phrase.", "Faire reconnaître des compétences acquises en poste."),
    "access_schemes": ("Dispositifs possibles (contrat, plan de formation…).", "- Contrat de professionnalisation."),
    "outcomes": ("Débouchés.", "- Exercer comme assistant(e) médical(e)…"),
    "admission": ("Conditions d'accès, vérifiées par l'auto-évaluation.", "paths: […]"),
    "admission.intro": ("Phrase avant la liste des conditions.", "Il suffit de remplir l'une de ces conditions :"),
    "admission.paths": ("Conditions d'accès : une seule suffit (voir « règle »).", "- id: bac-ou-niveau-4"),
    "admission.requirement": ("Exigence à remplir dans tous les cas avant l'entrée ; tant qu'elle manque, "
                              "l'admission est « sous réserve » (voir « règle »).", "id: lieu-de-pratique"),
    "validation": ("Comment la formation est validée.", "rules: […]"),
    "validation.rules": ("Règles de validation, une par ligne.", "- Chaque bloc est évalué à part."),
    "legal_frame": ("Textes de référence.", "- {reference: Arrêté du 7 novembre 2019, subject: …}"),
    "legal_frame[].reference": ("Le texte.", "Arrêté du 7 novembre 2019"),
    "legal_frame[].subject": ("Son objet, à lire après la référence.", "qui encadre l'exercice de l'activité…"),
    "employer": ("Partie « Employeurs », pour une formation en entreprise ; absente : pas de partie.", "intro: …"),
    "employer.intro": ("Premier paragraphe.", "Recruter un(e) assistant(e) médical(e), c'est…"),
    "employer.benefits": ("Ce que l'employeur y gagne.", "- Dégager du temps médical…"),
    "employer.missions": ("Les missions confiées.", "Les missions de l'assistant(e)…"),
    "employer.commitment": ("L'engagement de l'employeur.", "Le médecin s'engage à…"),
    "employer.obligations": ("Obligations particulières d'une catégorie d'employeurs, sous leur titre.",
                             "title: Employeurs sous convention avec la CPAM : les obligations"),
    "employer.obligations.title": ("Titre de la liste.", "Employeurs sous convention avec la CPAM : les obligations"),
    "employer.obligations.items": ("Les obligations, une par ligne.", "- Entrée en formation : …"),
    "funding": ("Financement, en questions et réponses.", "- question: Comment financer la formation ?"),
    "funding[].question": ("La question.", "Quels frais sont pris en charge ?"),
    "funding[].answers": ("Ses réponses (une seule : un paragraphe).", "- Les frais pédagogiques…"),
    "qualiopi": ("Indicateurs 1 à 3 du référentiel Qualiopi écrits en phrases ; null tant qu'ils manquent "
                 "(signalés à la construction, absents des pages). Le tarif, les passerelles et les résultats "
                 "ont leurs propres champs : « price », « pathways », « results ».", "access_delay: null"),
    "qualiopi.fail_if_missing": ("true : la construction échoue tant qu'une information demandée par Qualiopi "
                                 "manque (délai d'accès, accessibilité, tarif, passerelles, résultats, identité "
                                 "de l'organisme…) ; false : elle est seulement signalée dans le rapport.", "false"),
    "qualiopi.access_delay": ("Délai d'accès.", "Entrée possible 4 semaines après l'inscription."),
    "qualiopi.accessibility": ("Accessibilité aux personnes en situation de handicap.", "Locaux accessibles ; …"),
    "exemptions": ("Dispenses de modules ; absente : aucune dispense, pas de tableau des dispenses, "
                   "l'auto-évaluation ne vérifie que l'admission.", "grounds: […]"),
    "exemptions.established_for": ("La fiche pour laquelle les règles ont été établies (rncp ou rs, et la date "
                                   "de décision) ; obligatoire pour un programme certifiant.",
                                   "{rncp: 36358, decision_date: 2022-04-25}"),
    "exemptions.established_for.rncp": ("Numéro RNCP de cette fiche.", "36358"),
    "exemptions.established_for.rs": ("Numéro RS de cette fiche.", "5678"),
    "exemptions.established_for.decision_date": ("Date de la décision.", "2022-04-25"),
    "exemptions.confirmed_for": ("Fiches pour lesquelles l'équipe a confirmé que les règles restent valables.",
                                 "- {rncp: 40913, confirmed_on: 2026-12-01, by: Responsable pédagogique}"),
    "exemptions.confirmed_for[].rncp": ("Numéro RNCP confirmé.", "40913"),
    "exemptions.confirmed_for[].rs": ("Numéro RS confirmé.", "5678"),
    "exemptions.confirmed_for[].confirmed_on": ("Date de la confirmation.", "2026-12-01"),
    "exemptions.confirmed_for[].by": ("Qui a confirmé.", "Responsable pédagogique"),
    "exemptions.positioning": ("Comment se décident les dispenses (tableau des dispenses).",
                               "- Le positionnement est individuel…"),
    "exemptions.grounds": ("Motifs de dispense ; chaque motif est cité par au moins un module (« exempted_by »).",
                           "- id: experience-secretaire-medicale"),
    "exemptions.grounds[].id": ("Identifiant du motif.", "experience-secretaire-medicale"),
    "exemptions.grounds[].label": ("Le motif en clair ; ses durées doivent être celles de la condition "
                                   "(avertissement sinon).", "1 an d'expérience sur un poste de secrétaire médical(e)"),
    "exemptions.grounds[].evidence": ("Justificatifs à apporter.", "- Bulletin de salaire mentionnant le poste…"),
    "exemptions.grounds[].condition": ("La condition (voir « conditions »).",
                                       "{answer: medical_secretary_experience_months, at_least: 12}"),
    "questions": ("Les questions de l'auto-évaluation, lues par les conditions.", "- key: placement"),
    "questions[].key": ("Clé de la réponse (minuscules et soulignés), citée par les conditions.", "placement"),
    "questions[].type": ("boolean (oui/non), choice (un choix parmi « choices »), integer (nombre entre min et "
                         "max) ou date.", "choice"),
    "questions[].label": ("La question posée.", "Avez-vous un cabinet médical où pratiquer ?"),
    "questions[].short": ("La question en quelques mots, pour les explications.", "cabinet médical pour la pratique"),
    "questions[].help": ("Aide affichée sous la question.", "12 mois = 1 an."),
    "blocs": ("Les blocs de compétences et leurs modules.", "- number: 1"),
    "blocs[].number": ("Numéro du bloc.", "1"),
    "blocs[].title": ("Titre du bloc.", "Suivi du parcours de santé du patient"),
    "blocs[].hours": ("Heures du bloc : la somme de ses modules (vérifiée).", "77"),
    "blocs[].evaluation": ("Comment le bloc est évalué.", "Trois épreuves, et une validation par le tuteur."),
    "blocs[].modules": ("Les modules du bloc.", "- {id: telemedecine, title: Télémédecine, hours: 14}"),
    "blocs[].modules[].id": ("Identifiant du module.", "telemedecine"),
    "blocs[].modules[].title": ("Titre du module.", "Télémédecine"),
    "blocs[].modules[].hours": ("Heures du module.", "14"),
    "blocs[].modules[].exempted_by": ("Motifs de dispense (« exemptions › grounds ») dont un seul suffit ; "
                                      "absent : pas de dispense possible.", "[certification-secretariat-medical]"),
    # Publishing facts (schema_publishing.py): null until the organisation gives them; the build
    # report lists each empty one.
    "price": ("Tarif (indicateur 1 de Qualiopi), affiché avec les sessions, publié pour les moteurs de "
              "recherche et dans l'export LHÉO ; null : rien n'est affiché.",
              "{total_eur: 3500, includes: frais pédagogiques et supports de cours}"),
    "price.total_eur": ("Prix total par stagiaire, toutes taxes comprises, en euros : un nombre, sans « € » ni "
                        "espace (décimales après un point).", "3500"),
    "price.includes": ("Ce que le prix comprend.", "frais pédagogiques et supports de cours"),
    "pathways": ("Passerelles, suites de parcours et équivalences (indicateur 1 de Qualiopi), affichées sur la "
                 "page du programme ; chaque liste vide (null) n'apparaît pas.", "next_steps: [Poursuite vers …]"),
    "pathways.bridges": ("Passerelles : les autres certifications ou formations vers lesquelles le parcours "
                         "permet de passer, une par ligne.", "- Bloc 1 commun avec la certification …"),
    "pathways.next_steps": ("Suites de parcours : formations ou métiers possibles ensuite, une par ligne.",
                            "- Poursuite vers une certification de niveau 5 …"),
    "pathways.equivalences": ("Équivalences reconnues avec d'autres certifications ou diplômes, une par ligne.",
                              "- Équivalence avec l'ancienne certification …"),
    "results": ("Indicateurs de résultats (indicateur 2 de Qualiopi), une entrée par période, affichés en "
                "tableau sur la page du programme ; null tant qu'il n'y en a pas.",
                "- {period: promotion 2025, headcount: 12, success_rate: 92, source: …}"),
    "results[].period": ("La période : une promotion ou une année.", "promotion 2025"),
    "results[].headcount": ("Nombre de stagiaires de la période.", "12"),
    "results[].success_rate": ("Taux de réussite, en % (un nombre de 0 à 100, sans « % » ; null : inconnu).", "92"),
    "results[].satisfaction_rate": ("Taux de satisfaction, en % (un nombre de 0 à 100, sans « % », décimales "
                                    "après un point ; null : inconnu).", "88.5"),
    "results[].source": ("D'où viennent les chiffres.",
                         "résultats du jury du 30/06/2025 ; questionnaire de fin de formation"),
    "sessions": ("Les sessions datées, affichées sous « Prochaines sessions », publiées pour les moteurs de "
                 "recherche et dans l'export LHÉO. Une session commencée avant le jour de la construction "
                 "disparaît ; sans session à venir, la page invite à contacter l'organisme. Le rythme en "
                 "phrases va dans « sessions_note ».",
                 "- {start: 2027-01-11, end: 2027-09-10, place: {…}, format: mixte, status: ouverte}"),
    "sessions[].start": ("Premier jour de la session.", "2027-01-11"),
    "sessions[].end": ("Dernier jour de la session (pas avant le premier : vérifié).", "2027-09-10"),
    "sessions[].place": ("Où se déroule la session.",
                         "{street: 1 rue de l'Essai, postcode: \"75001\", city: Paris}"),
    "sessions[].place.name": ("Nom du lieu, s'il en a un.", "Centre de formation Exemple"),
    "sessions[].place.street": ("Numéro et rue.", "1 rue de l'Essai"),
    "sessions[].place.postcode": ("Code postal, entre guillemets.", "\"75001\""),
    "sessions[].place.city": ("Ville.", "Paris"),
    "sessions[].format": ("Modalité de la session : présentiel, distance ou mixte (en partie à distance).",
                          "mixte"),
    "sessions[].seats": ("Nombre de places (null : non précisé).", "12"),
    "sessions[].status": ("ouverte (inscriptions possibles), complète, ou annulée : une session annulée reste "
                          "affichée, marquée « session annulée », mais n'est plus publiée pour les moteurs de "
                          "recherche ni dans l'export LHÉO.", "ouverte"),
    "sessions[].enrolment_contact": ("Qui contacter pour s'inscrire à cette session ; absent : le contact de "
                                     "l'organisme.", "{name: Service des inscriptions, email: inscriptions@example.org}"),
    "sessions[].enrolment_contact.name": ("Nom de la personne ou du service.", "Service des inscriptions"),
    "sessions[].enrolment_contact.email": ("Son courriel.", "inscriptions@example.org"),
    "sessions[].enrolment_contact.phone": ("Son téléphone.", "01 23 45 67 80"),
    # LHÉO (lheo-gml.xml 2.3): the elements the export needs that the rest of the catalogue does not say.
    "lheo": ("Ce que seul l'export LHÉO demande (« python -m generator lheo », l'offre transmise aux Carif-Oref "
             "et à France Travail) ; tant qu'un champ manque, l'export dit lesquels et n'écrit rien.",
             "{formacode: [\"46278\"], formacode_version: V13, entries_exits: dates-fixes, …}"),
    "lheo.formacode": ("Domaine de la formation : codes du FORMACODE (thésaurus de l'offre de formation du "
                       "Centre Inffo), 5 chiffres entre guillemets ; le premier est le code principal (l'export en garde 5 au plus).",
                       "[\"46278\"]"),
    "lheo.public_codes": ("Publics visés : codes FORMACODE des publics, 5 chiffres entre guillemets (l'export en garde 10 au plus).",
                          "[\"80056\"]"),
    "lheo.formacode_version": ("Version du FORMACODE de ces codes : V suivi de son numéro.", "V13"),
    "lheo.entries_exits": ("Modalités d'entrées et de sorties : dates-fixes (entrées et sorties à dates fixes) "
                           "ou permanentes (entrées et sorties permanentes).", "dates-fixes"),
    "lheo.course_path": ("Type de parcours de formation : en-groupe (non personnalisable), individualise, "
                         "modularise ou mixte.", "individualise"),
    "lheo.entry_level": ("Niveau à l'entrée en formation : sans-niveau (sans niveau spécifique) ou un niveau de "
                         "1 à 8 du cadre national des certifications ; s'il y en a plusieurs, le plus bas.", "4"),
    "lheo.entry_level_required": ("true : ce niveau d'entrée est exigé ; false : il est seulement indicatif.",
                                  "false"),
    # A record of a national register (certification › current, certification › history[]).
    f"{RECORD}.rncp": ("Numéro de la fiche au RNCP (un seul de rncp / rs).", "40913"),
    f"{RECORD}.rs": ("Numéro de la fiche au Répertoire spécifique (un seul de rncp / rs).", "5678"),
    f"{RECORD}.title": ("Intitulé de la fiche (écrit par « rncp update »).", "Assistant(e) médical(e)"),
    f"{RECORD}.level": ("Niveau de qualification (1 à 8).", "4"),
    f"{RECORD}.nsf": ("Codes NSF.", "[\"331\"]"),
    f"{RECORD}.registered_on": ("Date d'enregistrement.", "2022-04-22"),
    f"{RECORD}.decision_date": ("Date de la décision.", "2022-04-25"),
    f"{RECORD}.end_date": ("Fin de l'enregistrement (avertissement 6 mois avant, erreur après).", "2030-06-25"),
    f"{RECORD}.delivery_deadline": ("Date limite de délivrance.", "2025-04-24"),
    f"{RECORD}.replaced_by": ("Numéro de la fiche qui la remplace.", "40913"),
    f"{RECORD}.blocs": ("Blocs de compétences de la fiche (écrits par « rncp update »).", "- {code: RNCP40913BC01}"),
    f"{RECORD}.blocs[].code": ("Code du bloc dans la fiche.", "RNCP40913BC01"),
    f"{RECORD}.blocs[].title": ("Intitulé du bloc dans la fiche.", "Suivi du parcours de santé du patient"),
    f"{RECORD}.source": ("D'où viennent ces informations.", "Fiche RNCP 40913 (France compétences)…"),
    # An admission rule (admission › paths[], admission › requirement).
    f"{RULE}.id": ("Identifiant de la règle.", "bac-ou-niveau-4"),
    f"{RULE}.label": ("La règle en clair ; ses durées doivent être celles de la condition (avertissement sinon).",
                      "avoir 1 an d'expérience comme secrétaire médical(e)"),
    f"{RULE}.condition": ("La condition (voir « conditions »).", "{answer: level4_or_bac, equals: true}"),
}

ORGANISATION_DOCS: dict[str, tuple[str, str]] = {
    "name": ("Nom de l'organisme.", "Atelier Exemple"),
    "site_title": ("Titre du site.", "Atelier Exemple — Formations"),
    "site_url": ("Adresse publique du site (null tant qu'elle n'est pas connue : ni lien canonique, ni "
                 "sitemap.xml, ni og:url).", "https://formations.example.fr/"),
    "address": ("Adresse postale.", "street: 1 rue de l'Essai"),
    "address.street": ("Rue.", "1 rue de l'Essai"),
    "address.postcode": ("Code postal, entre guillemets.", "\"75001\""),
    "address.city": ("Ville.", "Paris"),
    "address.country": ("Pays.", "France"),
    "email": ("Courriel de contact (null : aucun).", "contact@example.org"),
    "phone": ("Téléphone (null : aucun).", "01 23 45 67 89"),
    "contact_text": ("Phrase d'invitation au contact.", "Une question ? Écrivez-nous."),
    # Legal and Qualiopi identity (schema_publishing.py): null until the organisation gives it; the
    # build report lists each empty one. Identifiers below are made up: never copy them.
    "legal": ("Identité légale de l'organisme : page « Mentions légales » (loi LCEN, art. 6 III) et export "
              "LHÉO.", "legal_name: Atelier Exemple SAS"),
    "legal.legal_name": ("Raison sociale.", "Atelier Exemple SAS"),
    "legal.legal_form": ("Forme juridique.", "SAS"),
    "legal.share_capital": ("Capital social, pour une société.", "10 000 €"),
    "legal.registration": ("Immatriculation (registre, ville, numéro).", "RCS Exempleville 123 456 782"),
    "legal.siret": ("Numéro SIRET : 14 chiffres sans espace, entre guillemets ; sa clé de contrôle est vérifiée "
                    "(l'exemple est fictif).", "\"12345678200010\""),
    "legal.nda": ("Numéro de déclaration d'activité (NDA) : 11 chiffres sans espace, entre guillemets "
                  "(l'exemple est fictif).", "\"12345678901\""),
    "legal.nda_region": ("Région du préfet auprès duquel la déclaration d'activité est enregistrée.",
                         "Provence-Alpes-Côte d'Azur"),
    "legal.publication_director": ("Directeur ou directrice de la publication du site.", "Camille Exemple"),
    "host": ("L'hébergeur du site, obligatoire dans les mentions légales.", "name: Hébergeur Exemple"),
    "host.name": ("Nom de l'hébergeur.", "Hébergeur Exemple"),
    "host.address": ("Son adresse, sur une ligne.", "2 rue du Serveur, 75002 Paris"),
    "host.phone": ("Son téléphone.", "01 00 00 00 00"),
    "qualiopi_certificate": ("Le certificat Qualiopi de l'organisme : page « Certification qualité » (le logo "
                             "n'est jamais affiché sur la page d'un programme).", "number: CERT-EXEMPLE-0001"),
    "qualiopi_certificate.number": ("Numéro du certificat (l'exemple est fictif).", "CERT-EXEMPLE-0001"),
    "qualiopi_certificate.issued_on": ("Date de délivrance.", "2025-03-01"),
    "qualiopi_certificate.valid_until": ("Date de fin de validité.", "2028-02-28"),
    "qualiopi_certificate.certifier": ("L'organisme certificateur qui l'a délivré.", "Certificateur Exemple"),
    "qualiopi_certificate.categories": ("Catégories d'actions certifiées, une par ligne, telles que le "
                                        "certificat les nomme.", "[Actions de formation]"),
    "qualiopi_certificate.document": ("Le certificat en PDF : le fichier est placé dans docs/, le champ donne "
                                      "son chemin depuis docs/ ; sans fichier, pas de lien.",
                                      "documents/certificat-qualiopi.pdf"),
    "disability_contact": ("Le ou la référent(e) handicap : page « Accessibilité » et bloc des sessions de "
                           "chaque programme.", "{name: Dominique Exemple, email: handicap@example.org}"),
    "disability_contact.name": ("Son nom.", "Dominique Exemple"),
    "disability_contact.email": ("Son courriel.", "handicap@example.org"),
    "disability_contact.phone": ("Son téléphone.", "01 23 45 67 81"),
    "accessibility": ("Déclaration d'accessibilité du site (RGAA), page « Accessibilité » ; sans audit, le site "
                      "est déclaré « non conforme ».", "audited_on: 2026-06-01"),
    "accessibility.audited_on": ("Date de l'audit RGAA du site.", "2026-06-01"),
    "accessibility.audited_by": ("Qui a réalisé l'audit.", "Cabinet d'audit Exemple"),
    "accessibility.compliance_rate": ("Taux de conformité mesuré par l'audit, en % (un nombre de 0 à 100, sans "
                                      "« % ») : 100 % « totalement conforme », 50 % et plus « partiellement "
                                      "conforme », moins « non conforme ».", "75"),
    "accessibility.contact": ("Courriel ou adresse d'un formulaire pour signaler un défaut d'accessibilité.",
                              "accessibilite@example.org"),
}

# Conditions (rules/conditions.py): each composite, what it checks, an example (the leaf operators are
# documented by the question kinds that bring them: rules/kinds/).
CONDITION_DOCS: dict[str, tuple[str, str]] = {
    "all": ("Toutes les conditions de la liste.", "{all: [{…}, {…}]}"),
    "any": ("Au moins une condition de la liste.", "{any: [{…}, {…}]}"),
    "not": ("Le contraire de la condition.", "{not: {answer: french_level, equals: a1}}"),
}
