import pytest

from bot.eligibility import NEAR_CEILING, Place, household_rsa_factor, match_schemes, resource_ceiling
from bot.parameters import load_parameters
from bot.service import cached_schemes
from bot.situation import Situation

TOULOUSE = Place(insee="31555", departement="31", epci="243100518")
SAINT_GAUDENS = Place(insee="31483", departement="31", epci="200072643")
CARCASSONNE = Place(insee="11069", departement="11", epci="200035715")
MENDE = Place(insee="48095", departement="48", epci="200068492")
MONTAUBAN = Place(insee="82121", departement="82", epci="248200099")


def ids(situation: Situation, place: Place | None) -> list[str]:
    return [m.scheme.id for m in match_schemes(cached_schemes(), situation, place, load_parameters())]


def by_id(situation: Situation, place: Place | None):
    return {m.scheme.id: m for m in match_schemes(cached_schemes(), situation, place, load_parameters())}


@pytest.mark.parametrize("adults, children, factor", [
    (1, 0, 1.0), (2, 0, 1.5), (1, 1, 1.5), (1, 2, 1.8), (1, 3, 2.2), (2, 1, 1.8), (2, 2, 2.1), (2, 3, 2.5),
])
def test_rsa_household_scale_follows_the_law(adults, children, factor):
    assert household_rsa_factor(adults, children) == pytest.approx(factor)


def test_single_person_without_income_gets_rsa_with_reasons():
    situation = Situation(age=40, adultes=1, enfants=[], ressources_mensuelles=(0, 0), besoins=["emploi"],
                          activite="sans_activite")
    match = by_id(situation, MENDE)["rsa"]
    assert match.sure
    assert "vous avez 25 ans ou plus" in match.reasons
    assert any("plafond" in reason for reason in match.reasons)


def test_rsa_excluded_above_the_household_ceiling_and_for_young_people_without_child():
    rich = Situation(age=40, adultes=1, enfants=[], ressources_mensuelles=(2500, 2500), besoins=["emploi"])
    assert "rsa" not in ids(rich, MENDE)
    young = Situation(age=22, adultes=1, enfants=[], ressources_mensuelles=(0, 0), besoins=["emploi"])
    assert "rsa" not in ids(young, MENDE)
    young_parent = Situation(age=22, adultes=1, enfants=[1], ressources_mensuelles=(0, 0), besoins=["emploi"])
    assert "rsa" in ids(young_parent, MENDE)


def test_unknown_answers_make_a_scheme_possible_and_name_the_question():
    situation = Situation(besoins=["emploi"])
    match = by_id(situation, None)["rsa"]
    assert not match.sure
    assert "ressources_mensuelles" in match.missing


def test_resource_band_straddling_the_ceiling_is_possible_and_says_what_to_check():
    situation = Situation(age=40, adultes=1, enfants=[], ressources_mensuelles=(500, 1000), besoins=["emploi"])
    match = by_id(situation, MENDE)["rsa"]
    assert not match.sure and NEAR_CEILING in match.to_confirm


def test_near_a_ceiling_an_estimate_never_excludes():
    """The catalogue's own ceiling (used when the engine cannot compute): 10 % above it is still « possible »."""
    ceiling = resource_ceiling("rsa", Situation(adultes=1, enfants=[]), load_parameters())
    assert ceiling is not None
    just_above = Situation(age=40, adultes=1, enfants=[], ressources_mensuelles=(ceiling * 1.05,) * 2,
                           besoins=["emploi"])
    match = by_id(just_above, MENDE)["rsa"]
    assert not match.sure and NEAR_CEILING in match.to_confirm
    well_above = Situation(age=40, adultes=1, enfants=[], ressources_mensuelles=(ceiling * 1.2,) * 2,
                           besoins=["emploi"])
    assert "rsa" not in by_id(well_above, MENDE)


def test_ars_ceiling_counts_every_child():
    """The ARS base ceiling is raised by 30 % per child, the first one included (1 child: base x 1.3)."""
    params = load_parameters()
    one_child = resource_ceiling("ars", Situation(adultes=1, enfants=[8]), params)
    assert one_child == pytest.approx(params.value("ars_plafond_1_enfant") * 1.3 / 12)


def test_cheque_energie_ceiling_is_on_the_reference_tax_income():
    """A person alone on a 950 € pension: about 10,260 € of revenu fiscal de référence, under the ceiling."""
    pensioner = Situation(age=70, adultes=1, enfants=[], logement="locataire", activite="retraite",
                          ressources_mensuelles=(950, 950), besoins=["energie"])
    assert "cheque-energie" in by_id(pensioner, MENDE)


def test_local_schemes_follow_the_territory():
    tenant = Situation(logement="locataire", besoins=["logement"])
    assert "fsl-toulouse-metropole" in ids(tenant, TOULOUSE)
    assert "fsl-31" not in ids(tenant, TOULOUSE)  # Toulouse Métropole runs its own FSL
    assert "fsl-31" in ids(tenant, SAINT_GAUDENS)
    assert "fsl-48" in ids(tenant, MENDE)
    assert "fsl-11" not in ids(tenant, MENDE)


def test_commune_level_scheme():
    young = Situation(age=19, permis=False, besoins=["mobilite"])
    assert "carcassonne-bourse-permis" in ids(young, CARCASSONNE)
    assert "carcassonne-bourse-permis" not in ids(young, MENDE)
    assert "carcassonne-bourse-permis" not in ids(Situation(age=19, permis=True, besoins=["mobilite"]), CARCASSONNE)


def test_single_parent_childcare_until_twelve_years():
    single = Situation(adultes=1, enfants=[8], besoins=["garde_enfants"], activite="salarie")
    assert "cmg" in ids(single, MENDE)
    couple = Situation(adultes=2, enfants=[8], besoins=["garde_enfants"], activite="salarie")
    assert "cmg" not in ids(couple, MENDE)
    toddler = Situation(adultes=2, enfants=[2], besoins=["garde_enfants"])
    assert by_id(toddler, MENDE)["cmg"].reasons == ["vous avez un enfant de moins de 6 ans"]


def test_agepi_for_single_job_seekers_with_young_children():
    situation = Situation(adultes=1, enfants=[4], activite="demandeur_emploi", besoins=["garde_enfants"])
    match = by_id(situation, MENDE)["agepi"]
    assert match.sure
    assert "vous élevez seul(e) vos enfants" in match.reasons


def test_ranking_puts_sure_before_possible_and_filters_by_need():
    situation = Situation(age=30, adultes=1, enfants=[], logement="locataire", activite="salarie",
                          besoins=["logement"])
    matches = match_schemes(cached_schemes(), situation, TOULOUSE, load_parameters())
    assert all("logement" in m.scheme.needs for m in matches)
    sure_flags = [m.sure for m in matches]
    assert sure_flags == sorted(sure_flags, reverse=True)


def test_homeless_person_gets_the_115_first():
    situation = Situation(age=45, adultes=1, enfants=[], logement="sans_logement", besoins=["logement"])
    assert ids(situation, MENDE)[0] == "urgence-115"


def test_a_condition_the_answers_make_impossible_excludes_the_aid():
    """Issue 15: 5 years of work cannot be checked, but at 19 it is impossible: no ASS. It stays proposed
    (to confirm) when the answers leave it possible, and the unknown fact never becomes a question."""
    from bot.eligibility import unmet_conditions

    young = Situation(age=19, adultes=1, enfants=[], activite="demandeur_emploi", besoins=["emploi"],
                      ressources_mensuelles=(0, 0))
    assert "ass" not in ids(young, MONTAUBAN)
    ass = next(s for s in cached_schemes() if s.id == "ass")
    assert unmet_conditions(ass, young, MONTAUBAN, load_parameters()) == [
        "il faut avoir travaillé 5 ans, ce qui n'est pas possible avant 21 ans"]
    older = Situation(age=45, adultes=1, enfants=[], activite="demandeur_emploi", besoins=["emploi"],
                      ressources_mensuelles=(0, 0))
    assert "5 ans de travail" in " ".join(by_id(older, MONTAUBAN)["ass"].to_confirm)
    unknown_age = Situation(adultes=1, enfants=[], activite="demandeur_emploi", besoins=["emploi"])
    assert by_id(unknown_age, MONTAUBAN)["ass"].missing == []  # proposed; the age is not asked for it


def test_a_new_lease_guarantee_is_not_offered_for_rent_arrears():
    behind = Situation(age=34, adultes=1, enfants=[5], logement="locataire", impaye=True, activite="salarie",
                       ressources_mensuelles=(1100, 1100), besoins=["logement"])
    assert not {"visale", "loca-pass"} & set(ids(behind, TOULOUSE))
    moving = Situation(age=24, adultes=1, enfants=[], logement="heberge", impaye=False, activite="salarie",
                       ressources_mensuelles=(1100, 1100), besoins=["logement"])
    assert {"visale", "loca-pass"} <= set(ids(moving, TOULOUSE))


def test_impossible_si_needs_its_reason():
    from bot.catalogue import CatalogueError, parse_scheme

    data = {"id": "x", "titre": "X", "resume": "r", "besoins": ["emploi"], "axe": "emploi",
            "territoire": {"niveau": "national"}, "demarche": {"organisme": "CAF"},
            "source": "https://www.caf.fr", "canal_national": True, "a_confirmer": True,
            "a_confirmer_aupres_de": "la CAF",
            "conditions": [{"critere": "a_confirmer", "texte": "t", "impossible_si": {"critere": "age", "max": 20}}]}
    with pytest.raises(CatalogueError, match="impossible_si"):
        parse_scheme(data, load_parameters(), "x.yml")


def test_what_to_do_first_comes_first_among_sure_aids():
    """en_premier_si: the FSL before the housing aid for rent arrears; the same person without arrears keeps
    the usual order (priority)."""
    behind = Situation(age=40, adultes=1, enfants=[], logement="locataire", impaye=True, activite="salarie",
                       ressources_mensuelles=(900, 900), besoins=["logement"])
    matches = match_schemes(cached_schemes(), behind, SAINT_GAUDENS, load_parameters())
    assert matches[0].scheme.id == "fsl-31" and matches[0].first
    up_to_date = Situation(age=40, adultes=1, enfants=[], logement="locataire", impaye=False, activite="salarie",
                           ressources_mensuelles=(900, 900), besoins=["logement"])
    matches = match_schemes(cached_schemes(), up_to_date, SAINT_GAUDENS, load_parameters())
    assert not any(m.first for m in matches) and matches[0].scheme.id != "fsl-31"
