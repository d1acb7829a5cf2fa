"""The reviewed contact files: a source for every contact, and an honest verification status (issue 14)."""

import pytest

from bot.contact_files import CONTACT_FILES, check_contact_file


@pytest.mark.parametrize("path", CONTACT_FILES, ids=lambda p: p.name)
def test_every_shipped_contact_file_is_valid(path):
    records, errors = check_contact_file(path)
    assert errors == []
    for record in records:
        assert "39 39" not in str(record.data.get("telephone", "")) or record.key == "national-3939"


def _check(tmp_path, text):
    path = tmp_path / "contacts.yml"
    path.write_text(text, encoding="utf-8")
    return check_contact_file(path)


@pytest.mark.parametrize("text, message", [
    ('- {departement: "09", nom: X, a_confirmer: true}', "sans « source »"),
    ('- {departement: "09", nom: X, source: "https://ariege.fr", a_confirmer: true}', "page d'accueil"),
    ('- {departement: "09", nom: X, source: "https://ariege.fr", canal_national: true, verifie_le: "2026-11-01",'
     ' verification: lu}', "sans page précise"),
    ('- {departement: "09", nom: X, source: "https://ariege.fr/a"}', "a_confirmer: true"),
    ('- {departement: "09", nom: X, source: "https://ariege.fr/a", verifie_le: "2026-11-01"}', "verification"),
    ('- {nom: X, source: "https://ariege.fr/a", a_confirmer: true}', "« id » ou un « departement »"),
])
def test_a_contact_without_a_specific_source_or_status_is_refused(tmp_path, text, message):
    records, errors = _check(tmp_path, text)
    assert records == [] and len(errors) == 1 and message in errors[0]


def test_a_national_channel_may_cite_its_home_page_when_not_claiming_a_check(tmp_path):
    records, errors = _check(tmp_path, '- {id: n, nom: X, source: "https://www.caf.fr", canal_national: true, '
                                       'a_confirmer: true}')
    assert errors == [] and records[0].checked is None and records[0].national_channel
