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
    assert {c.phone for c in national} >= {"39 39", "0 808 800 700"}


def test_contacts_text_is_plain_french():
    commune = load_index().get("81004")
    text = format_contacts(contacts_for(commune, "emploi"), commune.nom)
    assert text.startswith("Pour vous aider près de Albi")
    assert "<" not in text and "**" not in text
    assert "3949" in text
