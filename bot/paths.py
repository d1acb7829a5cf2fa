"""Locations of the data files and of the default catalogue database."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCHEMES_DIR = DATA / "catalogue" / "schemes"
PARAMETERS_FILE = DATA / "parameters.yml"
COMMUNES_FILE = DATA / "geo" / "communes.csv"
DEPARTEMENTS_FILE = DATA / "geo" / "departements.csv"
FRANCE_SERVICES_FILE = DATA / "contacts" / "france_services.csv"
NATIONAL_CONTACTS_FILE = DATA / "contacts" / "national.yml"
CAF_FILE = DATA / "contacts" / "caf.yml"
TOWN_HALLS_FILE = DATA / "contacts" / "mairies.csv"
DEPARTEMENT_SERVICES_FILE = DATA / "contacts" / "departements.yml"
MDPH_FILE = DATA / "contacts" / "mdph.yml"
ADIL_FILE = DATA / "contacts" / "adil.yml"
CONTACTS_BY_NEED_FILE = DATA / "contacts" / "par_besoin.yml"
OFFICES_FILE = DATA / "contacts" / "annuaire.csv"  # written by `python -m bot data refresh`
DEFAULT_DB_FILE = ROOT / "var" / "catalogue.db"


def database_url() -> str:
    """The catalogue database: ``DATABASE_URL`` if set, else the bundled SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_FILE}"
