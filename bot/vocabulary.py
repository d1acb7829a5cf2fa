"""Closed vocabularies shared by the catalogue, the situation and the dialogue."""

from __future__ import annotations

BESOINS = frozenset({"logement", "energie", "mobilite", "garde_enfants", "emploi", "alimentation"})
LOGEMENTS = ("locataire", "proprietaire", "heberge", "sans_logement", "foyer")
ACTIVITES = (
    "salarie", "independant", "demandeur_emploi", "etudiant", "apprenti", "retraite", "sans_activite",
)
AXES = frozenset({"enfance", "emploi", "acces_aux_droits", "transition_ecologique"})
LEVELS = frozenset({"national", "region", "departement", "epci", "commune"})

# criterion -> keys that carry its value
CRITERIA: dict[str, frozenset[str]] = {
    "age": frozenset({"min", "max"}),
    "logement": frozenset({"parmi"}),
    "activite": frozenset({"parmi"}),
    "enfants": frozenset({"min", "max"}),
    "enfant_plus_jeune": frozenset({"max"}),
    "parent_isole": frozenset({"egal"}),
    "handicap": frozenset({"egal"}),
    "impaye": frozenset({"egal"}),
    "permis": frozenset({"egal"}),
    "vehicule": frozenset({"egal"}),
    "ressources_mensuelles": frozenset({"max", "max_bareme"}),
    "enfants_dans_tranche": frozenset({"age_min", "age_max", "nombre"}),
    "grossesse": frozenset({"egal"}),
    "msa": frozenset({"egal"}),
    # texte: what only the organisation can check; impossible_si: a condition on the person's own answers that
    # makes it impossible (5 years of work at 19), with its raison: the aid is then not proposed
    "a_confirmer": frozenset({"texte", "impossible_si"}),
}

LABELS_BESOIN = {
    "logement": "Logement",
    "energie": "Énergie et factures",
    "mobilite": "Se déplacer",
    "garde_enfants": "Garde d'enfants",
    "emploi": "Emploi et revenus",
    "alimentation": "Alimentation",
}
LABELS_LOGEMENT = {
    "locataire": "locataire",
    "proprietaire": "propriétaire",
    "heberge": "hébergé(e) chez quelqu'un",
    "sans_logement": "sans logement",
    "foyer": "en foyer ou résidence sociale",
}
LABELS_ACTIVITE = {
    "salarie": "salarié(e)",
    "independant": "indépendant(e)",
    "demandeur_emploi": "demandeur ou demandeuse d'emploi",
    "etudiant": "étudiant(e)",
    "apprenti": "apprenti(e)",
    "retraite": "retraité(e)",
    "sans_activite": "sans activité",
}
