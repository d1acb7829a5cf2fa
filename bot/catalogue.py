"""Scheme records: reading the reviewed YAML files and checking their shape."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.parameters import Parameters, load_parameters
from bot.paths import COMMUNES_FILE, SCHEMES_DIR
from bot.vocabulary import AXES, BESOINS, CRITERIA, LEVELS

URL_PATTERN = re.compile(r"^https?://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REGION_OCCITANIE = "76"


class CatalogueError(ValueError):
    """A scheme file that does not follow the catalogue format."""


@dataclass(frozen=True)
class Territory:
    level: str
    codes: tuple[str, ...] = ()
    excluded_epci: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proof:
    """One fact of a record, the specific page that states it, and the sentence on that page."""

    fact: str
    page: str
    sentence: str
    copy: str = ""  # the stored copy that was read, when it was not the live page


# The kinds of local office a scheme's « démarche » can send the person to (`demarche.contact`): the
# assistant shows the one nearest to the person's commune, with its address and phone.
CONTACT_KINDS = frozenset({"mairie", "departement_social", "mdph", "mission_locale", "caf", "france_travail",
                           "adil", "france_services"})


@dataclass(frozen=True)
class SchemeRecord:
    id: str
    title: str
    summary: str
    needs: tuple[str, ...]
    axis: str
    territory: Territory
    conditions: tuple[dict[str, Any], ...]
    amount_text: str | None
    amount_value: float | None
    how_to_apply: dict[str, str]
    documents: tuple[str, ...]
    source: str
    checked: str | None  # the day the source page was read and found to state the facts; None: not verified
    verification: str = ""
    priority: int = 50
    parameters_used: tuple[str, ...] = field(default=())
    # the names people use for it (« apl », « la caf pour le loyer »), the title first
    names: tuple[str, ...] = field(default=())
    # the OpenFisca-France variable that computes the amount for the person, if any
    computed: Computed | None = None
    # when not verified: whom the person confirms the facts with (« la MDPH de votre département »)
    to_confirm_with: str | None = None
    national_channel: bool = False  # the source is a national line or portal that is itself the channel
    proofs: tuple[Proof, ...] = field(default=())
    # when this aid is the first thing to do for the person (a social worker's « en premier »): a condition
    first_when: dict[str, Any] | None = None


@dataclass(frozen=True)
class Computed:
    """How OpenFisca-France computes a scheme's amount: its variable, and the period it is paid for."""

    variable: str
    period: str  # "mois" or "an"
    inputs: tuple[str, ...] = ()  # situation fields the amount needs beyond the household (e.g. loyer)
    net_of_crds: bool = False  # paid less the CRDS (0.5 %), which OpenFisca's gross amount includes
    exact_by: str = "l'organisme"  # who computes the exact amount (« la CAF »)


COMPUTED_PERIODS = frozenset({"mois", "an"})
COMPUTED_INPUTS = frozenset({"loyer"})


def _computed(amount: dict[str, Any], where: str) -> Computed | None:
    spec = amount.get("calcul")
    if spec is None:
        return None
    if not isinstance(spec, dict) or not isinstance(spec.get("variable"), str) or not spec["variable"]:
        raise CatalogueError(f"{where}: « montant.calcul » nomme la variable OpenFisca (variable: rsa)")
    period = amount.get("periode")
    if period not in COMPUTED_PERIODS:
        raise CatalogueError(f"{where}: « montant.periode » doit valoir mois ou an pour un montant calculé")
    inputs = tuple(spec.get("demande") or ())
    if not set(inputs) <= COMPUTED_INPUTS:
        raise CatalogueError(f"{where}: « montant.calcul.demande » inconnu(s) : "
                             f"{sorted(set(inputs) - COMPUTED_INPUTS)}")
    unknown = set(spec) - {"variable", "demande", "crds", "calcule_par"}
    if unknown:
        raise CatalogueError(f"{where}: « montant.calcul », clé(s) inconnue(s) : {sorted(unknown)}")
    if not isinstance(spec.get("calcule_par"), str) or not spec["calcule_par"].strip():
        raise CatalogueError(f"{where}: « montant.calcul.calcule_par » nomme qui calcule le montant exact (la CAF)")
    return Computed(spec["variable"], period, inputs, bool(spec.get("crds", False)), spec["calcule_par"].strip())


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise CatalogueError(f"{where}: champ obligatoire manquant « {key} »")
    return data[key]


def _check_condition(spec: Any, where: str) -> None:
    if not isinstance(spec, dict):
        raise CatalogueError(f"{where}: une condition doit être un objet")
    for group in ("une_parmi", "all"):
        if group in spec:
            members = spec[group]
            if not isinstance(members, list) or not members:
                raise CatalogueError(f"{where}: « {group} » doit être une liste non vide")
            for member in members:
                _check_condition(member, where)
            return
    criterion = spec.get("critere")
    if criterion not in CRITERIA:
        raise CatalogueError(f"{where}: critère inconnu « {criterion} »")
    allowed = CRITERIA[criterion] | {"critere", "raison"}
    unknown = set(spec) - allowed
    if unknown:
        raise CatalogueError(f"{where}: clé(s) inconnue(s) pour {criterion} : {sorted(unknown)}")
    if not set(spec) & CRITERIA[criterion]:
        raise CatalogueError(f"{where}: le critère {criterion} n'a pas de valeur")
    if criterion == "a_confirmer":
        if not str(spec.get("texte") or "").strip():
            raise CatalogueError(f"{where}: « a_confirmer » dit ce que l'organisme vérifie (texte)")
        if "impossible_si" in spec:
            impossible = spec["impossible_si"]
            _check_condition(impossible, where)
            if not isinstance(impossible, dict) or not str(impossible.get("raison") or "").strip():
                raise CatalogueError(f"{where}: « impossible_si » dit pourquoi dans sa « raison »")


def _check_url(url: str, where: str) -> None:
    if not URL_PATTERN.match(url):
        raise CatalogueError(f"{where}: adresse web mal formée « {url} »")


def is_home_page(url: str) -> bool:
    """Whether an address is a site's home page (no path), which states no particular fact."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query and not parts.fragment


def _proofs(data: dict[str, Any], where: str) -> tuple[Proof, ...]:
    raw = data.get("preuves") or []
    if not isinstance(raw, list):
        raise CatalogueError(f"{where}: « preuves » est une liste (fait, page, phrase)")
    proofs = []
    for number, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not all(str(entry.get(k) or "").strip() for k in ("fait", "page", "phrase")):
            raise CatalogueError(f"{where}: preuve {number}, il faut « fait », « page » et « phrase »")
        unknown = set(entry) - {"fait", "page", "phrase", "copie"}
        if unknown:
            raise CatalogueError(f"{where}: preuve {number}, clé(s) inconnue(s) : {sorted(unknown)}")
        page = str(entry["page"]).strip()
        _check_url(page, f"{where}: preuve {number}")
        if is_home_page(page):
            raise CatalogueError(f"{where}: preuve {number}, « {page} » est une page d'accueil : donnez la page "
                                 "précise qui dit ce fait")
        proofs.append(Proof(" ".join(str(entry["fait"]).split()), page, " ".join(str(entry["phrase"]).split()),
                            " ".join(str(entry.get("copie") or "").split())))
    return tuple(proofs)


def verification_status(data: dict[str, Any], source: str, where: str) -> tuple[str | None, bool]:
    """(verifie_le, canal national) of a scheme or a contact: either verified on a specific page on a given
    day, or « a_confirmer »; a home page as source only for a national line or portal (canal_national)."""
    national = data.get("canal_national", False)
    if not isinstance(national, bool):
        raise CatalogueError(f"{where}: « canal_national » vaut true ou false")
    if is_home_page(source) and not national:
        raise CatalogueError(f"{where}: la source « {source} » est une page d'accueil : donnez la page précise "
                             "qui dit ces faits (ou canal_national: true pour un numéro ou un portail national)")
    checked = data.get("verifie_le")
    pending = data.get("a_confirmer", False)
    if not isinstance(pending, bool):
        raise CatalogueError(f"{where}: « a_confirmer » vaut true ou false")
    if checked not in (None, "") and pending:
        raise CatalogueError(f"{where}: « verifie_le » et « a_confirmer » ensemble : une fiche est vérifiée ou "
                             "à confirmer, pas les deux")
    if checked in (None, ""):
        if not pending:
            raise CatalogueError(f"{where}: il faut « verifie_le » (page lue ce jour-là) ou « a_confirmer: true »")
        return None, national
    checked = str(checked)
    if not _DATE.match(checked):
        raise CatalogueError(f"{where}: date de vérification invalide « {checked} »")
    if is_home_page(source):
        raise CatalogueError(f"{where}: « verifie_le » sans page précise : la source est une page d'accueil")
    return checked, national


def _verification_status(data: dict[str, Any], source: str, proofs: tuple[Proof, ...],
                         where: str) -> tuple[str | None, str | None, bool]:
    """(verifie_le, à confirmer auprès de, canal national) of a scheme: verified with the sentences that say
    so, or says whom to confirm with."""
    checked, national = verification_status(data, source, where)
    if checked is None:
        with_whom = " ".join(str(data.get("a_confirmer_aupres_de") or "").split())
        if not with_whom:
            raise CatalogueError(f"{where}: « a_confirmer_aupres_de » nomme qui peut confirmer (la CAF, la MDPH…)")
        return None, with_whom, national
    if not proofs:
        raise CatalogueError(f"{where}: « verifie_le » demande au moins une preuve (fait, page, phrase lue)")
    return checked, None, national


def parse_scheme(data: dict[str, Any], params: Parameters, where: str) -> SchemeRecord:
    """Validate one scheme mapping and render its texts with the official parameters."""
    scheme_id = _require(data, "id", where)
    if not _ID.match(str(scheme_id)):
        raise CatalogueError(f"{where}: identifiant invalide « {scheme_id} »")
    needs = tuple(_require(data, "besoins", where))
    if not set(needs) <= BESOINS:
        raise CatalogueError(f"{where}: besoin(s) inconnu(s) {sorted(set(needs) - BESOINS)}")
    axis = _require(data, "axe", where)
    if axis not in AXES:
        raise CatalogueError(f"{where}: axe inconnu « {axis} »")
    territory_data = _require(data, "territoire", where)
    level = territory_data.get("niveau")
    if level not in LEVELS:
        raise CatalogueError(f"{where}: niveau de territoire inconnu « {level} »")
    codes = tuple(str(code) for code in territory_data.get("codes", []))
    if level != "national" and not codes:
        raise CatalogueError(f"{where}: le territoire {level} doit lister ses codes")
    territory = Territory(level, codes, tuple(str(c) for c in territory_data.get("sauf_epci", [])))
    conditions = data.get("conditions") or []
    for spec in conditions:
        _check_condition(spec, where)
    first_when = data.get("en_premier_si")
    if first_when is not None:
        _check_condition(first_when, f"{where}: en_premier_si")
    how = dict(_require(data, "demarche", where))
    if "organisme" not in how:
        raise CatalogueError(f"{where}: la démarche doit nommer l'organisme")
    for key in ("en_ligne",):
        if how.get(key):
            _check_url(how[key], where)
    if "contact" in how and how["contact"] not in CONTACT_KINDS:
        raise CatalogueError(f"{where}: « demarche.contact » inconnu « {how['contact']} » "
                             f"(parmi {', '.join(sorted(CONTACT_KINDS))})")
    source = str(_require(data, "source", where))
    _check_url(source, where)
    proofs = _proofs(data, where)
    checked, to_confirm_with, national = _verification_status(data, source, proofs, where)
    also = data.get("appele_aussi") or []
    if not isinstance(also, list) or not all(isinstance(n, str) and len(n.strip()) >= 3 for n in also):
        raise CatalogueError(f"{where}: « appele_aussi » est une liste de noms d'au moins 3 lettres")
    amount = data.get("montant") or {}
    amount_value: float | None = None
    raw_value = amount.get("valeur")
    if isinstance(raw_value, dict):
        amount_value = params.value(raw_value["parametre"])
    elif raw_value is not None:
        amount_value = float(raw_value)
    try:
        return SchemeRecord(
            id=scheme_id,
            title=params.render(_require(data, "titre", where)),
            summary=params.render(" ".join(str(_require(data, "resume", where)).split())),
            needs=needs,
            axis=axis,
            territory=territory,
            conditions=tuple(conditions),
            amount_text=params.render(" ".join(amount["texte"].split())) if amount.get("texte") else None,
            amount_value=amount_value,
            how_to_apply={k: params.render(" ".join(str(v).split())) for k, v in how.items()},
            documents=tuple(data.get("documents") or []),
            source=source,
            checked=checked,
            verification=params.render(" ".join(str(data.get("verification", "")).split())),
            priority=int(data.get("priorite", 50)),
            names=(params.render(str(data["titre"])), *(n.strip() for n in also)),
            computed=_computed(amount, where),
            to_confirm_with=params.render(to_confirm_with) if to_confirm_with else None,
            national_channel=national,
            proofs=proofs,
            first_when=first_when,
        )
    except KeyError as error:
        raise CatalogueError(f"{where}: {error}") from error


def territory_codes() -> dict[str, set[str]]:
    """The codes a scheme's territory may name: the region, and the départements, intercommunalités and
    communes of Occitanie (data/geo/communes.csv)."""
    with open(COMMUNES_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "region": {REGION_OCCITANIE},
        "departement": {row["departement"] for row in rows},
        "epci": {row["epci_siren"] for row in rows if row["epci_siren"]},
        "commune": {row["insee"] for row in rows},
    }


FAMILIES_DIR = SCHEMES_DIR.parent / "familles"
FAMILY_PLACEHOLDER = "{de_departement}"


def _merged(base: Any, changes: Any) -> Any:
    """``base`` with the fields of ``changes``: dictionaries field by field, ``None`` removes a field."""
    if not isinstance(base, dict) or not isinstance(changes, dict):
        return copy.deepcopy(changes)
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merged(merged.get(key), value)
    return merged


def _named(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return value.replace(FAMILY_PLACEHOLDER, name)
    if isinstance(value, list):
        return [_named(v, name) for v in value]
    if isinstance(value, dict):
        return {k: _named(v, name) for k, v in value.items()}
    return value


def family_schemes(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The scheme mappings of a family file (one per département): (where, mapping) pairs."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not all(k in raw for k in ("famille", "modele", "departements")):
        raise CatalogueError(f"familles/{path.name}: il faut « famille », « modele » et « departements »")
    family, model, variants = str(raw["famille"]), raw["modele"], raw.get("variantes") or {}
    schemes = []
    for entry in raw["departements"]:
        code, name = str(entry.get("code", "")), str(entry.get("de_departement", ""))
        where = f"familles/{path.name} ({code or '?'})"
        if not code or not name:
            raise CatalogueError(f"{where}: chaque département a un « code » et un « de_departement »")
        variant = entry.get("variante")
        if variant is not None and variant not in variants:
            raise CatalogueError(f"{where}: variante inconnue « {variant} »")
        own = {k: v for k, v in entry.items() if k not in ("code", "de_departement", "variante")}
        data = _named(_merged(_merged(model, variants.get(variant) or {}), own), name)
        data["id"] = f"{family}-{code}"
        data["territoire"] = {**(data.get("territoire") or {}), "codes": [code]}
        schemes.append((where, data))
    return schemes


def check_scheme_files(directory: Path | None = None, params: Parameters | None = None,
                       today: dt.date | None = None,
                       families: Path | None = None) -> tuple[list[SchemeRecord], list[str]]:
    """Every scheme file and family file read and checked: the valid records, and one French error per
    problem, naming the file and the field. The only reader of the catalogue."""
    directory = directory or SCHEMES_DIR
    params = params or load_parameters()
    today = today or dt.date.today()
    codes = territory_codes()
    records: list[SchemeRecord] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    sources: list[tuple[str, str | None, Any]] = []  # (where, expected id, mapping or error)
    for path in sorted(directory.glob("*.yml")):
        try:
            sources.append((path.name, path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))))
        except yaml.YAMLError as error:
            errors.append(f"{path.name}: {error}")
    for path in sorted((families or directory.parent / "familles").glob("*.yml")):
        try:
            sources += [(where, None, data) for where, data in family_schemes(path)]
        except CatalogueError as error:
            errors.append(str(error))
        except yaml.YAMLError as error:
            errors.append(f"familles/{path.name}: {error}")
    for name, expected_id, data in sources:
        try:
            if not isinstance(data, dict):
                raise CatalogueError(f"{name}: le fichier doit décrire une aide")
            record = parse_scheme(data, params, name)
        except CatalogueError as error:
            errors.append(str(error))
            continue
        problems = []
        if record.id in seen:
            problems.append(f"{name}: identifiant « {record.id} » déjà utilisé par {seen[record.id]}")
        if expected_id is not None and expected_id != record.id:
            problems.append(f"{name}: le nom du fichier doit être l'identifiant « {record.id} » (champ id)")
        territory = record.territory
        if territory.level != "national":
            unknown = sorted(set(territory.codes) - codes[territory.level])
            if unknown:
                problems.append(f"{name}: territoire, code(s) {territory.level} inconnu(s) en Occitanie : {unknown}")
        unknown_epci = sorted(set(territory.excluded_epci) - codes["epci"])
        if unknown_epci:
            problems.append(f"{name}: territoire, intercommunalité(s) exclue(s) inconnue(s) : {unknown_epci}")
        if record.checked and dt.date.fromisoformat(record.checked) > today:
            problems.append(f"{name}: verifie_le, date dans le futur ({record.checked})")
        seen.setdefault(record.id, name)
        if problems:
            errors += problems
        else:
            records.append(record)
    return records, errors


def load_scheme_files(directory: Path | None = None, params: Parameters | None = None,
                      today: dt.date | None = None) -> list[SchemeRecord]:
    """The checked records; CatalogueError listing every problem when one file is wrong."""
    records, errors = check_scheme_files(directory, params, today)
    if errors:
        raise CatalogueError("\n".join(errors))
    return records
