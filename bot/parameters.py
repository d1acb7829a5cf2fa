"""Official amounts and ceilings (``data/parameters.yml``) and text templating.

An amount revalued every year on a known date (``revalorisation: "04-01"`` for the 1st of April) is *stale*
once that date has passed since the value took effect without a newer value: the text shown to people then
says the amount may have changed since.

``scripts/extract_parameters.py`` imports this module under the OpenFisca environment (Python 3.11):
keep it to the standard library and PyYAML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.paths import PARAMETERS_FILE

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(\.since)?\}")
# The currency sign written right after a value (« {rsa_montant_base} € ») stays with it, before the note.
_UNIT_AFTER_VALUE = re.compile(r"[ \u00a0\u202f]?€")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _month_day(revalorisation: str) -> tuple[int, int]:
    """``"04-01"`` → (4, 1); refuses anything that is not a day of every year (« 02-29 » included)."""
    match = _MONTH_DAY.match(revalorisation)
    if not match:
        raise ValueError(f"revaluation date {revalorisation!r} is not MM-DD")
    month, day = int(match.group(1)), int(match.group(2))
    dt.date(2001, month, day)  # a non-leap year: raises ValueError for 02-29 and impossible days
    return month, day


def last_revaluation(revalorisation: str, today: dt.date) -> dt.date:
    """The most recent yearly revaluation date (``"MM-DD"``) on or before ``today``."""
    month, day = _month_day(revalorisation)
    this_year = dt.date(today.year, month, day)
    return this_year if this_year <= today else this_year.replace(year=today.year - 1)


def next_revaluation(revalorisation: str, after: dt.date) -> dt.date:
    """The first yearly revaluation date (``"MM-DD"``) strictly after ``after``."""
    month, day = _month_day(revalorisation)
    this_year = dt.date(after.year, month, day)
    return this_year if this_year > after else this_year.replace(year=after.year + 1)


@dataclass(frozen=True)
class Parameter:
    value: float
    since: str
    reference: str | None
    revalorisation: str | None = None  # "MM-DD": the amount is revalued every year on that day; None: never

    def __post_init__(self) -> None:
        dt.date.fromisoformat(self.since)
        if self.revalorisation is not None:
            _month_day(self.revalorisation)

    def missed_revaluation(self, today: dt.date) -> dt.date | None:
        """The latest revaluation date that passed after the value took effect, or None when up to date."""
        if self.revalorisation is None:
            return None
        expected = last_revaluation(self.revalorisation, today)
        return expected if dt.date.fromisoformat(self.since) < expected else None

    def first_missed_revaluation(self, today: dt.date) -> dt.date | None:
        """The first revaluation date after the value took effect, when it has passed (the amount is stale)."""
        if self.revalorisation is None:
            return None
        first = next_revaluation(self.revalorisation, dt.date.fromisoformat(self.since))
        return first if first <= today else None

    def is_stale(self, today: dt.date) -> bool:
        return self.missed_revaluation(today) is not None


class Parameters:
    def __init__(self, values: dict[str, Parameter]):
        self._values = values

    def __getitem__(self, key: str) -> Parameter:
        return self._values[key]

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def value(self, key: str) -> float:
        return self._values[key].value

    def is_stale(self, key: str, today: dt.date | None = None) -> bool:
        """Whether the yearly revaluation of ``key`` has passed since its value took effect."""
        return self._values[key].is_stale(today or dt.date.today())

    def stale_keys(self, today: dt.date | None = None) -> list[str]:
        today = today or dt.date.today()
        return [key for key, parameter in self._values.items() if parameter.is_stale(today)]

    def render(self, text: str, today: dt.date | None = None) -> str:
        """Replace ``{key}`` by the value in French format and ``{key.since}`` by its date.

        A stale amount (see ``Parameter.is_stale``) gets a note saying it may have changed, said once for the
        amounts of the text that took effect on the same day: after ``{key.since}`` when the text gives that
        date (« depuis le 1/04/2025 ; il a pu augmenter à partir du 1/04/2026 »), otherwise after the last such
        value and its « € » (« 561,68 € (montant d'avril 2025, il a pu augmenter depuis) »), in brackets rather
        than parentheses when the value is already between parentheses.
        """
        today = today or dt.date.today()
        matches = list(_PLACEHOLDER.finditer(text))
        for match in matches:
            if match.group(1) not in self._values:
                raise KeyError(f"unknown parameter {match.group(1)!r} in text")
        notes = self._stale_notes(matches, today)
        parts: list[str] = []
        position = 0
        for index, match in enumerate(matches):
            parameter = self._values[match.group(1)]
            parts.append(text[position:match.start()])
            position = match.end()
            if match.group(2):
                parts.append(format_date(parameter.since))
            else:
                parts.append(format_number(parameter.value))
                if index in notes:
                    unit = _UNIT_AFTER_VALUE.match(text, position)
                    if unit:
                        parts.append(unit.group())
                        position = unit.end()
            note = notes.get(index, "")
            if note.startswith(" (") and text.count("(", 0, position) > text.count(")", 0, position):
                note = f" [{note[2:-1]}]"
            parts.append(note)
        parts.append(text[position:])
        return "".join(parts)

    def _stale_notes(self, matches: list[re.Match[str]], today: dt.date) -> dict[int, str]:
        """Placeholder index → note to write after it, one note per group of stale amounts of the same date."""
        groups: dict[str, list[int]] = {}
        for index, match in enumerate(matches):
            parameter = self._values[match.group(1)]
            if parameter.is_stale(today):
                groups.setdefault(parameter.since, []).append(index)
        notes = {}
        for since, indexes in groups.items():
            amounts = {matches[i].group(1) for i in indexes if not matches[i].group(2)}
            they = "ils ont" if len(amounts) > 1 else "il a"
            dates = [i for i in indexes if matches[i].group(2)]
            if dates:
                missed = [self._values[matches[i].group(1)].first_missed_revaluation(today) for i in indexes]
                first_missed = min(day for day in missed if day is not None)
                notes[dates[0]] = f" ; {they} pu augmenter à partir du {format_date(first_missed.isoformat())}"
            else:
                noun = "montants" if len(amounts) > 1 else "montant"
                notes[indexes[-1]] = f" ({noun} {month_of(since)}, {they} pu augmenter depuis)"
        return notes


def format_number(value: float) -> str:
    """French number format: 651,69 ; 1 200 ; 0,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")


def format_date(iso_date: str) -> str:
    """``2025-04-01`` → ``1/04/2025``, as the catalogue texts write the date an amount took effect."""
    year, month, day = iso_date.split("-")
    return f"{int(day)}/{month}/{year}"


def month_of(iso_date: str) -> str:
    """``2025-04-01`` → « d'avril 2025 » ; ``2021-01-01`` → « de janvier 2021 »."""
    day = dt.date.fromisoformat(iso_date)
    month = MONTHS[day.month - 1]
    prefix = "d'" if month[0] in "aeiouéè" else "de "
    return f"{prefix}{month} {day.year}"


@lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS_FILE) -> Parameters:
    content: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = {
        key: Parameter(value=float(entry["value"]), since=str(entry["since"]), reference=entry.get("reference"),
                       revalorisation=None if entry.get("revalorisation") is None else str(entry["revalorisation"]))
        for key, entry in content["parameters"].items()
    }
    return Parameters(values)
