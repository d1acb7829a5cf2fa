"""Every scheme has a situation that gets it and one that does not (tests/scheme_cases.yml).

The eligible situation states whether the scheme is « sûre » or « possible » for it; schemes with a
resources or an age condition also have a situation that differs from the eligible one only by that
value (``ineligible_revenus``, ``ineligible_age``) and must not get the scheme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from bot.catalogue import load_scheme_files
from bot.eligibility import resource_ceiling
from bot.parameters import load_parameters
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
    spec.pop("statut", None)
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
            # no resources condition in the FSL files, so no ineligible_revenus
            cases[f"fsl-{code}"] = {
                "eligible": {"base": "seul_salarie", "commune": prefecture, "statut": "sure"},
                "ineligible": {"base": "seul_salarie", "commune": other},
            }
        cases[f"faj-{code}"] = {
            "eligible": {"base": "jeune_chomeur", "commune": prefecture, "besoins": ["emploi"], "statut": "sure"},
            "ineligible": {"base": "jeune_chomeur", "commune": prefecture, "age": 30, "besoins": ["emploi"]},
            "ineligible_age": {"base": "jeune_chomeur", "commune": prefecture, "age": 17, "besoins": ["emploi"]},
        }
    return cases


ALL_CASES = {**departement_cases(), **DATA["cases"]}
EXTRA_INELIGIBLE = sorted((scheme_id, key) for scheme_id, cases in ALL_CASES.items()
                          for key in cases if key.startswith("ineligible_"))
# (scheme id, case key) -> why the engine or the scheme file seems wrong for that case.
XFAIL: dict[tuple[str, str], str] = {}
ONLY_CHANGE = {"ineligible_revenus": "ressources_mensuelles", "ineligible_age": "age"}


def criteria(specs: Any) -> Iterator[dict[str, Any]]:
    """Every single criterion of a list of conditions, however deep in une_parmi / all."""
    for spec in specs:
        if "une_parmi" in spec:
            yield from criteria(spec["une_parmi"])
        elif "all" in spec:
            yield from criteria(spec["all"])
        else:
            yield spec


def has_criterion(scheme_id: str, name: str) -> bool:
    return any(spec["critere"] == name for spec in criteria(SCHEMES[scheme_id].conditions))


def params(cases: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=XFAIL[case])) if case in XFAIL
            else pytest.param(*case) for case in cases]


def test_some_cases_leave_a_deciding_answer_unknown():
    """« possible » must be told apart from « sûre »: cases where an answer that decides is missing."""
    assert sum("possible" in cases for cases in ALL_CASES.values()) >= 3


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


@pytest.mark.parametrize(("scheme_id", "case"), params([(s, key) for s in sorted(ALL_CASES)
                                                         for key in ("eligible", "possible") if key in ALL_CASES[s]]))
def test_eligible_situation_has_the_expected_status(scheme_id, case):
    expected = ALL_CASES[scheme_id][case]["statut"]
    assert expected in ("sure", "possible")
    data = situation(ALL_CASES[scheme_id][case], scheme_id)
    match = next((m for m in schemes_for(situation_from_dict(data)) if m.scheme.id == scheme_id), None)
    assert match is not None, f"{scheme_id} not proposed"
    assert match.sure == (expected == "sure"), f"missing: {match.missing}"


@pytest.mark.parametrize(("scheme_id", "case"), params(EXTRA_INELIGIBLE))
def test_other_ineligible_situations_do_not_get_the_scheme(scheme_id, case):
    data = situation(ALL_CASES[scheme_id][case], scheme_id)
    proposed = [m.scheme.id for m in schemes_for(situation_from_dict(data))]
    assert scheme_id not in proposed


@pytest.mark.parametrize("scheme_id", sorted(ALL_CASES))
def test_resources_and_age_conditions_have_a_case_changing_only_that_value(scheme_id):
    cases = ALL_CASES[scheme_id]
    assert set(cases) <= {"eligible", "ineligible", "possible", *ONLY_CHANGE}, sorted(cases)
    assert ("ineligible_revenus" in cases) == has_criterion(scheme_id, "ressources_mensuelles")
    assert ("ineligible_age" in cases) == has_criterion(scheme_id, "age")
    eligible = situation(cases["eligible"], scheme_id)
    for key, changed in ONLY_CHANGE.items():
        if key in cases:
            other = situation(cases[key], scheme_id)
            differing = {k for k in eligible.keys() | other.keys() if eligible.get(k) != other.get(k)}
            assert differing == {changed}, f"{key} changes {sorted(differing)}"


@pytest.mark.parametrize("scheme_id", sorted(s for s, cases in ALL_CASES.items() if "ineligible_revenus" in cases))
def test_income_case_is_well_above_every_ceiling(scheme_id):
    """30 % above the ceiling, so that no estimate of the resources straddles it."""
    data = situation(ALL_CASES[scheme_id]["ineligible_revenus"], scheme_id)
    person = situation_from_dict(data)
    for spec in criteria(SCHEMES[scheme_id].conditions):
        if spec["critere"] == "ressources_mensuelles":
            ceiling = (resource_ceiling(spec["max_bareme"], person, load_parameters()) if "max_bareme" in spec
                       else float(spec["max"]))
            assert ceiling is not None
            assert person.ressources_mensuelles is not None
            assert person.ressources_mensuelles[0] >= 1.3 * ceiling, f"ceiling {ceiling:.2f}"
