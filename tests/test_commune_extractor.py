"""The NLU component that finds communes in free text (components/commune_extractor.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def extract(commune_entities):
    return lambda text: [{k: e[k] for k in ("value", "role")} for e in commune_entities(text)]


@pytest.mark.parametrize("text, value", [
    ("j'habite à st gaudens", "31483"),
    ("je cherche un logement vers Perpignan", "66136"),
    ("on vit à VILLEFRANCHE DE ROUERGUE avec les enfants", "12300"),
    ("je suis à Lourdes", "65286"),
    ("Toulouse", "31555"),
])
def test_commune_names_in_free_text(extract, text, value):
    assert extract(text) == [{"value": value, "role": "insee"}]


def test_shared_postal_code_and_homonyms_are_ambiguous(extract):
    assert extract("mon code postal c'est 31800") == [{"value": "31800", "role": "ambiguous"}]
    assert extract("j'habite à Prades") == [{"value": "Prades", "role": "ambiguous"}]


def test_commune_outside_occitanie(extract):
    assert extract("je vis à Lyon") == [{"value": "Lyon", "role": "outside"}]


@pytest.mark.parametrize("text", ["les factures sont lourdes", "je n'ai plus de gaz", "j'ai 3 enfants de 2 ans",
                                  "il me frappe", "x" * 10000, "😀😀"])
def test_everyday_words_are_not_communes(extract, text):
    assert extract(text) == []


@pytest.mark.parametrize("text", [
    "j'ai quarante ans et je cherche du travail",
    "je cherche une aide pour la garde de mon fils",
    "les salles de bain de mon logement sont insalubres",
    "j'ai 30000 euros de dettes de loyer",
    "12000 par an",
    "j'ai 66000 € de pret immo",
    "il a le martinet facile",
])
def test_words_and_amounts_are_not_places(extract, text):
    assert extract(text) == []


def test_a_place_after_a_cue_is_kept_and_everyday_words_beside_it_are_not(extract):
    # « crèche » is a commune of Deux-Sèvres, but only « à Albi » names a place; it is confirmed (group)
    assert extract("aide pour payer la crèche à Albi") == [{"value": "81004", "role": "insee"}]


def test_a_name_and_its_postal_code_are_one_place(extract):
    assert extract("j'habite aux Angles 66210") == [{"value": "66004", "role": "insee"}]


@pytest.mark.parametrize("text, group", [
    ("j'habite à Albi", "sur"), ("Albi", "sur"), ("je cherche un logement à Albi", "a_confirmer"),
    ("j'habite à Quarante", "sur"), ("j'habite à quarante", "a_confirmer"),
])
def test_only_a_clear_cue_spares_the_confirmation(commune_entities, text, group):
    assert [e["group"] for e in commune_entities(text)] == [group]
