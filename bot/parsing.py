"""Understanding the person's free-text answers to the situation questions.

Each parser returns a ``Parsed``: a value, ``DONT_KNOW``, or an error message
in French with an example. ``find_corrections`` spots answers given to an
earlier question inside any message ("non, j'ai 3 enfants").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.text import normalize

DONT_KNOW = "inconnu"


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.value is not None


def _fail(message: str) -> Parsed:
    return Parsed(error=message)


_DONT_KNOW = re.compile(
    r"\b(je (ne )?sais pas|j sais pas|sais pas|sait pas|jsp|jsais pas|chais pas|ch sais pas|aucune idee|"
    r"je ne sais plus|sais plus|pas sur|pas certain|je ne suis pas sur|ne sait pas|ne_sait_pas|"
    r"je prefere ne pas (le )?dire|je ne veux pas (le )?dire|passer|je passe)\b"
)

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90, "cent": 100,
}


def _run_value(run: list[str]) -> int:
    current = 0
    for word in run:
        value = _UNITS[word]
        if value == 100:
            current = (current or 1) * 100
        elif value == 20 and current % 100 == 4:
            current += 76  # quatre-vingt(s)
        else:
            current += value
    return current


def words_to_numbers(normalized: str) -> str:
    """Replace French number words (up to 199) by digits: « trente deux » -> « 32 »."""
    words = normalized.split()
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(str(_run_value(run)))
            run.clear()

    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "et" and run and following in _UNITS:
            continue  # « vingt et un »
        if word in ("un", "une") and not run:
            out.append(word)
            continue
        if word in _UNITS:
            last = _run_value(run) if run else 0
            quatre_vingt = word in ("vingt", "vingts") and last % 100 == 4
            unit_after_unit = run and last % 10 != 0 and _UNITS[word] < 100 and not quatre_vingt
            if unit_after_unit:
                flush()
            run.append(word)
            continue
        flush()
        out.append(word)
    flush()
    return " ".join(out)


TOO_LARGE = 1e15


def _numbers(text: str) -> list[float]:
    """Non-negative numbers in a text, digits or French words; « 1 200 », « 1.200 » and « 1,5 » understood."""
    text = re.sub(r"(\d)[.\u202f\u00a0 ](\d{3})\b", r"\1\2", text)  # thousands separators
    text = re.sub(r"(\d)[.,](\d)", r"\1decimalsep\2", text)
    normalized = words_to_numbers(normalize(text)).replace("decimalsep", ".")
    # A number of more than 15 digits is not an amount, an age or a count: read as « very large ».
    return [float(n) if len(n.split(".")[0]) <= 15 else TOO_LARGE for n in re.findall(r"\d+(?:\.\d+)?", normalized)]


def is_dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(normalize(text))) or text.strip() == "/ne_sait_pas"


_NEGATIVE = re.compile(r"(?:^|[^\d\s])\s*-\s*\d")


def _negative(text: str, hint: str) -> Parsed | None:
    """A French refusal when the answer is a negative number (« -5 »), else None."""
    return _fail(f"Un nombre négatif ne convient pas ici. {hint}") if _NEGATIVE.search(text) else None


def parse_age(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    refused = _negative(text, "Indiquez votre âge en années, par exemple : 34")
    if refused:
        return refused
    numbers = _numbers(text)
    if not numbers:
        return _fail("Je n'ai pas compris votre âge. Écrivez-le en chiffres, par exemple : 34")
    age = numbers[0]
    if age != int(age) or not 14 <= age <= 110:
        return _fail("Cet âge me semble inhabituel. Indiquez votre âge en années, entre 14 et 110, par exemple : 34")
    return Parsed(int(age))


_ALONE = re.compile(r"\b(seul|seule|celibataire|solo|que moi|juste moi|moi seul|moi seule|divorce|divorcee|"
                    r"separe|separee|veuf|veuve|mere isolee|pere isole|parent isole)\b")
_COUPLE = re.compile(r"\b(couple|mari|femme|epoux|epouse|conjoint|conjointe|copain|copine|compagnon|compagne|"
                     r"pacse|pacsee|marie|mariee|a deux|nous deux|concubin|concubine)\b")


def parse_adults(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    refused = _negative(text, "Indiquez le nombre d'adultes du foyer, par exemple : 2")
    if refused:
        return refused
    normalized = normalize(text)
    numbers = [n for n in _numbers(text) if n == int(n)]
    if numbers:
        count = int(numbers[0])
        if not 1 <= count <= 10:
            return _fail("Indiquez le nombre d'adultes du foyer, vous compris, entre 1 et 10. Par exemple : 2")
        return Parsed(count)
    if _COUPLE.search(normalized):
        return Parsed(2)
    if _ALONE.search(normalized):
        return Parsed(1)
    return _fail("Je n'ai pas compris. Vivez-vous seul(e) ou en couple ? Par exemple : « seul » ou « 2 ».")


_NO_CHILD = re.compile(r"\b(aucun|aucune|pas d enfants?|zero|non|pas encore|sans enfants?|0)\b")


def parse_child_count(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    refused = _negative(text, "Indiquez le nombre d'enfants à votre charge, par exemple : 0, 1 ou 2")
    if refused:
        return refused
    normalized = words_to_numbers(normalize(text))
    match = re.search(r"\b(\d+)\b", normalized)
    if match:
        count = int(match.group(1))
        if count > 15:
            return _fail("Indiquez le nombre d'enfants à votre charge, entre 0 et 15. Par exemple : 2")
        return Parsed(count)
    if re.search(r"\bun seul\b|\bune seule\b|\bun enfant\b|\bune fille\b|\bun fils\b|\bun bebe\b|"
                 r"\bun garcon\b|^un$|^une$", normalized):
        return Parsed(1)
    if _NO_CHILD.search(normalized):
        return Parsed(0)
    return _fail("Combien d'enfants avez-vous à charge ? Répondez par un nombre, par exemple : 0, 1 ou 2.")


def parse_child_ages(text: str, expected: int | None) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    refused = _negative(text, "Donnez l'âge de chaque enfant, par exemple : 3 et 7")
    if refused:
        return refused
    normalized = words_to_numbers(normalize(text))
    ages: list[int] = []
    for number, unit in re.findall(r"(\d+)\s*(mois|ans|an)?", normalized):
        value = int(number)
        ages.append(0 if unit == "mois" else value)
    if re.search(r"\b(un bebe|une bebe|nourrisson|nouveau ne)\b", normalized) and not ages:
        ages = [0]
    if not ages:
        return _fail("Donnez l'âge de chaque enfant, séparé par « et ». Par exemple : 3 et 7")
    if any(age > 25 for age in ages):
        return _fail("Un enfant à charge a en principe 25 ans ou moins. Par exemple : 3 et 7")
    if expected and len(ages) != expected:
        plural = "s" if expected > 1 else ""
        return _fail(f"J'attendais {expected} âge{plural}, un par enfant. Par exemple : "
                     + " et ".join(str(a) for a in (3, 7, 12, 15)[:expected]))
    return Parsed(sorted(ages))


_LOGEMENT_PATTERNS = [
    ("sans_logement", r"\b(sans logement|sans domicile|sans abri|sdf|a la rue|dans la rue|dehors|je dors dans ma "
                      r"voiture|dans ma voiture|squat|pas de logement|pas de toit|expulse|expulsee|"
                      r"sans_logement)\b"),
    ("foyer", r"\b(foyer|residence sociale|chrs|fjt|foyer de jeunes travailleurs|centre d hebergement|"
              r"pension de famille|residence etudiante|crous)\b"),
    ("heberge", r"\b(heberge|hebergee|chez mes parents|chez ma mere|chez mon pere|chez un ami|chez une amie|"
                r"chez des amis|chez quelqu un|chez ma soeur|chez mon frere|chez ma famille|chez un proche|"
                r"chez des proches|chez ma tante|chez mon oncle|chez mes grands parents|chez mon copain|"
                r"chez ma copine|loge gratuitement)\b"),
    ("proprietaire", r"\b(proprietaire|proprio|propriétaire|j ai achete|nous avons achete|mon credit immobilier|"
                     r"pret immobilier|ma maison a moi|accedant)\b"),
    ("locataire", r"\b(locataire|loue|louons|location|loyer|hlm|logement social|bail|colocation|coloc|je loue)\b"),
]


def _keyword_choice(text: str, patterns: list[tuple[str, str]]) -> str | None:
    normalized = normalize(text)
    for value, pattern in patterns:
        if re.search(pattern, normalized):
            return value
    return None


def parse_logement(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    value = _keyword_choice(text, _LOGEMENT_PATTERNS)
    if value:
        return Parsed(value)
    return _fail("Je n'ai pas compris. Êtes-vous locataire, propriétaire, hébergé(e) chez quelqu'un, "
                 "en foyer, ou sans logement ? Par exemple : « locataire ».")


_ACTIVITE_PATTERNS = [
    ("apprenti", r"\b(apprenti|apprentie|apprentissage|alternance|alternant|alternante|apprenti e)\b"),
    ("etudiant", r"\b(etudiant|etudiante|etudes|fac|universite|bts|lyceen|lyceenne|etudiant e)\b"),
    ("retraite", r"\b(retraite|retraitee|a la retraite|pension de retraite)\b"),
    ("demandeur_emploi", r"\b(chomage|chomeur|chomeuse|demandeur d emploi|demandeuse d emploi|sans emploi|"
                         r"cherche du travail|cherche un travail|cherche un emploi|recherche d emploi|"
                         r"demandeur emploi|pole emploi|france travail|inscrit|inscrite|licencie|licenciee|"
                         r"fin de contrat|"
                         r"plus de travail|pas de travail|perdu mon travail|perdu mon emploi|demandeur_emploi)\b"),
    ("independant", r"\b(independant|independante|auto entrepreneur|autoentrepreneur|micro entrepreneur|"
                    r"freelance|artisan|commercant|commercante|agriculteur|agricultrice|mon entreprise|"
                    r"a mon compte|liberal)\b"),
    ("sans_activite", r"\b(sans activite|au foyer|mere au foyer|pere au foyer|invalidite|arret maladie|"
                      r"aah|ne travaille pas|je ne travaille pas|aucune activite|rien|sans_activite)\b"),
    ("salarie", r"\b(salarie|salariee|cdi|cdd|interim|interimaire|travaille|je bosse|employe|employee|"
                r"boulot|temps partiel|temps plein|contrat|fonctionnaire|ouvrier|ouvriere|salarie e)\b"),
]


def parse_activite(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    value = _keyword_choice(text, _ACTIVITE_PATTERNS)
    if value:
        return Parsed(value)
    return _fail("Je n'ai pas compris. Êtes-vous salarié(e), indépendant(e), demandeur d'emploi, étudiant(e), "
                 "apprenti(e), retraité(e) ou sans activité ? Par exemple : « demandeur d'emploi ».")


RESOURCE_BANDS = {
    "r0": (0.0, 0.0),
    "r1": (1.0, 500.0),
    "r2": (500.0, 1000.0),
    "r3": (1000.0, 1500.0),
    "r4": (1500.0, 2000.0),
    "r5": (2000.0, 3000.0),
    "r6": (3000.0, 100000.0),
}
MAX_MONTHLY_RESOURCES = 100_000


MAX_MONTHLY_RENT = 10_000


def parse_loyer(text: str) -> Parsed:
    """The monthly rent, charges included, in euros."""
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    normalized = normalize(text)
    if re.search(r"\b(rien|aucun loyer|pas de loyer|gratuit|gratuitement|zero)\b", normalized):
        return Parsed(0.0)
    if _NEGATIVE.search(text):
        return _fail("Un loyer ne peut pas être négatif. Indiquez ce que vous payez par mois, par exemple : 450")
    numbers = [n for n in _numbers(text) if n >= 0]
    if not numbers:
        return _fail("Je n'ai pas compris le montant. Indiquez votre loyer par mois, charges comprises, "
                     "par exemple : 450")
    rent = numbers[0]
    if re.search(r"\b(par an|annuel|annuels|par annee)\b", normalized):
        rent = rent / 12
    if rent > MAX_MONTHLY_RENT:
        return _fail("Ce loyer me semble très élevé pour un mois. Indiquez le montant mensuel, par exemple : 450")
    return Parsed(float(rent))


def parse_ressources(text: str) -> Parsed:
    """A monthly amount or a band, as (low, high) in euros."""
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    band = re.search(r"\b(r[0-6])\b", text.strip().lower())
    if band:
        return Parsed(RESOURCE_BANDS[band.group(1)])
    normalized = normalize(text)
    if re.search(r"\b(rien|aucun revenu|aucune ressource|pas de revenu|pas de ressource|zero|0 euro|sans revenu)\b",
                 normalized):
        return Parsed((0.0, 0.0))
    if _NEGATIVE.search(text):
        return _fail("Un montant ne peut pas être négatif. Indiquez vos ressources par mois, par exemple : 900")
    numbers = _numbers(text)
    if re.search(r"\b(\d+(?:[.,]\d+)?)\s*k\b", text.lower()):
        numbers = [n * 1000 for n in numbers]
    if not numbers:
        return _fail("Je n'ai pas compris le montant. Indiquez les ressources du foyer par mois, "
                     "par exemple : 1200, ou choisissez une tranche.")
    numbers = [n for n in numbers if n >= 0]
    if any(n > MAX_MONTHLY_RESOURCES for n in numbers):
        return _fail("Ce montant me semble très élevé pour un mois. Indiquez les ressources mensuelles, "
                     "par exemple : 1200")
    if re.search(r"\b(par an|annuel|annuels|par annee)\b", normalized):
        numbers = [n / 12 for n in numbers]
    if re.search(r"\b(moins de|pas plus de|inferieur a|en dessous de|max|maximum)\b", normalized):
        return Parsed((0.0, numbers[0]))
    if re.search(r"\b(plus de|au moins|superieur a|au dessus de)\b", normalized):
        return Parsed((numbers[0], float(MAX_MONTHLY_RESOURCES)))
    if len(numbers) >= 2 and (re.search(r"\b(entre|a|et)\b", normalized) or re.search(r"\d\s*-\s*\d", text)):
        low, high = sorted(numbers[:2])
        return Parsed((low, high))
    return Parsed((numbers[0], numbers[0]))


_YES = re.compile(r"^(oui|ouais|ouai|ouep|yes|yep|ok|okay|d accord|bien sur|exact|exactement|tout a fait|voila|"
                  r"oui oui|affirmatif|c est ca|oui j en ai|oui j ai|j en ai|j ai le permis|si)\b")
_NO = re.compile(r"^(non|nan|no|nope|pas du tout|jamais|aucun|aucune|pas de|je n ai pas|j ai pas|nn|non non|"
                 r"pas encore|toujours pas)\b")


def parse_yes_no(text: str) -> Parsed:
    if is_dont_know(text):
        return Parsed(DONT_KNOW)
    normalized = normalize(text)
    if text.strip() in ("/affirmer", "/oui"):
        return Parsed(True)
    if text.strip() in ("/nier", "/non"):
        return Parsed(False)
    if _NO.search(normalized):
        return Parsed(False)
    if _YES.search(normalized):
        return Parsed(True)
    return _fail("Répondez par oui ou par non, s'il vous plaît.")


@dataclass(frozen=True)
class Correction:
    slot: str
    value: Any


_CORRECTION_CHILDREN = re.compile(r"\b(?:j ai|on a|nous avons|avec|en fait|plutot|non)?\s*(\d+)\s+enfants?\b")
_CORRECTION_NO_CHILDREN = re.compile(r"\b(je n ai pas d enfants?|j ai pas d enfants?|pas d enfants?|"
                                     r"aucun enfant|sans enfants?)\b")
_CORRECTION_AGE = re.compile(r"\b(?:j ai|jai|g)\s+(\d{1,3})\s*ans\b")
_CORRECTION_LOGEMENT = re.compile(r"\bje suis\s+(locataire|proprietaire|proprio|heberge|hebergee|sans logement|"
                                  r"a la rue|en foyer)\b")
_CORRECTION_ACTIVITE = re.compile(r"\bje suis\s+(au chomage|salarie|salariee|etudiant|etudiante|apprenti|"
                                  r"apprentie|retraite|retraitee|independant|independante|demandeur d emploi|"
                                  r"demandeuse d emploi|en cdi|en cdd|en alternance|en interim)\b")


def find_corrections(text: str) -> list[Correction]:
    """Answers to situation questions stated explicitly in a message, whatever was asked."""
    normalized = words_to_numbers(normalize(text))
    found: list[Correction] = []
    children = _CORRECTION_CHILDREN.search(normalized)
    if children and int(children.group(1)) <= 15:
        found.append(Correction("nb_enfants", int(children.group(1))))
    elif _CORRECTION_NO_CHILDREN.search(normalized):
        found.append(Correction("nb_enfants", 0))
    age = _CORRECTION_AGE.search(normalized)
    if age and 14 <= int(age.group(1)) <= 110 and "enfant" not in normalized:
        found.append(Correction("age", int(age.group(1))))
    logement = _CORRECTION_LOGEMENT.search(normalized)
    if logement:
        found.append(Correction("logement", parse_logement(logement.group(1)).value))
    activite = _CORRECTION_ACTIVITE.search(normalized)
    if activite:
        found.append(Correction("activite", parse_activite(activite.group(1)).value))
    return found
