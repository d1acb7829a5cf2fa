"""The offices that can help a person, for their commune and need.

Always the three nearest France Services (with distance, phone and hours), then
the offices listed for the need in ``data/contacts/par_besoin.yml``: the town
hall and its CCAS, the département's social services, the CAF, and national
channels where no verified local office exists (marked ``national``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from bot.geography import CommuneInfo, haversine_km
from bot.models import Contact
from bot.paths import CONTACTS_BY_NEED_FILE
from bot.store import read_contacts

NEAREST_FRANCE_SERVICES = 3
MISSION_LOCALE_MAX_AGE = 25
# Types with one office per commune or per département; the others are national channels.
LOCAL_TYPES = ("mairie", "departement_social", "caf", "adil")


@dataclass
class ContactView:
    type: str
    name: str
    address: str | None
    phone: str | None
    distance_km: float | None
    source: str
    checked: str | None  # None: « à confirmer »
    email: str | None = None
    web: str | None = None
    hours: dict[str, str] = field(default_factory=dict)
    appointment: str | None = None
    national: bool = False
    note: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.type, "name": self.name, "address": self.address, "phone": self.phone,
            "distance_km": self.distance_km, "email": self.email, "web": self.web, "hours": self.hours,
            "appointment": self.appointment, "latitude": self.latitude, "longitude": self.longitude,
            "national": self.national, "note": self.note, "source": self.source, "checked": self.checked,
        }


@lru_cache(maxsize=1)
def types_by_need() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(CONTACTS_BY_NEED_FILE.read_text(encoding="utf-8"))
    return {need: tuple(types) for need, types in data.items()}


def _view(contact: Contact, distance: float | None = None) -> ContactView:
    return ContactView(
        type=contact.type, name=contact.name, address=contact.address, phone=contact.phone,
        distance_km=None if distance is None else round(distance, 1), source=contact.source,
        checked=contact.checked, email=contact.email, web=contact.web, hours=dict(contact.hours or {}),
        appointment=contact.appointment, national=bool(contact.national), note=contact.note,
        latitude=contact.latitude, longitude=contact.longitude,
    )


@dataclass(frozen=True)
class ContactBook:
    """Every contact of the catalogue database, read once per process."""

    by_type: dict[str, list[Contact]]
    town_halls: dict[str, Contact]

    def of_type(self, contact_type: str, departement: str | None = None) -> list[Contact]:
        contacts = self.by_type.get(contact_type, [])
        return [c for c in contacts if departement is None or c.departement == departement]


@lru_cache(maxsize=2)
def contact_book(database_url: str | None = None) -> ContactBook:
    by_type: dict[str, list[Contact]] = {}
    town_halls: dict[str, Contact] = {}
    for contact in read_contacts(database_url):
        if contact.type == "mairie" and contact.commune_insee:
            town_halls[contact.commune_insee] = contact
        else:
            by_type.setdefault(contact.type, []).append(contact)
    return ContactBook(by_type=by_type, town_halls=town_halls)


def contact_by_id(contact_id: str) -> ContactView | None:
    """One contact of the reviewed files by its id (a national line: « national-sos-loyers-impayes »)."""
    for contacts in contact_book().by_type.values():
        for contact in contacts:
            if contact.id == contact_id:
                return _view(contact)
    return None


def nearest_france_services(commune: CommuneInfo, count: int = NEAREST_FRANCE_SERVICES) -> list[ContactView]:
    ranked = sorted(
        ((haversine_km(commune.latitude, commune.longitude, c.latitude, c.longitude), c)
         for c in contact_book().of_type("france_services") if c.latitude is not None and c.longitude is not None),
        key=lambda pair: pair[0],
    )
    return [_view(contact, distance) for distance, contact in ranked[:count]]


def wanted_types(besoin: str | None, age: int | None = None, sans_logement: bool = False,
                 msa: bool | None = None) -> list[str]:
    types = list(types_by_need()[besoin or "aucun"])
    if "urgence_sociale" in types and not sans_logement:
        types.remove("urgence_sociale")
    if "mission_locale" in types and age is not None and age > MISSION_LOCALE_MAX_AGE:
        types.remove("mission_locale")
    if msa:
        types.append("msa")
    return types


def contacts_for(commune: CommuneInfo, besoin: str | None = None, sans_logement: bool = False,
                 age: int | None = None, msa: bool | None = None) -> list[ContactView]:
    """Nearest France Services, then the offices for the need, then the national information line if it
    answers on that need (Allô Service Public answers only some topics: its `besoins`)."""
    book = contact_book()
    views = nearest_france_services(commune)
    types = wanted_types(besoin, age=age, sans_logement=sans_logement, msa=msa)
    local = {t: c for t in LOCAL_TYPES if t != "mairie"
             for c in book.of_type(t, commune.departement) if not c.id.startswith("annuaire-")}
    if commune.insee in book.town_halls:
        local["mairie"] = book.town_halls[commune.insee]
    offices = [c for t in types if t != "mairie" for c in book.of_type(t, commune.departement)
               if c.id.startswith("annuaire-") and c.latitude is not None and c.longitude is not None]
    national = {c.type: c for t in [*types, "information"] for c in book.of_type(t)
                if c.national and (t != "information" or (besoin is not None and besoin in (c.needs or [])))}
    for contact_type in types:
        nearest = sorted(((haversine_km(commune.latitude, commune.longitude, c.latitude, c.longitude), c)
                          for c in offices if c.type == contact_type), key=lambda pair: pair[0])
        if nearest:  # the nearest office found in the Annuaire de l'administration
            views.append(_view(nearest[0][1], nearest[0][0]))
            continue
        contact = local.get(contact_type) or national.get(contact_type)
        if contact is not None:
            views.append(_view(contact))
    if "information" in national:
        views.append(_view(national["information"]))
    return views


def office_for(kind: str, commune: CommuneInfo) -> ContactView | None:
    """The office of one kind (a scheme's `demarche.contact`) for the person's commune: their town hall, the
    département's office, the nearest France services or local office, else the national channel."""
    book = contact_book()
    if kind == "mairie":
        hall = book.town_halls.get(commune.insee)
        return _view(hall) if hall is not None else None
    if kind == "france_services":
        nearest = nearest_france_services(commune, count=1)
        return nearest[0] if nearest else None
    placed = [(haversine_km(commune.latitude, commune.longitude, c.latitude, c.longitude), c)
              for c in book.of_type(kind, commune.departement)
              if c.latitude is not None and c.longitude is not None]
    if placed:
        distance, contact = min(placed, key=lambda pair: pair[0])
        return _view(contact, distance)
    departmental = [c for c in book.of_type(kind, commune.departement) if not c.national]
    if departmental:
        return _view(departmental[0])
    national = [c for c in book.of_type(kind) if c.national]
    return _view(national[0]) if national else None
