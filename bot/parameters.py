"""Official amounts and ceilings (``data/parameters.yml``) and text templating."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.paths import PARAMETERS_FILE

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(\.since)?\}")


@dataclass(frozen=True)
class Parameter:
    value: float
    since: str
    reference: str | None


class Parameters:
    def __init__(self, values: dict[str, Parameter]):
        self._values = values

    def __getitem__(self, key: str) -> Parameter:
        return self._values[key]

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def value(self, key: str) -> float:
        return self._values[key].value

    def render(self, text: str) -> str:
        """Replace ``{key}`` by the value in French format and ``{key.since}`` by its date."""

        def substitute(match: re.Match[str]) -> str:
            key, since = match.group(1), match.group(2)
            if key not in self._values:
                raise KeyError(f"unknown parameter {key!r} in text")
            parameter = self._values[key]
            if since:
                year, month, day = parameter.since.split("-")
                return f"{int(day)}/{month}/{year}"
            return format_number(parameter.value)

        return _PLACEHOLDER.sub(substitute, text)


def format_number(value: float) -> str:
    """French number format: 651,69 ; 1 200 ; 0,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")


@lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS_FILE) -> Parameters:
    content: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = {
        key: Parameter(value=float(entry["value"]), since=str(entry["since"]), reference=entry.get("reference"))
        for key, entry in content["parameters"].items()
    }
    return Parameters(values)
