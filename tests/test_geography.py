from bot.geography import haversine_km, load_index


def resolve(text: str):
    return load_index().resolve(text)


def test_all_communes_of_occitanie_are_known():
    index = load_index()
    assert len(index.by_insee) == 4446
    departements = {c.departement for c in index.by_insee.values()}
    assert departements == {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


def test_name_without_accents_hyphens_and_with_st():
    assert resolve("st gaudens").communes[0].insee == "31483"
    assert resolve("ST-GAUDENS").communes[0].insee == "31483"
    assert resolve("beziers").communes[0].insee == "34032"
    assert resolve("ste foy de peyrolieres").communes[0].insee == "31481"


def test_small_typos_are_tolerated_and_flagged():
    assert resolve("Toulous").communes[0].insee == "31555"
    assert resolve("Montpelier").communes[0].insee == "34172"
    assert resolve("perpigan").communes[0].insee == "66136"
    assert resolve("perpigan").fuzzy and not resolve("perpignan").fuzzy


def test_everyday_words_in_a_sentence_are_not_communes():
    assert resolve("'; DROP TABLE events; --").status == "unknown"
    assert resolve("je suis à la rue ce soir").status == "unknown"


def test_name_inside_a_sentence():
    result = resolve("j'habite à Villefranche-de-Rouergue depuis 3 ans")
    assert result.status == "ok" and result.communes[0].insee == "12300"
    assert resolve("vers Perpignan").communes[0].insee == "66136"


def test_insee_and_postal_codes():
    assert resolve("31555").communes[0].nom == "Toulouse"
    albi = resolve("81000")
    assert albi.status == "ok" and albi.communes[0].nom == "Albi"


def test_shared_postal_code_is_ambiguous_and_largest_first():
    result = resolve("31800")
    assert result.status == "ambiguous"
    assert result.communes[0].nom == "Saint-Gaudens"
    assert len(result.communes) > 5


def test_homonyms_are_ambiguous():
    result = resolve("Prades")
    assert result.status == "ambiguous"
    assert {c.departement for c in result.communes} == {"09", "66", "81"}


def test_commune_outside_occitanie():
    assert resolve("Paris").status == "outside"
    assert resolve("Lyon").status == "outside"
    assert resolve("75011").status == "outside"
    assert resolve("33000").status == "outside"


def test_unknown_and_empty_input():
    assert resolve("xyzzy").status == "unknown"
    assert resolve("").status == "unknown"
    assert resolve("   ").status == "unknown"
    assert resolve("a" * 10000).status == "unknown"


def test_haversine_toulouse_montpellier():
    distance = haversine_km(43.6045, 1.4440, 43.6108, 3.8767)
    assert 190 < distance < 200
