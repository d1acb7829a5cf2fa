"""A commune of Occitanie as the catalogue database stores it (bot/store.py) and the domain reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommuneInfo:
    insee: str
    nom: str
    departement: str
    codes_postaux: tuple[str, ...]
    epci_siren: str | None
    epci_nom: str | None
    latitude: float
    longitude: float
    population: int
