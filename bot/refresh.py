"""Refreshing the shipped data from the official APIs, with a report of what changed.

    python -m bot data refresh [--geo-url URL] [--annuaire-url URL] [--dry-run]

* Communes: the geo API (« API Découpage administratif ») for région 76.
* Offices: the Annuaire de l'administration API (DILA) for the office types of
  ``data/contacts/annuaire_types.yml``, in the 13 départements.

The shipped files stay the offline default: an answer that fails, times out,
is malformed or looks truncated changes nothing, and the report says why.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.geography import OCCITANIE_DEPARTEMENTS, haversine_km
from bot.http_client import ApiUnavailable, HttpClient
from bot.paths import COMMUNES_FILE, DATA, OFFICES_FILE

GEO_URL = "https://geo.api.gouv.fr"
ANNUAIRE_URL = "https://api-lannuaire.service-public.fr"
ANNUAIRE_DATASET_PAGE = "https://www.data.gouv.fr/fr/dataservices/api-annuaire-de-ladministration-et-des-services-publics/"
ANNUAIRE_RECORDS = "/api/explore/v2.1/catalog/datasets/api-lannuaire-administration/records"
OFFICE_TYPES_FILE = DATA / "contacts" / "annuaire_types.yml"
PAGE_SIZE = 100
MAX_PAGES = 50
# Refuse an answer that would remove more than this share of the shipped communes.
MAX_REMOVED_SHARE = 0.02
MOVED_KM = 1.0
# Stop asking an API that failed this many times in a row (it is down, not flaky).
MAX_FAILURES_IN_A_ROW = 2

COMMUNE_FIELDS = ["insee", "nom", "departement", "codes_postaux", "epci_siren", "epci_nom", "latitude", "longitude",
                  "origine_coordonnees", "population"]
OFFICE_FIELDS = ["id", "type", "nom", "adresse", "commune_insee", "departement", "latitude", "longitude",
                 "telephone", "email", "site", "horaires", "source", "verifie_le"]


@dataclass
class RefreshReport:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = list(self.lines)
        if self.errors:
            out.append("Problèmes (les données livrées sont conservées pour ces parties) :")
            out += [f"  - {error}" for error in self.errors]
        out.append("Fichiers mis à jour : " + (", ".join(self.changed_files) if self.changed_files else "aucun"))
        return "\n".join(out)


class MalformedPayload(ValueError):
    """An API answer that does not have the documented shape."""


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_csv(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- communes -------------------------------------------------------------------------------------------------


def parse_geo_communes(payload: Any, current: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Rows of communes.csv from the geo API's answer; MalformedPayload if the shape is wrong."""
    if not isinstance(payload, list):
        raise MalformedPayload("la liste des communes n'est pas une liste")
    rows = []
    for item in payload:
        try:
            code, nom = str(item["code"]), str(item["nom"])
            departement = str(item["codeDepartement"])
            postal = [str(p) for p in item["codesPostaux"]]
            lon, lat = (float(x) for x in item["centre"]["coordinates"])
        except (KeyError, TypeError, ValueError) as error:
            raise MalformedPayload(f"commune mal décrite ({error})") from error
        if departement not in OCCITANIE_DEPARTEMENTS or len(code) != 5:
            raise MalformedPayload(f"commune hors d'Occitanie ou code invalide : {code}")
        previous = current.get(code, {})
        keep_town_hall_point = previous.get("origine_coordonnees") == "mairie" and previous.get("latitude")
        epci = str(item.get("codeEpci") or previous.get("epci_siren", ""))
        rows.append({
            "insee": code, "nom": nom, "departement": departement, "codes_postaux": " ".join(postal),
            "epci_siren": epci,
            "epci_nom": previous.get("epci_nom", "") if epci == previous.get("epci_siren") else "",
            "latitude": previous["latitude"] if keep_town_hall_point else f"{lat:.5f}",
            "longitude": previous["longitude"] if keep_town_hall_point else f"{lon:.5f}",
            "origine_coordonnees": "mairie" if keep_town_hall_point else "centre_api_geo",
            "population": str(item.get("population") or previous.get("population", "")),
        })
    return sorted(rows, key=lambda row: row["insee"])


def diff_communes(old: dict[str, dict[str, str]], new: list[dict[str, Any]]) -> list[str]:
    new_by_code = {row["insee"]: row for row in new}
    lines = []
    added = sorted(set(new_by_code) - set(old))
    removed = sorted(set(old) - set(new_by_code))
    if added:
        lines.append(f"  communes ajoutées ({len(added)}) : " + ", ".join(f"{new_by_code[c]['nom']} ({c})"
                                                                         for c in added[:20]))
    if removed:
        lines.append(f"  communes disparues ({len(removed)}) : " + ", ".join(f"{old[c]['nom']} ({c})"
                                                                          for c in removed[:20]))
    renamed = [c for c in new_by_code if c in old and old[c]["nom"] != new_by_code[c]["nom"]]
    if renamed:
        lines.append(f"  communes renommées ({len(renamed)}) : " + ", ".join(
            f"{old[c]['nom']} → {new_by_code[c]['nom']}" for c in renamed[:20]))
    postal = [c for c in new_by_code if c in old and old[c]["codes_postaux"] != new_by_code[c]["codes_postaux"]]
    if postal:
        lines.append(f"  codes postaux modifiés : {len(postal)} commune(s)")
    moved = [c for c in new_by_code if c in old and haversine_km(
        float(old[c]["latitude"]), float(old[c]["longitude"]),
        float(new_by_code[c]["latitude"]), float(new_by_code[c]["longitude"])) > MOVED_KM]
    if moved:
        lines.append(f"  coordonnées déplacées de plus de {MOVED_KM:g} km : {len(moved)} commune(s)")
    return lines or ["  aucun changement"]


def refresh_communes(client: HttpClient, base_url: str, report: RefreshReport, dry_run: bool,
                     communes_file: Path = COMMUNES_FILE) -> None:
    current = {row["insee"]: row for row in _read_csv(communes_file)}
    try:
        payload = client.get_json(f"{base_url}/communes", params={
            "codeRegion": "76", "fields": "nom,code,codesPostaux,centre,codeDepartement,codeEpci,population",
            "format": "json", "geometry": "centre"})
        rows = parse_geo_communes(payload, current)
    except (ApiUnavailable, MalformedPayload) as error:
        report.errors.append(f"communes : {error}")
        return
    removed = len(set(current) - {row["insee"] for row in rows})
    if current and removed > MAX_REMOVED_SHARE * len(current):
        report.errors.append(f"communes : la réponse retire {removed} communes sur {len(current)}, "
                             "elle semble incomplète")
        return
    report.lines.append(f"Communes ({len(rows)} reçues) :")
    report.lines += diff_communes(current, rows)
    if not dry_run and [current.get(r["insee"]) for r in rows] != rows:
        _write_csv(communes_file, COMMUNE_FIELDS, rows)
        report.changed_files.append(communes_file.name)


# --- offices --------------------------------------------------------------------------------------------------


def _json_field(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except ValueError as error:
            raise MalformedPayload("champ JSON illisible") from error
        return parsed if isinstance(parsed, list) else [parsed]
    return []


def _hours(ranges: list[dict[str, Any]]) -> dict[str, str]:
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    hours: dict[str, str] = {}
    for item in ranges:
        first = str(item.get("nom_jour_debut", "")).lower()
        last = str(item.get("nom_jour_fin", first)).lower()
        if first not in days or last not in days:
            continue
        slots = []
        for index in (1, 2):
            start, end = item.get(f"valeur_heure_debut_{index}"), item.get(f"valeur_heure_fin_{index}")
            if start and end:
                slots.append(f"{str(start)[:5]} - {str(end)[:5]}")
        for day in days[days.index(first):days.index(last) + 1]:
            hours[day] = " / ".join(slots)
    return hours


def parse_office(record: dict[str, Any], office_type: str, today: str) -> dict[str, Any]:
    try:
        name = str(record["nom"])
        insee = str(record["code_insee_commune"])
    except KeyError as error:
        raise MalformedPayload(f"guichet sans {error}") from error
    addresses = _json_field(record.get("adresse"))
    address = next((a for a in addresses if "physique" in str(a.get("type_adresse", "")).lower()), None) or (
        addresses[0] if addresses else {})
    street = " ".join(str(address.get(k) or "") for k in ("numero_voie", "complement1")).strip()
    line = ", ".join(p for p in (street, f"{address.get('code_postal', '')} {address.get('nom_commune', '')}".strip())
                     if p)
    phones = _json_field(record.get("telephone"))
    sites = _json_field(record.get("site_internet"))
    return {
        "id": str(record.get("id") or f"{office_type}-{insee}-{name}")[:80], "type": office_type, "nom": name,
        "adresse": line, "commune_insee": insee, "departement": insee[:2],
        "latitude": address.get("latitude") or "", "longitude": address.get("longitude") or "",
        "telephone": phones[0].get("valeur", "") if phones else "",
        "email": str(record.get("adresse_courriel") or ""),
        "site": sites[0].get("valeur", "") if sites else "",
        "horaires": json.dumps(_hours(_json_field(record.get("plage_ouverture"))), ensure_ascii=False),
        # the office's own page on the Annuaire (never the directory's home page)
        "source": str(record.get("url_service_public") or ANNUAIRE_DATASET_PAGE), "verifie_le": today,
    }


def fetch_offices(client: HttpClient, base_url: str, office_type: str, pivot: str,
                  departement: str, today: str) -> list[dict[str, Any]]:
    offices = []
    for page in range(MAX_PAGES):
        payload = client.get_json(base_url + ANNUAIRE_RECORDS, params={
            "where": f'pivot LIKE "{pivot}" AND code_insee_commune LIKE "{departement}*"',
            "limit": PAGE_SIZE, "offset": page * PAGE_SIZE})
        if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
            raise MalformedPayload("réponse sans liste « results »")
        offices += [parse_office(record, office_type, today) for record in payload["results"]
                    if not str(record.get("nom", "")).lower().startswith("mairie déléguée")]
        if len(payload["results"]) < PAGE_SIZE:
            break
    return [o for o in offices if o["departement"] == departement]


def refresh_offices(client: HttpClient, base_url: str, report: RefreshReport, dry_run: bool,
                    today: str, offices_file: Path = OFFICES_FILE) -> None:
    types = yaml.safe_load(OFFICE_TYPES_FILE.read_text(encoding="utf-8"))
    current = {row["id"]: row for row in _read_csv(offices_file)}
    merged = dict(current)
    counts: dict[str, int] = {}
    failures_in_a_row = 0
    for office_type, pivot in types.items():
        for departement in OCCITANIE_DEPARTEMENTS:
            if failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                break
            try:
                offices = fetch_offices(client, base_url, office_type, pivot, departement, today)
                failures_in_a_row = 0
            except (ApiUnavailable, MalformedPayload) as error:
                report.errors.append(f"guichets {office_type} ({departement}) : {error}")
                failures_in_a_row += 1
                if failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                    report.errors.append("guichets : l'API ne répond pas, arrêt du rafraîchissement des guichets")
                continue
            for key in [k for k, row in merged.items() if row["type"] == office_type
                        and row["departement"] == departement]:
                del merged[key]
            for office in offices:
                merged[office["id"]] = office
            counts[office_type] = counts.get(office_type, 0) + len(offices)
    added = sorted(set(merged) - set(current))
    removed = sorted(set(current) - set(merged))
    updated = [k for k in merged if k in current and {f: current[k].get(f) for f in OFFICE_FIELDS if f != "verifie_le"}
               != {f: str(merged[k].get(f)) for f in OFFICE_FIELDS if f != "verifie_le"}]
    report.lines.append("Guichets de l'Annuaire de l'administration : " + (
        ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) or "aucun reçu"))
    report.lines.append(f"  ajoutés {len(added)}, retirés {len(removed)}, modifiés {len(updated)}")
    if not dry_run and (added or removed or updated):
        _write_csv(offices_file, OFFICE_FIELDS, sorted(merged.values(), key=lambda r: (r["type"], r["id"])))
        report.changed_files.append(offices_file.name)


def refresh(geo_url: str = GEO_URL, annuaire_url: str = ANNUAIRE_URL, dry_run: bool = False,
            client: HttpClient | None = None, today: dt.date | None = None,
            communes_file: Path = COMMUNES_FILE, offices_file: Path = OFFICES_FILE) -> RefreshReport:
    client = client or HttpClient()
    report = RefreshReport()
    refresh_communes(client, geo_url.rstrip("/"), report, dry_run, communes_file)
    refresh_offices(client, annuaire_url.rstrip("/"), report, dry_run, (today or dt.date.today()).isoformat(),
                    offices_file)
    report.errors += [line for line in client.log if "cache" in line]
    return report
