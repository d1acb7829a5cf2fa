import re

import pytest

from bot.catalogue import CatalogueError, is_home_page, load_scheme_files, parse_scheme
from bot.parameters import load_parameters
from bot.vocabulary import BESOINS

SCHEMES = load_scheme_files()


def test_at_least_fifteen_schemes_covering_all_needs_and_levels():
    assert len(SCHEMES) >= 15
    assert {need for s in SCHEMES for need in s.needs} == BESOINS
    assert {"national", "region", "departement"} <= {s.territory.level for s in SCHEMES}


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_scheme_has_an_official_source_a_date_and_a_way_to_claim(scheme):
    assert scheme.source.startswith(("https://", "http://"))
    if scheme.checked:  # verified on its page, with the sentences that say so
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", scheme.checked) and scheme.proofs
        assert not is_home_page(scheme.source)
    else:  # the person reads whom to confirm with
        assert scheme.to_confirm_with
    assert "39 39" not in scheme.how_to_apply.get("telephone", "")
    assert scheme.how_to_apply["organisme"]
    assert scheme.summary and len(scheme.summary) < 600
    rendered = " ".join([scheme.title, scheme.summary, scheme.amount_text or "", scheme.verification])
    assert "{" not in rendered, "a parameter placeholder was left unrendered"


def test_every_departement_has_a_housing_solidarity_fund():
    covered = {code for s in SCHEMES if s.id.startswith("fsl-") and s.territory.level == "departement"
               for code in s.territory.codes}
    assert covered == {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


def test_amounts_come_from_the_official_parameters():
    rsa = next(s for s in SCHEMES if s.id == "rsa")
    params = load_parameters()
    assert rsa.amount_value == params.value("rsa_montant_base")
    assert "651,69" in rsa.amount_text


def test_ended_apprentice_driving_licence_aid_is_not_offered():
    assert load_parameters().value("aide_permis_apprenti_montant") == 0
    assert not any("apprenti" in s.id and "permis" in s.id for s in SCHEMES)


def _valid() -> dict:
    return {"id": "test", "titre": "Test", "resume": "Résumé.", "besoins": ["logement"], "axe": "emploi",
            "territoire": {"niveau": "national"}, "demarche": {"organisme": "CAF"},
            "source": "https://www.caf.fr/allocataires/aides-et-demarches", "verifie_le": "2026-11-28",
            "preuves": [{"fait": "Test.", "page": "https://www.caf.fr/allocataires/aides-et-demarches",
                         "phrase": "« Test. »"}]}


@pytest.mark.parametrize("change, message", [
    ({"besoins": ["vacances"]}, "besoin"),
    ({"source": "caf.fr"}, "adresse web"),
    ({"verifie_le": "28/11/2026"}, "date"),
    ({"territoire": {"niveau": "departement"}}, "codes"),
    ({"conditions": [{"critere": "taille", "max": 2}]}, "critère inconnu"),
    ({"conditions": [{"critere": "age", "plafond": 2}]}, "clé"),
    # issue 14: a check is claimed only on a specific page, with the sentence read there
    ({"source": "https://www.service-public.fr"}, "page d'accueil"),
    ({"source": "https://www.caf.fr/", "canal_national": True}, "verifie_le » sans page précise"),
    ({"preuves": []}, "au moins une preuve"),
    ({"preuves": [{"fait": "x", "page": "https://www.caf.fr", "phrase": "« x »"}]}, "page d'accueil"),
    ({"preuves": [{"fait": "x", "page": "https://www.caf.fr/a"}]}, "phrase"),
    ({"a_confirmer": True}, "pas les deux"),
    ({"verifie_le": None}, "a_confirmer: true"),
    ({"verifie_le": None, "a_confirmer": True}, "a_confirmer_aupres_de"),
    ({"demarche": {"organisme": "CAF", "contact": "voisin"}}, "demarche.contact"),
])
def test_malformed_scheme_files_are_rejected_with_a_reason(change, message):
    data = {**_valid(), **change}
    with pytest.raises(CatalogueError, match=message):
        parse_scheme(data, load_parameters(), "test.yml")


@pytest.fixture
def schemes_copy(tmp_path):
    """A copy of the scheme files, to break one and see the loader refuse it."""
    import shutil

    from bot.paths import SCHEMES_DIR

    copy = tmp_path / "schemes"
    shutil.copytree(SCHEMES_DIR, copy)
    return copy


@pytest.mark.parametrize("breakage, message", [
    (lambda d: (d / "aveyron-lio-carte-solidarite.yml").write_text((d / "aveyron-lio-carte-solidarite.yml").read_text(
        encoding="utf-8").replace('codes: ["12"]', 'codes: ["13"]'), encoding="utf-8"),
     "aveyron-lio-carte-solidarite.yml: territoire"),
    (lambda d: (d / "rsa.yml").rename(d / "revenu.yml"), "revenu.yml: le nom du fichier"),
    (lambda d: (d / "ars.yml").write_text(re.sub(r"(?m)^verifie_le: .*$", 'verifie_le: "2099-01-01"', (
        d / "ars.yml").read_text(encoding="utf-8")), encoding="utf-8"), "ars.yml: verifie_le"),
])
def test_the_one_loader_refuses_what_the_check_refuses(schemes_copy, monkeypatch, breakage, message):
    """The loader that builds the database (make db, make run, the action server) and « catalogue check »
    are the same code: a broken record never reaches the assistant."""
    import bot.catalogue
    from bot.catalogue_check import check_catalogue
    from bot.store import build_database

    breakage(schemes_copy)
    assert any(e.startswith(message) for e in check_catalogue(schemes_copy).errors)
    monkeypatch.setattr(bot.catalogue, "SCHEMES_DIR", schemes_copy)
    with pytest.raises(CatalogueError, match=message):
        build_database("sqlite://")


def test_make_db_refuses_a_broken_catalogue_in_french(schemes_copy, monkeypatch, capsys):
    import bot.catalogue
    from bot.cli import main

    (schemes_copy / "rsa.yml").rename(schemes_copy / "revenu.yml")
    monkeypatch.setattr(bot.catalogue, "SCHEMES_DIR", schemes_copy)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert main(["db", "build"]) != 0
    assert "revenu.yml: le nom du fichier" in capsys.readouterr().err


def test_a_family_gives_one_record_per_departement_with_its_own_facts():
    from bot.catalogue import FAMILIES_DIR, family_schemes

    for name, count in (("fsl.yml", 13), ("faj.yml", 13)):
        schemes = family_schemes(FAMILIES_DIR / name)
        assert len(schemes) == count
        for where, data in schemes:
            code = data["id"].split("-")[1]
            assert data["territoire"]["codes"] == [code]
            assert "{de_departement}" not in str(data), where
    herault = dict(family_schemes(FAMILIES_DIR / "fsl.yml"))["familles/fsl.yml (34)"]
    assert herault["titre"] == "Fonds de solidarité pour le logement (FSL) de l'Hérault"
    assert herault["demarche"]["en_ligne"] == herault["source"] == "https://herault.fr/402-aide-financiere.htm"
    gers = dict(family_schemes(FAMILIES_DIR / "fsl.yml"))["familles/fsl.yml (32)"]
    assert "en_ligne" not in gers["demarche"]  # « null » in a variant removes a field


def test_a_broken_family_file_names_the_file_and_the_departement(tmp_path):
    from bot.catalogue import check_scheme_files

    (tmp_path / "schemes").mkdir()
    (tmp_path / "familles").mkdir()
    (tmp_path / "familles" / "x.yml").write_text(
        "famille: x\nmodele: {titre: 'X {de_departement}'}\ndepartements:\n  - {code: '13', de_departement: du Nord, "
        "variante: aucune}\n", encoding="utf-8")
    _, errors = check_scheme_files(tmp_path / "schemes")
    assert errors == ["familles/x.yml (13): variante inconnue « aucune »"]


def test_a_record_not_verified_says_whom_to_confirm_with():
    data = {**_valid(), "verifie_le": None, "a_confirmer": True, "a_confirmer_aupres_de": "la CAF",
            "source": "https://www.caf.fr", "canal_national": True, "preuves": []}
    record = parse_scheme(data, load_parameters(), "test.yml")
    assert record.checked is None and record.to_confirm_with == "la CAF" and record.national_channel


def test_home_pages_are_told_apart_from_specific_pages():
    assert is_home_page("https://www.service-public.fr") and is_home_page("https://www.caf.fr/")
    assert not is_home_page("https://www.service-public.fr/particuliers/vosdroits/F12242")
    assert not is_home_page("https://lannuaire.service-public.fr/recherche?whoWhat=MDPH")


def test_no_record_claims_a_check_on_a_home_page_or_without_its_sentence():
    """Issue 14: « vérifié le » only where the specific page was read, with the sentence it states."""
    for scheme in SCHEMES:
        if scheme.checked:
            assert scheme.proofs, scheme.id
            assert all(p.sentence and not is_home_page(p.page) for p in scheme.proofs), scheme.id


def test_the_catalogue_covers_the_pacte_with_at_least_110_schemes():
    assert len(SCHEMES) >= 110
    assert {s.axis for s in SCHEMES} == {"enfance", "emploi", "acces_aux_droits", "transition_ecologique"}


def test_a_sample_draws_from_different_records_before_a_second_fact_of_one():
    from bot.catalogue_check import sample_proofs

    verified = [s for s in SCHEMES if s.checked]
    drawn = sample_proofs(SCHEMES, 20, seed=3)
    assert len(drawn) == min(20, sum(len(s.proofs) for s in verified))
    ids = [record.id for record, _ in drawn]
    assert len(set(ids)) == min(20, len(verified))
    assert all(record.checked for record, _ in drawn)
    assert drawn == sample_proofs(SCHEMES, 20, seed=3)
