from bot.contacts import contacts_for
from bot.formatting import format_contacts
from bot.geography import load_index


def test_nearest_france_services_in_several_departements():
    for insee in ("09122", "30189", "46042", "65440", "82121"):
        commune = load_index().get(insee)
        contacts = contacts_for(commune)
        france_services = [c for c in contacts if c.type == "france_services"]
        assert len(france_services) == 3
        assert france_services[0].distance_km < 40
        caf = [c for c in contacts if c.type == "caf"]
        assert len(caf) == 1 and caf[0].phone == "3230"


def test_national_channel_is_marked_and_given_for_the_need():
    commune = load_index().get("34172")
    contacts = contacts_for(commune, "energie")
    national = [c for c in contacts if c.national]
    assert "0 808 800 700" in {c.phone for c in national}


def test_allo_service_public_only_for_the_topics_it_answers():
    """39 39 is not a catch-all (issue 14): only for the needs its own record lists."""
    commune = load_index().get("34172")
    for need in ("energie", "mobilite", "garde_enfants", "emploi", "alimentation"):
        assert "39 39" not in {c.phone for c in contacts_for(commune, need)}, need


def test_contacts_text_is_plain_french():
    commune = load_index().get("81004")
    text = format_contacts(contacts_for(commune, "emploi"), commune.nom)
    assert text.startswith("Pour vous aider près d'Albi")
    assert "<" not in text and "**" not in text
    assert "3949" in text


def types_of(contacts):
    return [c.type for c in contacts]


def test_each_need_gets_its_offices_in_several_departements():
    for insee in ("09122", "11069", "34172", "48095", "66136", "81004"):
        commune = load_index().get(insee)
        logement = types_of(contacts_for(commune, "logement"))
        assert logement[:3] == ["france_services"] * 3
        assert {"mairie", "departement_social", "caf", "adil"} <= set(logement)
        assert "france_renov" in types_of(contacts_for(commune, "energie"))
        assert "petite_enfance" in types_of(contacts_for(commune, "garde_enfants"))
        assert {"france_travail", "cpam"} <= set(types_of(contacts_for(commune, "emploi")))


def test_town_hall_of_the_persons_commune_with_its_ccas():
    commune = load_index().get("12202")
    hall = next(c for c in contacts_for(commune, "alimentation") if c.type == "mairie")
    assert hall.name == "Mairie de Rodez"
    assert hall.phone and hall.address and "CCAS" in hall.note
    assert hall.source.startswith("https://www.data.gouv.fr/")


def test_mission_locale_only_for_young_people_and_115_only_without_home():
    commune = load_index().get("30189")
    assert "mission_locale" in types_of(contacts_for(commune, "emploi", age=22))
    assert "mission_locale" not in types_of(contacts_for(commune, "emploi", age=40))
    assert "urgence_sociale" not in types_of(contacts_for(commune, "logement"))
    assert "urgence_sociale" in types_of(contacts_for(commune, "logement", sans_logement=True))
    assert "msa" in types_of(contacts_for(commune, "mobilite", msa=True))


def test_unverified_local_details_fall_back_to_marked_national_channels():
    commune = load_index().get("81004")  # Albi: no page read gives the Tarn's ADIL
    contacts = contacts_for(commune, "logement")
    adil = next(c for c in contacts if c.type == "adil")
    assert adil.national and adil.address is None
    lot = next(c for c in contacts_for(load_index().get("46042"), "logement") if c.type == "adil")
    assert not lot.national and lot.phone == "05 65 35 25 41" and lot.checked  # read on the Caf du Lot's page
    departement = next(c for c in contacts if c.type == "departement_social")
    assert departement.phone != "39 39" and departement.source.startswith("https://")


def test_every_sampled_commune_and_need_gets_sourced_offices_or_a_national_fallback():
    from bot.vocabulary import BESOINS

    communes = sorted(load_index().by_insee.values(), key=lambda c: c.insee)[::20]
    for commune in communes:
        for need in sorted(BESOINS):
            contacts = contacts_for(commune, need)
            assert [c.type for c in contacts[:3]] == ["france_services"] * 3, commune.insee
            assert all(c.distance_km is not None and c.latitude is not None for c in contacts[:3])
            assert len(contacts) >= 5
            for contact in contacts:
                assert contact.source.startswith("https://"), (commune.insee, contact.name)
                reachable = contact.phone or contact.web or contact.email or contact.address
                assert reachable, (commune.insee, contact.name)


def test_a_scheme_can_send_the_person_to_their_own_town_hall_or_departement_office():
    from bot.contacts import office_for

    rodez = load_index().get("12202")
    hall = office_for("mairie", rodez)
    assert hall is not None and hall.name == "Mairie de Rodez" and hall.phone
    france_services = office_for("france_services", rodez)
    assert france_services is not None and france_services.distance_km is not None
    assert office_for("departement_social", rodez).name.endswith("Aveyron")
