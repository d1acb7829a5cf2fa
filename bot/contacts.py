"""The offices that can help a person, for their commune and need."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.geography import CommuneInfo, haversine_km
from bot.models import Contact
from bot.store import read_contacts

NEAREST_FRANCE_SERVICES = 3

# National channels worth giving for each need, besides France Services and the CAF.
NATIONAL_BY_NEED = {
    "logement": ("urgence_sociale",),
    "energie": ("france_renov",),
    "mobilite": ("france_travail",),
    "garde_enfants": ("france_travail",),
    "emploi": ("france_travail",),
    "alimentation": (),
}


@dataclass
class ContactView:
    type: str
    name: str
    address: str | None
    phone: str | None
    distance_km: float | None
    source: str
    checked: str
    email: str | None = None
    web: str | None = None
    hours: dict[str, str] = field(default_factory=dict)
    appointment: str | None = None
    national: bool = False
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.type, "name": self.name, "address": self.address, "phone": self.phone,
            "distance_km": self.distance_km, "email": self.email, "web": self.web, "hours": self.hours,
            "appointment": self.appointment, "national": self.national, "note": self.note,
            "source": self.source, "checked": self.checked,
        }


def _view(contact: Contact, distance: float | None = None) -> ContactView:
    return ContactView(
        type=contact.type, name=contact.name, address=contact.address, phone=contact.phone,
        distance_km=None if distance is None else round(distance, 1), source=contact.source,
        checked=contact.checked, email=contact.email, web=contact.web, hours=dict(contact.hours or {}),
        appointment=contact.appointment, national=bool(contact.national), note=contact.note,
    )


def contacts_for(commune: CommuneInfo, besoin: str | None = None, sans_logement: bool = False) -> list[ContactView]:
    """Nearest France Services, the département's CAF, then national channels for the need.

    The 115 is added for a housing need only when the person has no home of their own.
    """
    france_services = read_contacts(types=("france_services",))
    ranked = sorted(
        ((haversine_km(commune.latitude, commune.longitude, c.latitude, c.longitude), c)
         for c in france_services if c.latitude is not None and c.longitude is not None),
        key=lambda pair: pair[0],
    )
    views = [_view(contact, distance) for distance, contact in ranked[:NEAREST_FRANCE_SERVICES]]
    views += [_view(c) for c in read_contacts(types=("caf",), departement=commune.departement)]
    wanted_types = tuple(t for t in (NATIONAL_BY_NEED.get(besoin, ()) if besoin else ())
                         if t != "urgence_sociale" or sans_logement)
    national = [c for c in read_contacts(types=("information", *wanted_types)) if c.national]
    national.sort(key=lambda c: (c.type != "information", c.name))
    views += [_view(c) for c in national]
    return views
