"""Extract the official amounts and ceilings the catalogue uses from openfisca-france.

openfisca-france (AGPL-3.0) publishes French legislation parameters as dated YAML
files, each with its legal reference. This script reads the files listed in
PARAMETERS from the wheel unpacked by ``scripts/fetch_sources.sh`` and writes
``data/parameters.yml``: for each key, the value in force on AS_OF, the date it
took effect, the parameter path and the legal reference when the file gives one.

Run: ``python scripts/extract_parameters.py`` (see ``make data-sources``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OPENFISCA_VERSION = "176.1.8"

# key -> (path under openfisca_france/parameters, sub-key inside the file or None)
PARAMETERS: dict[str, tuple[str, str | None]] = {
    "rsa_montant_base": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/rsa_m/montant_de_base_du_rsa.yaml", None),
    "rsa_majoration_2e_personne": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/rsa_maj/maj_montant_max/"
        "couples_celibataire_avec_enfant.yaml", None),
    "rsa_majoration_3e_personne": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/rsa_maj/maj_montant_max/"
        "couple_1_enfant_ou_2e_enfant.yaml", None),
    "rsa_majoration_personne_supplementaire": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/rsa_maj/maj_montant_max/"
        "par_enfant_supplementaire.yaml", None),
    "rsa_age_minimum": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/rsa/rsa_cond/age_minimum_allocataire.yaml", None),
    "ppa_montant_base": (
        "prestations_sociales/solidarite_insertion/minima_sociaux/ppa/pa_m/montant_de_base.yaml", None),
    "cej_age_minimum": (
        "prestations_sociales/education/contrat_engagement_jeune/critere_age/minimum.yaml", None),
    "cej_age_maximum": (
        "prestations_sociales/education/contrat_engagement_jeune/critere_age/maximum.yaml", None),
    "cej_age_maximum_handicap": (
        "prestations_sociales/education/contrat_engagement_jeune/critere_age/maximum_handicap.yaml", None),
    "cej_montant_majeur_non_imposable": (
        "prestations_sociales/education/contrat_engagement_jeune/montants/montant_majeurs_non_imposables.yaml",
        None),
    "agepi_age_enfant_maximum": (
        "prestations_sociales/prestations_familiales/education_presence_parentale/agepi/age_enfant_maximum.yaml",
        None),
    "aide_permis_demandeur_emploi_maximum": (
        "prestations_sociales/transport/permis_de_conduire/aide_permis_demandeur_emploi.yaml", "montant_maximum"),
    "aide_permis_apprenti_montant": (
        "prestations_sociales/transport/permis_de_conduire/aide_financement_permis_apprenti.yaml", "montant"),
    "cheque_energie_uc_premiere_personne": (
        "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/unites_consommation/"
        "premiere_personne.yaml", None),
    "cheque_energie_uc_deuxieme_personne": (
        "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/unites_consommation/"
        "deuxieme_personne.yaml", None),
    "cheque_energie_uc_autres_personnes": (
        "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/unites_consommation/"
        "autres_personnes.yaml", None),
    "visale_age_maximum": (
        "prestations_sociales/aides_logement/action_logement/visale/eligibilite/age_max.yaml", None),
    "locapass_age_maximum": (
        "prestations_sociales/aides_logement/action_logement/locapass/age_max.yaml", None),
}

PF = "prestations_sociales/prestations_familiales/"
PARAMETERS.update({
    "bmaf": (PF + "bmaf/bmaf.yaml", None),
    "crds": ("prelevements_sociaux/contributions_sociales/crds.yaml", None),
    "paje_prime_naissance_taux": (PF + "petite_enfance/paje/paje_cm2/montant/prime_naissance.yaml", None),
    "paje_allocation_base_taux": (
        PF + "petite_enfance/paje/paje_cm/montant/allocation_base_taux_plein/apres_2018/taux.yaml", None),
    "af_taux_2_enfants": (PF + "prestations_generales/af/af_cm/taux/enf2.yaml", None),
    "af_taux_enfant_supplementaire": (PF + "prestations_generales/af/af_cm/taux/enf3.yaml", None),
    "ars_taux_6_10": (PF + "education_presence_parentale/ars/ars_m/taux_primaire.yaml", None),
    "ars_taux_11_14": (PF + "education_presence_parentale/ars/ars_m/taux_college.yaml", None),
    "ars_taux_15_18": (PF + "education_presence_parentale/ars/ars_m/taux_lycee.yaml", None),
    "ars_plafond_1_enfant": (PF + "education_presence_parentale/ars/ars_plaf/plafond_ressources.yaml", None),
    "ars_majoration_plafond_par_enfant": (
        PF + "education_presence_parentale/ars/ars_plaf/majoration_par_enf_supp.yaml", None),
    "asf_taux": (PF + "education_presence_parentale/asf/montant_asf/orphelin_assimile_seul_parent.yaml", None),
    "cf_taux_base": (PF + "prestations_generales/cf/cf_cm/complement_familial/taux_cf_base.yaml", None),
    "cf_nombre_enfants_minimum": (PF + "prestations_generales/cf/cf_cm/nombre_d_enfants_minimal.yaml", None),
    "cf_age_minimum_enfants": (PF + "prestations_generales/cf/cf_cm/age_min.yaml", None),
    "aah_montant": ("prestations_sociales/prestations_etat_de_sante/invalidite/aah/montant.yaml", None),
    "ass_montant_journalier": ("chomage/allocations_assurance_chomage/ass/montant_plein.yaml", None),
})

# Amounts paid by the CAF: a rate of the BMAF, less the CRDS (0.5 %), rounded to the cent.
# (Checked against published amounts: 2025 ARS 6-10 years 423.48 EUR, prime à la naissance 1,084.42 EUR.)
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

CHEQUE_ENERGIE_BAREMES = "prestations_sociales/solidarite_insertion/autre_solidarite/cheque_energie/baremes"


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


def extract(params_dir: Path, as_of: dt.date) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, (rel_path, sub_key) in PARAMETERS.items():
        content = yaml.safe_load((params_dir / rel_path).read_text(encoding="utf-8"))
        node = content[sub_key] if sub_key else content
        value, since = _value_on(node["values"], as_of)
        metadata = content.get("metadata", {}) or {}
        result[key] = {
            "value": value,
            "since": since.isoformat(),
            "parameter": rel_path.removesuffix(".yaml").replace("/", ".") + (f".{sub_key}" if sub_key else ""),
            "reference": _reference(metadata, since),
        }
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
    result["cheque_energie_plafond_rfr_par_uc"] = {
        "value": ceiling[0],
        "since": ceiling[1].isoformat(),
        "parameter": CHEQUE_ENERGIE_BAREMES.replace("/", "."),
        "reference": None,
    }
    result["cheque_energie_montant_min"] = {"value": min(amounts), "since": ceiling[1].isoformat(),
                                             "parameter": CHEQUE_ENERGIE_BAREMES.replace("/", "."),
                                             "reference": None}
    result["cheque_energie_montant_max"] = {"value": max(amounts), "since": ceiling[1].isoformat(),
                                             "parameter": CHEQUE_ENERGIE_BAREMES.replace("/", "."),
                                             "reference": None}
    bmaf, crds = result["bmaf"], result["crds"]
    for key, rate_key in DERIVED_CAF_AMOUNTS.items():
        rate = result[rate_key]
        net = round(bmaf["value"] * rate["value"] * (1 - crds["value"]) + 1e-9, 2)
        result[key] = {
            "value": net,
            "since": max(bmaf["since"], rate["since"]),
            "parameter": f"bmaf x {rate_key} x (1 - crds)",
            "reference": rate["reference"],
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", type=Path,
                        default=ROOT / "build/sources/openfisca-france/openfisca_france/parameters")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args()
    values = extract(args.params, args.as_of)
    header = (
        "# Generated by scripts/extract_parameters.py: do not edit by hand.\n"
        f"# Source: openfisca-france {OPENFISCA_VERSION} parameter files (AGPL-3.0),\n"
        f"# values in force on {args.as_of.isoformat()}.\n"
    )
    out = ROOT / "data" / "parameters.yml"
    body = yaml.safe_dump({"source": f"openfisca-france {OPENFISCA_VERSION}", "as_of": args.as_of.isoformat(),
                           "parameters": values}, allow_unicode=True, sort_keys=False)
    out.write_text(header + body, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
