"""Extract the official amounts and ceilings the catalogue uses from openfisca-france.

openfisca-france (AGPL-3.0) publishes French legislation parameters as dated YAML
files, each with its legal reference. This script reads the files listed in
PARAMETERS from the openfisca-france package installed in the rules engine's
environment (pinned in engine/requirements.txt) and writes ``data/parameters.yml``:
for each key, the value in force on the as-of date, the date it took effect, the
day of the year it is revalued, the parameter path and the legal reference when
the file gives one.

Run with the engine's Python, which has openfisca-france (only PyYAML and the
standard library are needed here, the package's YAML files are read, not imported):

    .venv-openfisca/bin/python scripts/extract_parameters.py            # write data/parameters.yml
    .venv-openfisca/bin/python scripts/extract_parameters.py --check    # exit 1 if it differs from the package
    python scripts/extract_parameters.py --report                       # amounts whose revaluation has passed

``--params DIR`` reads another copy of the parameter tree (an unpacked wheel, for example).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.parameters import format_date, format_number, load_parameters  # noqa: E402

PACKAGE = "openfisca_france"
DISTRIBUTION = "openfisca-france"
PARAMETERS_FILE = ROOT / "data" / "parameters.yml"

# Yearly revaluation dates (MM-DD), read in the dated values of the files: RSA, prime d'activité, CEJ, AAH, ASS
# and the BMAF (so every CAF amount computed from it) change on 1 April; the ARS income ceiling on 1 January.
# Ages, rates and amounts set once by a text (aide au permis) are not revalued: None.
APRIL_1 = "04-01"
JANUARY_1 = "01-01"


class Source(NamedTuple):
    path: str  # under openfisca_france/parameters
    revalorisation: str | None  # "MM-DD", the day of each year the amount is revalued; None when it is not
    sub_key: str | None = None  # key inside the file, when the file holds several parameters


RSA = "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/"
CEJ = "prestations_sociales/education/contrat_engagement_jeune/"
UC = "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/unites_consommation/"
PF = "prestations_sociales/prestations_familiales/"
ASPA = "prestations_sociales/solidarite_insertion/minimum_vieillesse/aspa/"

PARAMETERS: dict[str, Source] = {
    "rsa_montant_base": Source(RSA + "rsa_m/montant_de_base_du_rsa.yaml", APRIL_1),
    "rsa_majoration_2e_personne": Source(RSA + "rsa_maj/maj_montant_max/couples_celibataire_avec_enfant.yaml", None),
    "rsa_majoration_3e_personne": Source(RSA + "rsa_maj/maj_montant_max/couple_1_enfant_ou_2e_enfant.yaml", None),
    "rsa_majoration_personne_supplementaire": Source(
        RSA + "rsa_maj/maj_montant_max/par_enfant_supplementaire.yaml", None),
    "rsa_age_minimum": Source(RSA + "rsa_cond/age_minimum_allocataire.yaml", None),
    "ppa_montant_base": Source(
        "prestations_sociales/solidarite_insertion/minima_sociaux/ppa/pa_m/montant_de_base.yaml", APRIL_1),
    "cej_age_minimum": Source(CEJ + "critere_age/minimum.yaml", None),
    "cej_age_maximum": Source(CEJ + "critere_age/maximum.yaml", None),
    "cej_age_maximum_handicap": Source(CEJ + "critere_age/maximum_handicap.yaml", None),
    "cej_montant_majeur_non_imposable": Source(CEJ + "montants/montant_majeurs_non_imposables.yaml", APRIL_1),
    "agepi_age_enfant_maximum": Source(PF + "education_presence_parentale/agepi/age_enfant_maximum.yaml", None),
    # Set by France Travail's board (1,200 EUR since 2011), not revalued.
    "aide_permis_demandeur_emploi_maximum": Source(
        "prestations_sociales/transport/permis_de_conduire/aide_permis_demandeur_emploi.yaml", None,
        "montant_maximum"),
    "aide_permis_apprenti_montant": Source(
        "prestations_sociales/transport/permis_de_conduire/aide_financement_permis_apprenti.yaml", None, "montant"),
    "cheque_energie_uc_premiere_personne": Source(UC + "premiere_personne.yaml", None),
    "cheque_energie_uc_deuxieme_personne": Source(UC + "deuxieme_personne.yaml", None),
    "cheque_energie_uc_autres_personnes": Source(UC + "autres_personnes.yaml", None),
    "visale_age_maximum": Source(
        "prestations_sociales/aides_logement/action_logement/visale/eligibilite/age_max.yaml", None),
    "locapass_age_maximum": Source("prestations_sociales/aides_logement/action_logement/locapass/age_max.yaml", None),
    "bmaf": Source(PF + "bmaf/bmaf.yaml", APRIL_1),
    "crds": Source("prelevements_sociaux/contributions_sociales/crds.yaml", None),
    "paje_prime_naissance_taux": Source(PF + "petite_enfance/paje/paje_cm2/montant/prime_naissance.yaml", None),
    "paje_allocation_base_taux": Source(
        PF + "petite_enfance/paje/paje_cm/montant/allocation_base_taux_plein/apres_2018/taux.yaml", None),
    "af_taux_2_enfants": Source(PF + "prestations_generales/af/af_cm/taux/enf2.yaml", None),
    "af_taux_enfant_supplementaire": Source(PF + "prestations_generales/af/af_cm/taux/enf3.yaml", None),
    "ars_taux_6_10": Source(PF + "education_presence_parentale/ars/ars_m/taux_primaire.yaml", None),
    "ars_taux_11_14": Source(PF + "education_presence_parentale/ars/ars_m/taux_college.yaml", None),
    "ars_taux_15_18": Source(PF + "education_presence_parentale/ars/ars_m/taux_lycee.yaml", None),
    "ars_plafond_1_enfant": Source(PF + "education_presence_parentale/ars/ars_plaf/plafond_ressources.yaml",
                                   JANUARY_1),
    "ars_majoration_plafond_par_enfant": Source(
        PF + "education_presence_parentale/ars/ars_plaf/majoration_par_enf_supp.yaml", None),
    "asf_taux": Source(PF + "education_presence_parentale/asf/montant_asf/orphelin_assimile_seul_parent.yaml", None),
    "cf_taux_base": Source(PF + "prestations_generales/cf/cf_cm/complement_familial/taux_cf_base.yaml", None),
    "cf_nombre_enfants_minimum": Source(PF + "prestations_generales/cf/cf_cm/nombre_d_enfants_minimal.yaml", None),
    "cf_age_minimum_enfants": Source(PF + "prestations_generales/cf/cf_cm/age_min.yaml", None),
    "aah_montant": Source("prestations_sociales/prestations_etat_de_sante/invalidite/aah/montant.yaml", APRIL_1),
    "ass_montant_journalier": Source("chomage/allocations_assurance_chomage/ass/montant_plein.yaml", APRIL_1),
    # ASPA resources ceilings (yearly amounts), revalued on 1 January; also the ceilings of the Département's
    # aide sociale for older people (aide ménagère, portage de repas).
    "aspa_plafond_personne_seule": Source(ASPA + "plafond_ressources/personnes_seules.yaml", JANUARY_1),
    "aspa_plafond_couple": Source(ASPA + "plafond_ressources/couples.yaml", JANUARY_1),
}

# Amounts paid by the CAF: a rate of the BMAF, less the CRDS (0.5 %), rounded to the cent; revalued with the
# BMAF (the rates do not move). (Checked against published amounts: 2025 ARS 6-10 years 423.48 EUR, prime à la
# naissance 1,084.42 EUR.)
DERIVED_CAF_AMOUNTS = {
    "paje_prime_naissance": "paje_prime_naissance_taux",
    "paje_allocation_base": "paje_allocation_base_taux",
    "af_2_enfants": "af_taux_2_enfants",
    "af_par_enfant_supplementaire": "af_taux_enfant_supplementaire",
    "ars_6_10": "ars_taux_6_10",
    "ars_11_14": "ars_taux_11_14",
    "ars_15_18": "ars_taux_15_18",
    "asf_montant": "asf_taux",
    "cf_montant": "cf_taux_base",
}

# Chèque énergie: ceiling and amounts read from its three scales, set by decree when the government decides
# (2017, 2019, 2021 in the files), with no yearly revaluation date.
CHEQUE_ENERGIE_BAREMES = "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/baremes"
CHEQUE_ENERGIE_REVALORISATION: str | None = None


def installed_parameters() -> Path | None:
    """The parameter tree of the installed openfisca-france package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "parameters"


def source_version(params_dir: Path) -> str:
    """The openfisca-france version the parameter tree comes from.

    The installed package's version from its metadata; for another tree (``--params``), the version in the name
    of the ``.dist-info`` directory or of the wheel next to the ``openfisca_france`` directory.
    """
    installed = installed_parameters()
    if installed is not None and installed.resolve() == params_dir.resolve():
        return importlib.metadata.version(DISTRIBUTION)
    beside = params_dir.resolve().parent.parent
    for pattern in (f"{PACKAGE}-*.dist-info", f"{PACKAGE}-*.whl"):
        for path in sorted(beside.glob(pattern)):
            match = re.match(rf"{PACKAGE}-([^-]+?)(?:\.dist-info|-.*\.whl)$", path.name)
            if match:
                return match.group(1)
    raise SystemExit(f"version d'openfisca-france introuvable pour {params_dir} : ni paquet installé à cet "
                     f"endroit, ni {PACKAGE}-<version>.dist-info ou .whl dans {beside}")


def _value_on(values: dict[Any, Any], as_of: dt.date) -> tuple[Any, dt.date]:
    dated = sorted((dt.date.fromisoformat(str(day)), entry) for day, entry in values.items())
    current = [(day, entry) for day, entry in dated if day <= as_of]
    if not current:
        raise ValueError("no value in force")
    day, entry = current[-1]
    value = entry["value"] if isinstance(entry, dict) else entry
    return value, day


def _reference(metadata: dict[str, Any], day: dt.date) -> str | None:
    reference = metadata.get("reference")
    if isinstance(reference, dict):
        dated = [(dt.date.fromisoformat(str(k)), v) for k, v in reference.items() if str(k)[:2] == "20"]
        dated = [item for item in dated if item[0] <= day] or dated
        if dated:
            ref = sorted(dated, key=lambda item: item[0])[-1][1]
            ref = ref[0] if isinstance(ref, list) else ref
            return ref.get("href") if isinstance(ref, dict) else None
        return reference.get("href")
    if isinstance(reference, list) and reference:
        first = reference[0]
        return first.get("href") if isinstance(first, dict) else None
    return None


def _entry(value: Any, since: str, revalorisation: str | None, parameter: str,
           reference: str | None) -> dict[str, Any]:
    return {"value": value, "since": since, "revalorisation": revalorisation, "parameter": parameter,
            "reference": reference}


def extract(params_dir: Path, as_of: dt.date) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, source in PARAMETERS.items():
        content = yaml.safe_load((params_dir / source.path).read_text(encoding="utf-8"))
        node = content[source.sub_key] if source.sub_key else content
        value, since = _value_on(node["values"], as_of)
        metadata = content.get("metadata", {}) or {}
        parameter = source.path.removesuffix(".yaml").replace("/", ".")
        result[key] = _entry(value, since.isoformat(), source.revalorisation,
                             parameter + (f".{source.sub_key}" if source.sub_key else ""),
                             _reference(metadata, since))
    # Chèque énergie: ceiling of the reference tax income per consumption unit and amounts
    amounts = []
    ceiling = None
    for name in ("une_uc", "une_uc_a_deux_uc", "plus_de_deux_ucs"):
        content = yaml.safe_load((params_dir / CHEQUE_ENERGIE_BAREMES / f"{name}.yaml").read_text(encoding="utf-8"))
        for bracket in content["brackets"]:
            amount, _ = _value_on(bracket["amount"], as_of)
            threshold, since = _value_on(bracket["threshold"], as_of)
            if amount == 0:
                ceiling = (threshold, since)
            else:
                amounts.append(amount)
    assert ceiling is not None
    baremes = CHEQUE_ENERGIE_BAREMES.replace("/", ".")
    for key, value in (("cheque_energie_plafond_rfr_par_uc", ceiling[0]), ("cheque_energie_montant_min", min(amounts)),
                       ("cheque_energie_montant_max", max(amounts))):
        result[key] = _entry(value, ceiling[1].isoformat(), CHEQUE_ENERGIE_REVALORISATION, baremes, None)
    bmaf, crds = result["bmaf"], result["crds"]
    for key, rate_key in DERIVED_CAF_AMOUNTS.items():
        rate = result[rate_key]
        net = round(bmaf["value"] * rate["value"] * (1 - crds["value"]) + 1e-9, 2)
        result[key] = _entry(net, max(bmaf["since"], rate["since"]), bmaf["revalorisation"],
                             f"bmaf x {rate_key} x (1 - crds)", rate["reference"])
    return result


class MonthDay(str):
    """A revaluation date, written quoted ("04-01") so that no YAML reader takes it for anything but text."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(MonthDay, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data,
                                                                             style='"'))


def render_file(values: dict[str, Any], version: str, as_of: dt.date) -> str:
    header = (
        "# Generated by scripts/extract_parameters.py: do not edit by hand.\n"
        f"# Source: openfisca-france {version} parameter files (AGPL-3.0),\n"
        f"# values in force on {as_of.isoformat()}; revalorisation: day of each year (MM-DD) the amount is\n"
        "# revalued, null when it is not.\n"
    )
    values = {key: {**entry, "revalorisation": None if entry["revalorisation"] is None
                    else MonthDay(entry["revalorisation"])} for key, entry in values.items()}
    body = yaml.dump({"source": f"openfisca-france {version}", "as_of": as_of.isoformat(), "parameters": values},
                     Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return header + body


def differences(committed: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """What differs between the committed file and the package's values (the extraction date aside)."""
    found = []
    if committed.get("source") != expected["source"]:
        found.append(f"source : {committed.get('source')!r} dans le fichier, {expected['source']!r} dans le paquet")
    mine, theirs = committed.get("parameters") or {}, expected["parameters"]
    found += [f"{key} : absent du fichier" for key in theirs if key not in mine]
    found += [f"{key} : dans le fichier, plus extrait du paquet" for key in mine if key not in theirs]
    for key in [k for k in theirs if k in mine]:
        for field in dict.fromkeys([*theirs[key], *mine[key]]):
            if mine[key].get(field) != theirs[key].get(field):
                found.append(f"{key}.{field} : {mine[key].get(field)!r} dans le fichier, "
                             f"{theirs[key].get(field)!r} dans le paquet")
    return found


def stale_report(path: Path, today: dt.date) -> list[str]:
    """One French line per amount whose yearly revaluation date has passed since it took effect, and a summary."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = load_parameters(path)
    revalued = [key for key in params if params[key].revalorisation is not None]
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    lines = [f"Montants officiels au {format_date(today.isoformat())} ({shown}, {content['source']}, "
             f"valeurs en vigueur le {format_date(str(content['as_of']))}) :"]
    stale = params.stale_keys(today)
    for key in stale:
        parameter = params[key]
        missed = parameter.missed_revaluation(today)
        assert missed is not None
        lines.append(f"  {key} : {format_number(parameter.value)}, en vigueur depuis le "
                     f"{format_date(parameter.since)}, revalorisation attendue le {format_date(missed.isoformat())}")
    if stale:
        counted = "1 montant périmé" if len(stale) == 1 else f"{len(stale)} montants périmés"
        lines.append(f"{counted} sur {len(revalued)} revalorisés chaque année : les textes montrés aux personnes "
                     "le signalent ; vérifier le montant en vigueur et mettre à jour openfisca-france "
                     "(engine/requirements.txt) dès qu'il le publie.")
    else:
        lines.append(f"Aucun montant périmé : les {len(revalued)} montants revalorisés chaque année sont à jour.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", type=Path,
                        help="parameter tree to read (default: the installed openfisca-france package's)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="date of the values in force and of the report (default: today)")
    parser.add_argument("--file", type=Path, default=PARAMETERS_FILE, help="the parameters file written or read")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="exit 1 if the file differs from the package's values (values, dates, revaluations)")
    mode.add_argument("--report", action="store_true",
                      help="list the amounts whose yearly revaluation has passed (reads the file only, exits 0)")
    args = parser.parse_args(argv)

    if args.report:
        print("\n".join(stale_report(args.file.resolve(), args.as_of)))
        return 0

    params_dir = args.params or installed_parameters()
    if params_dir is None:
        print(f"openfisca-france n'est pas installé pour {sys.executable} : lancez ce script avec "
              ".venv-openfisca/bin/python (make engine), ou donnez --params DIR.", file=sys.stderr)
        return 2
    version = source_version(params_dir)
    values = extract(params_dir, args.as_of)
    if args.check:
        committed = yaml.safe_load(args.file.read_text(encoding="utf-8"))
        found = differences(committed, yaml.safe_load(render_file(values, version, args.as_of)))
        for line in found:
            print(line)
        if found:
            print(f"{args.file} ne correspond pas à openfisca-france {version} au {args.as_of.isoformat()} : "
                  "régénérez-le (make parameters).")
            return 1
        print(f"{args.file} correspond à openfisca-france {version}.")
        return 0
    args.file.write_text(render_file(values, version, args.as_of), encoding="utf-8")
    print(f"wrote {args.file} (openfisca-france {version}, values in force on {args.as_of.isoformat()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
