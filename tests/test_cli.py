"""The command-line contracts: JSON on stdout and exit 0, or exit 2 with a French message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EXAMPLE = {"commune": "31555", "age": 32, "adultes": 1, "enfants": [4], "logement": "locataire",
           "activite": "salarie", "ressources_mensuelles": 1200, "besoins": ["logement"]}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ}, timeout=120)


def test_match_from_stdin():
    result = run("match", "-", stdin=json.dumps(EXAMPLE))
    assert result.returncode == 0, result.stderr
    schemes = json.loads(result.stdout)["schemes"]
    ids = [s["id"] for s in schemes]
    assert "aides-logement" in ids and "fsl-toulouse-metropole" in ids
    first = schemes[0]
    assert set(first) >= {"id", "title", "reasons", "amount", "how_to_apply", "source"}
    assert first["reasons"]


def test_match_from_file(tmp_path):
    path = tmp_path / "situation.json"
    path.write_text(json.dumps({**EXAMPLE, "besoins": ["emploi"], "ressources_mensuelles": 0,
                                "activite": "demandeur_emploi"}), encoding="utf-8")
    result = run("match", str(path))
    assert result.returncode == 0
    assert "rsa" in [s["id"] for s in json.loads(result.stdout)["schemes"]]


@pytest.mark.parametrize("payload, message", [
    ('{"age": 32, "couleur": "bleu"}', "Clé(s) inconnue(s)"),
    ('{"logement": "chateau"}', "logement"),
    ('{"age": 300}', "age"),
    ('{"ressources_mensuelles": -5}', "ressources"),
    ('{"besoins": ["vacances"]}', "Besoin"),
    ('{"commune": "Paris"}', "pas en Occitanie"),
    ("not json", "JSON invalide"),
    ("[1, 2]", "objet JSON"),
])
def test_match_bad_input_exits_2_with_french_message(payload, message):
    result = run("match", "-", stdin=payload)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_match_missing_file():
    result = run("match", "/nonexistent/situation.json")
    assert result.returncode == 2 and "Impossible de lire" in result.stderr


@pytest.mark.parametrize("text, status, first", [
    ("st gaudens", "ok", "Saint-Gaudens"), ("31800", "ambiguous", "Saint-Gaudens"),
    ("Paris", "outside", "Paris"), ("zzzz", "unknown", None), ("Toulouze", "ok", "Toulouse"),
])
def test_commune(text, status, first):
    result = run("commune", text)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["status"] == status
    if first:
        assert data["communes"][0]["nom"] == first
        assert set(data["communes"][0]) >= {"insee", "nom", "departement"}


def test_contacts_gives_three_france_services_and_the_caf():
    result = run("contacts", "Millau", "--besoin", "logement")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["commune"]["insee"] == "12145"
    contacts = data["contacts"]
    france_services = [c for c in contacts if c["type"] == "france_services"]
    assert len(france_services) == 3
    distances = [c["distance_km"] for c in france_services]
    assert distances == sorted(distances)
    assert all(c["phone"] and c["address"] and c["source"] for c in france_services)
    caf = [c for c in contacts if c["type"] == "caf"]
    assert caf and caf[0]["phone"] == "3230"


@pytest.mark.parametrize("args, message", [
    (["contacts", "Prades"], "plusieurs communes"),
    (["contacts", "Lyon"], "pas en Occitanie"),
    (["contacts", "Albi", "--besoin", "vacances"], "besoin inconnu"),
    (["frobnicate"], "commande incorrecte"),
])
def test_contacts_bad_input(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_verify_sample_prints_facts_with_their_page_and_sentence_and_repeats_with_its_seed():
    first = run("catalogue", "sample", "--nombre", "20", "--graine", "7")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("   Page : https://") == 20
    assert first.stdout.count("   Phrase : ") == 20
    assert "graine 7" in first.stdout
    assert run("catalogue", "sample", "--nombre", "20", "--graine", "7").stdout == first.stdout
    assert run("catalogue", "sample", "--nombre", "20", "--graine", "8").stdout != first.stdout


def test_urgence_shows_the_rule_and_the_help_of_the_day():
    result = run("urgence", "l'huissier est passé pour mes loyers", "--commune", "Cahors")
    assert result.returncode == 0, result.stderr
    assert "Situation : expulsion" in result.stdout and "0 805 160 075" in result.stdout
    assert "aucune règle" in run("urgence", "je cherche une crèche").stdout.lower()
    wrong = run("urgence", "plus de courant", "--commune", "Xyzzz")
    assert wrong.returncode == 2 and "Erreur" in wrong.stderr
