"""Generated input (hypothesis) against the answer parsers, the crisis net, the input cleaner, the
form validator and the command line: never a crash, always a French reply, the answers kept."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.form import ValidateSituationForm
from bot import cli, crisis
from bot.input_text import MAX_CHARS, clean, readable
from bot.parsing import (
    DONT_KNOW,
    parse_activite,
    parse_adults,
    parse_age,
    parse_child_ages,
    parse_child_count,
    parse_logement,
    parse_ressources,
    parse_yes_no,
)
from tests.test_actions import run, slots_set, texts, tracker

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What people and attackers send: free text, emoji, markup, SQL, control characters, huge numbers.
HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE events; --", "1 OR 1=1",
    "\x00\x01\x1b[31m", "\u202eevil", "🙂🙂🙂", "👍", "????", "...", "null", "undefined", "NaN", "-5", "-1e308",
    "9" * 400, "1e309", "300", "0", "%s%s%n", "{{7*7}}", "${jndi:ldap://x}", "../../etc/passwd", "Ω≈ç√∫",
    "I need help with my rent", "necesito ayuda", "مساعدة", "帮助", " ", "",
])
TEXT = st.one_of(st.text(max_size=300), HOSTILE,
                 st.builds(lambda a, b: a + b, HOSTILE, st.text(max_size=50)),
                 st.integers(min_value=-10**12, max_value=10**12).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(str))
PARSERS = [parse_age, parse_adults, parse_child_count, parse_logement, parse_activite, parse_ressources, parse_yes_no,
           lambda text: parse_child_ages(text, 2)]


@FAST
@given(TEXT)
def test_parsers_answer_or_explain_in_french(text: str) -> None:
    for parser in PARSERS:
        result = parser(text)
        if result.ok:
            continue
        assert result.error and result.error[0].isupper() and "Traceback" not in result.error


@FAST
@given(TEXT)
def test_parsed_values_stay_within_sensible_bounds(text: str) -> None:
    age = parse_age(text)
    if age.ok and age.value != DONT_KNOW:
        assert 14 <= age.value <= 110
    money = parse_ressources(text)
    if money.ok and money.value != DONT_KNOW:
        low, high = money.value
        assert 0 <= low <= high <= 100_000
    children = parse_child_count(text)
    if children.ok and children.value != DONT_KNOW:
        assert 0 <= children.value <= 15


@FAST
@given(st.text(max_size=12_000))
def test_cleaned_text_is_bounded_without_controls_or_tags(text: str) -> None:
    cleaned = clean(text)
    assert len(cleaned) <= MAX_CHARS
    assert not any(ord(ch) < 32 for ch in cleaned)
    assert clean(cleaned) == cleaned
    crisis.detect(text)  # never raises, whatever the text


@given(st.text(alphabet=st.characters(whitelist_categories=("So", "Sk", "Po", "Ps", "Pe", "Zs", "Cc")), max_size=50))
def test_messages_without_letters_or_digits_are_unreadable(text: str) -> None:
    assert not readable(text)


ANSWERED = {"commune": "31555", "age": 41, "adultes": 1, "nb_enfants": 2, "ages_enfants": [3, 7]}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["logement", "activite", "ressources", "impaye"]))
def test_the_form_never_crashes_and_keeps_earlier_answers(text: str, requested: str) -> None:
    events, dispatcher = run(ValidateSituationForm(), tracker(dict(ANSWERED), clean(text), requested=requested))
    slots = slots_set(events)
    assert slots["requested_slot"]  # a question is always pending after a message during the questions
    assert "Traceback" not in texts(dispatcher)
    if not readable(text):
        assert all(slots.get(name, value) == value for name, value in ANSWERED.items())
        assert slots.get(requested) is None and slots["requested_slot"] == requested


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:  # argparse refuses the arguments
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT.filter(lambda t: not t.startswith("-") and "\x00" not in t))
def test_commune_cli_answers_json_or_a_french_error(text: str) -> None:
    code, out, err = run_cli(["commune", text])
    assert "Traceback" not in out + err
    if code == 0:
        json.loads(out)
    else:
        assert err.strip()


JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False), TEXT,
                     st.lists(st.one_of(st.integers(-10**6, 10**6), TEXT), max_size=40))
SITUATION = st.fixed_dictionaries({}, optional={
    "commune": st.one_of(TEXT, st.sampled_from(["31555", "75056", "99999", "Albi"])),
    "age": JSON_VALUE, "adultes": JSON_VALUE, "enfants": JSON_VALUE, "nombre_enfants": JSON_VALUE,
    "ressources_mensuelles": JSON_VALUE, "logement": JSON_VALUE, "activite": JSON_VALUE,
    "besoins": st.one_of(JSON_VALUE, st.just(["logement"])), "impaye": JSON_VALUE,
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(SITUATION, JSON_VALUE))
def test_match_cli_rejects_absurd_situations_in_french(tmp_path, situation: Any) -> None:
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(situation, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(["match", str(path)])
    assert "Traceback" not in out + err
    assert code in (0, 2), err
    if code == 2:
        assert err.strip()
    else:
        json.loads(out)


@pytest.mark.parametrize("situation", [{"age": float("inf")}, {"age": float("nan")}, {"adultes": float("-inf")},
                                       {"ressources_mensuelles": float("nan")},
                                       {"ressources_mensuelles": [0, float("inf")]}])
def test_match_cli_rejects_infinite_and_nan_numbers_in_french(tmp_path, situation: Any) -> None:
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(situation), encoding="utf-8")  # written as Infinity / NaN, which JSON readers accept
    code, out, err = run_cli(["match", str(path)])
    assert code == 2 and "Traceback" not in out + err and err.strip()
