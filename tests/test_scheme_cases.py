"""Every scheme has a situation that gets it and one that does not (tests/scheme_cases.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalogue import load_scheme_files
from bot.service import schemes_for
from bot.situation import situation_from_dict

CASES_FILE = Path(__file__).parent / "scheme_cases.yml"
DATA = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
SCHEMES = {s.id: s for s in load_scheme_files()}
PREFECTURES = {"09": "09122", "11": "11069", "12": "12202", "30": "30189", "31": "31483", "32": "32013",
               "34": "34172", "46": "46042", "48": "48095", "65": "65440", "66": "66136", "81": "81004",
               "82": "82121"}


def situation(spec: dict[str, Any], scheme_id: str) -> dict[str, Any]:
    spec = dict(spec)
    data = dict(DATA["bases"][spec.pop("base")])
    data.update(spec)
    data.setdefault("besoins", [SCHEMES[scheme_id].needs[0]])
    return data


def departement_cases() -> dict[str, dict[str, dict]]:
    """FSL and FAJ of each département: same rule everywhere, so the cases are built per département."""
    cases = {}
    for code, prefecture in PREFECTURES.items():
        other = PREFECTURES["48" if code != "48" else "12"]
        if code != "31":
            cases[f"fsl-{code}"] = {
                "eligible": {"base": "seul_salarie", "commune": prefecture},
                "ineligible": {"base": "seul_salarie", "commune": other},
            }
        cases[f"faj-{code}"] = {
            "eligible": {"base": "jeune_chomeur", "commune": prefecture, "besoins": ["emploi"]},
            "ineligible": {"base": "jeune_chomeur", "commune": prefecture, "age": 30, "besoins": ["emploi"]},
        }
    return cases


ALL_CASES = {**departement_cases(), **DATA["cases"]}


def test_every_scheme_has_cases():
    assert set(SCHEMES) == set(ALL_CASES), sorted(set(SCHEMES) ^ set(ALL_CASES))


@pytest.mark.parametrize("scheme_id", sorted(ALL_CASES))
def test_eligible_situation_gets_the_scheme(scheme_id):
    data = situation(ALL_CASES[scheme_id]["eligible"], scheme_id)
    proposed = [m.scheme.id for m in schemes_for(situation_from_dict(data))]
    assert scheme_id in proposed


@pytest.mark.parametrize("scheme_id", sorted(ALL_CASES))
def test_ineligible_situation_does_not_get_the_scheme(scheme_id):
    data = situation(ALL_CASES[scheme_id]["ineligible"], scheme_id)
    proposed = [m.scheme.id for m in schemes_for(situation_from_dict(data))]
    assert scheme_id not in proposed
