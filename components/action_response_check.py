"""Rasa checks every action server response against its JSON schema: once, not once per call.

``RemoteAction._validate_action_result`` in Rasa 3.6 calls ``jsonschema.validate(result, schema)``,
which first validates the *schema itself* against the JSON Schema meta-schema, on every action call.
Profiled under load (`make bench`, py-spy on the Rasa server), that meta-schema check was half of the
Rasa server's CPU time: a form turn calls two or three custom actions.

This module keeps the same check of the *response*, with the same error, but builds the validator
once, after checking the schema once. Installed with the outage answer when a Rasa server starts
(components/input_guard.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import validators
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # raises SchemaError, as jsonschema.validate does
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Same contract as Rasa's: True, or the ValidationError of ``jsonschema.validate`` with Rasa's hint."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    if RemoteAction._validate_action_result is not validate_action_result:
        RemoteAction._validate_action_result = validate_action_result

