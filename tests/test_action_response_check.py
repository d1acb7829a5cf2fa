"""The action server's responses are checked as Rasa checks them, with the schema checked once."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from components.action_response_check import response_validator, validate_action_result

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "commune", "value": "Albi"}],
     "responses": [{"text": "Quel âge avez-vous ?", "buttons": [{"title": "Oui", "payload": "/affirmer"}]}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_x"}]},
    {},
]
INVALID: list[Any] = [
    {"events": "slot"},
    {"events": [{"name": "commune"}]},  # an event without its type
    {"events": [{"event": "slot", "name": "commune", "value": "Albi"}], "responses": "texte"},
    {"responses": [{"text": "a"}], "events": [{"event": 3}]},
]


def rasa_original(result: Any) -> bool:
    """What Rasa 3.6 does in RemoteAction._validate_action_result."""
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    return True


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_as_with_rasa(result: dict[str, Any]) -> None:
    action = RemoteAction("action_test", None)
    assert rasa_original(result) is True
    assert validate_action_result(action, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_as_with_rasa_with_the_same_error(result: Any) -> None:
    action = RemoteAction("action_test", None)
    with pytest.raises(ValidationError) as expected:
        rasa_original(result)
    with pytest.raises(ValidationError) as got:
        validate_action_result(action, result)
    assert got.value.path == expected.value.path and got.value.validator == expected.value.validator
    assert got.value.message.startswith(expected.value.message)
    assert "Failed to validate Action server response" in got.value.message


def test_the_schema_is_checked_once_not_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    response_validator.cache_clear()
    checks: list[int] = []
    cls = type(response_validator())
    original = cls.check_schema
    response_validator.cache_clear()
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, s: (checks.append(1), original(s))[1]))
    action = RemoteAction("action_test", None)
    for _ in range(5):
        validate_action_result(action, VALID[1])
    assert len(checks) == 1
