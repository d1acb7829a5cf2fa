"""Official amounts: yearly revaluation dates, stale amounts in the texts shown, and one source (openfisca-france)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.parameters import (
    Parameter,
    Parameters,
    format_date,
    last_revaluation,
    load_parameters,
    month_of,
    next_revaluation,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "extract_parameters.py"
ENGINE_PYTHON = ROOT / ".venv-openfisca" / "bin" / "python"
TODAY = dt.date(2026, 11, 29)


def params(**values: Parameter) -> Parameters:
    return Parameters(dict(values))


CEJ = Parameter(value=561.68, since="2025-04-01", reference=None, revalorisation="04-01")  # missed 1/04/2026
RSA = Parameter(value=651.69, since="2026-04-01", reference=None, revalorisation="04-01")
AGE = Parameter(value=25, since="2009-06-01", reference=None, revalorisation=None)
CEILING = Parameter(value=22274, since="2026-01-01", reference=None, revalorisation="01-01")


# --- staleness ---

@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 11, 29), dt.date(2026, 4, 1)),
    (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    (dt.date(2026, 3, 31), dt.date(2025, 4, 1)),
    (dt.date(2026, 1, 1), dt.date(2025, 4, 1)),
])
def test_last_revaluation_is_the_latest_occurrence_on_or_before_the_day(today, expected):
    assert last_revaluation("04-01", today) == expected


def test_next_revaluation_is_strictly_after_the_day():
    assert next_revaluation("04-01", dt.date(2025, 4, 1)) == dt.date(2026, 4, 1)
    assert next_revaluation("04-01", dt.date(2025, 3, 31)) == dt.date(2025, 4, 1)
    assert next_revaluation("01-01", dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)


@pytest.mark.parametrize(("parameter", "today", "stale"), [
    (CEJ, TODAY, True),  # 2026-04-01 passed, value of 2025-04-01
    (CEJ, dt.date(2026, 3, 31), False),  # the 2026 revaluation has not come yet
    (CEJ, dt.date(2026, 4, 1), True),  # due the very day
    (RSA, TODAY, False),
    (RSA, dt.date(2027, 4, 1), True),
    (CEILING, TODAY, False),
    (CEILING, dt.date(2027, 1, 1), True),
    (AGE, dt.date(2100, 1, 1), False),  # never revalued, never stale
])
def test_an_amount_is_stale_once_its_revaluation_date_has_passed_since_it_took_effect(parameter, today, stale):
    assert parameter.is_stale(today) is stale
    assert params(k=parameter).is_stale("k", today) is stale


def test_the_revaluation_missed_and_the_first_one_missed():
    assert CEJ.missed_revaluation(dt.date(2027, 5, 1)) == dt.date(2027, 4, 1)
    assert CEJ.first_missed_revaluation(dt.date(2027, 5, 1)) == dt.date(2026, 4, 1)
    assert RSA.missed_revaluation(TODAY) is None
    assert AGE.missed_revaluation(TODAY) is None


def test_stale_keys_lists_only_the_amounts_behind():
    assert params(cej=CEJ, rsa=RSA, age=AGE, plafond=CEILING).stale_keys(TODAY) == ["cej"]


@pytest.mark.parametrize("wrong", ["4-1", "04/01", "02-29", "13-01", "04-31", "avril"])
def test_a_revaluation_date_is_a_day_of_every_year(wrong):
    with pytest.raises(ValueError):
        Parameter(value=1.0, since="2025-04-01", reference=None, revalorisation=wrong)


# --- rendering ---

def test_a_fresh_amount_renders_as_before():
    text = "Jusqu'à {rsa} € par mois (montant depuis le {rsa.since})."
    assert params(rsa=RSA).render(text, today=TODAY) == "Jusqu'à 651,69 € par mois (montant depuis le 1/04/2026)."


def test_rendering_uses_today_by_default():
    assert params(age=AGE).render("{age} ans") == "25 ans"
    assert params(rsa=RSA).render("{rsa} €") == params(rsa=RSA).render("{rsa} €", today=dt.date.today())


def test_a_stale_amount_says_it_may_have_changed_right_after_the_value():
    text = "Allocation jusqu'à {cej} € par mois, selon vos ressources."
    assert params(cej=CEJ).render(text, today=TODAY) == (
        "Allocation jusqu'à 561,68 € (montant d'avril 2025, il a pu augmenter depuis) par mois, "
        "selon vos ressources.")


def test_a_stale_amount_whose_date_is_given_does_not_repeat_the_date():
    text = "Jusqu'à {cej} € par mois (montant depuis le {cej.since}), selon vos ressources."
    rendered = params(cej=CEJ).render(text, today=TODAY)
    assert rendered == ("Jusqu'à 561,68 € par mois (montant depuis le 1/04/2025 ; il a pu augmenter à partir "
                        "du 1/04/2026), selon vos ressources.")
    assert rendered.count("2025") == 1


def test_amounts_of_the_same_date_share_one_note():
    cej_child = Parameter(value=300.0, since="2025-04-01", reference=None, revalorisation="04-01")
    text = "De {a} € à {b} € par mois."
    assert params(a=cej_child, b=CEJ).render(text, today=TODAY) == (
        "De 300 € à 561,68 € (montants d'avril 2025, ils ont pu augmenter depuis) par mois.")
    dated = "{a} € puis {b} € (montants depuis le {a.since})."
    assert params(a=cej_child, b=CEJ).render(dated, today=TODAY) == (
        "300 € puis 561,68 € (montants depuis le 1/04/2025 ; ils ont pu augmenter à partir du 1/04/2026).")


def test_a_note_inside_parentheses_uses_brackets():
    text = "plafond ({plafond} € par an pour un enfant)"
    assert params(plafond=CEILING).render(text, today=dt.date(2027, 2, 1)) == (
        "plafond (22\u202f274 € [montant de janvier 2026, il a pu augmenter depuis] par an pour un enfant)")


def test_only_stale_amounts_get_a_note():
    text = "{rsa} € ou {cej} € ; {age} ans"
    assert params(rsa=RSA, cej=CEJ, age=AGE).render(text, today=TODAY) == (
        "651,69 € ou 561,68 € (montant d'avril 2025, il a pu augmenter depuis) ; 25 ans")


def test_an_unknown_placeholder_is_an_error():
    with pytest.raises(KeyError):
        params(rsa=RSA).render("{inconnu}", today=TODAY)


def test_french_dates():
    assert format_date("2025-04-01") == "1/04/2025"
    assert month_of("2025-04-01") == "d'avril 2025"
    assert month_of("2021-01-01") == "de janvier 2021"
    assert month_of("2024-08-01") == "d'août 2024"


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _texts(value)]
    return []


def _catalogue_texts() -> list[str]:
    committed = load_parameters()
    files = sorted((ROOT / "data" / "catalogue").glob("*/*.yml"))
    texts = [" ".join(text.split()) for path in files for text in _texts(yaml.safe_load(path.read_text("utf-8")))]
    return [text for text in texts if re.search(r"\{[a-z0-9_]+(\.since)?\}", text)
            and all(key in committed for key in re.findall(r"\{([a-z0-9_]+)(?:\.since)?\}", text))]


def test_catalogue_texts_never_repeat_the_date_of_a_stale_amount():
    """Every revalued amount stale (a day far ahead): a text giving the date gets no « montant d'avril … »."""
    committed = load_parameters()
    texts = _catalogue_texts()
    assert any("{rsa_montant_base.since}" in text for text in texts)
    for text in texts:
        rendered = committed.render(text, today=dt.date(2100, 4, 2))
        for key in set(re.findall(r"\{([a-z0-9_]+)\.since\}", text)):
            assert rendered.count(format_date(committed[key].since)) == text.count(f"{{{key}.since}}"), rendered
            assert not re.search(r"montants? d(e |')\w+ \d{4}", rendered), rendered
        if any(committed[key].revalorisation for key in re.findall(r"\{([a-z0-9_]+)\}", text)):
            assert "pu augmenter" in rendered, rendered


# --- the committed file and its source ---

def test_the_committed_file_declares_the_revaluation_of_each_amount():
    committed = load_parameters()
    for key in ("rsa_montant_base", "ppa_montant_base", "cej_montant_majeur_non_imposable", "bmaf", "aah_montant",
                "ass_montant_journalier", "ars_6_10", "paje_prime_naissance"):
        assert committed[key].revalorisation == "04-01", key
    assert committed["ars_plafond_1_enfant"].revalorisation == "01-01"
    for key in ("rsa_age_minimum", "cej_age_maximum", "crds", "ars_taux_6_10", "cheque_energie_montant_max"):
        assert committed[key].revalorisation is None, key


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    if not ENGINE_PYTHON.exists():
        pytest.fail(f"{ENGINE_PYTHON.relative_to(ROOT)} is missing: build the rules engine's environment "
                    "(make engine) to check data/parameters.yml against openfisca-france")
    return subprocess.run([str(ENGINE_PYTHON), str(SCRIPT), "--check", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_the_committed_file_matches_the_installed_openfisca_france():
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_fails_on_a_changed_amount_or_revaluation(tmp_path):
    text = (ROOT / "data" / "parameters.yml").read_text(encoding="utf-8")
    changed = tmp_path / "parameters.yml"
    changed.write_text(text.replace("value: 651.69", "value: 600", 1).replace('"01-01"', "null", 1), encoding="utf-8")
    result = _check("--file", str(changed))
    assert result.returncode == 1
    assert "rsa_montant_base.value : 600 dans le fichier, 651.69 dans le paquet" in result.stdout
    assert "ars_plafond_1_enfant.revalorisation : None dans le fichier, '01-01' dans le paquet" in result.stdout


def test_the_report_lists_the_stale_amounts_and_exits_0(tmp_path):
    path = tmp_path / "parameters.yml"
    entries = {"cej": CEJ, "rsa": RSA, "age": AGE}
    path.write_text(yaml.safe_dump({"source": "openfisca-france 0.0", "as_of": "2026-11-29", "parameters": {
        key: {"value": p.value, "since": p.since, "revalorisation": p.revalorisation, "reference": None}
        for key, p in entries.items()}}), encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--report", "--file", str(path), "--as-of", "2026-11-29"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == ("  cej : 561,68, en vigueur depuis le 1/04/2025, revalorisation attendue le 1/04/2026")
    assert len(lines) == 3
    assert lines[2].startswith("1 montant périmé sur 2 revalorisés chaque année")
