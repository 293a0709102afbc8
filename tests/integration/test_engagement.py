"""Every engagement figure from the one query module, on a known world; the directory on a real Meilisearch."""

import json
from datetime import timedelta

import pytest

from domain.engagement import Figure
from domain.services.engagement import (
    directory_rows,
    directory_table,
    employer_engagement,
    engaged_employer_facts,
    network_dashboard,
    own_engagement,
)
from domain.tables import utcnow
from domain.validation import NotAllowed, NotFound
from search.directory import DirectoryQuery, directory_ids, search_directory
from search.matching import SearchUnavailable
from search.sync import drain
from tests.engagement_data import (
    EXPECTED,
    FREE_TEXT_REASON,
    IDENTITY_VALUES,
    MENTOR_VALUES,
    UNUSUAL_IDENTITIES,
    H,
    W,
    build_world,
)


@pytest.fixture
def world(session):
    return build_world(session)


def shown(figure) -> int | str:
    """A figure as the page shows it."""
    if isinstance(figure, Figure):
        return (H if figure.complementary else W) if figure.withheld else figure.value
    return figure


def evidence_dict(evidence) -> dict:
    return {key: shown(getattr(evidence, key)) for key in EXPECTED["care"]}


def test_each_employer_evidence_as_the_network_sees_it(session, world):
    care = employer_engagement(session, world.network, world.care.organisation_id)
    assert evidence_dict(care.evidence) == EXPECTED["care"]
    assert care.engaged and care.listed
    assert care.offer_types == ["paid_traineeship", "work_based_training"]
    assert [o.title for o in care.open_offers] == ["Zorgkundige (betaald)"]
    assert (care.profile.name, care.profile.sector, care.profile.municipality, care.profile.region,
            care.profile.province) == ("Zorghuis Anemoon", "Q", "Schaarbeek", "brussels", "")
    assert care.evidence.has_trained_mentors

    building = employer_engagement(session, world.network, world.building.organisation_id)
    assert evidence_dict(building.evidence) == EXPECTED["building"]
    assert building.offer_types == ["getting_to_know", "paid_traineeship"]
    assert (building.profile.municipality, building.profile.province) == ("Gent", "VOV")
    assert not building.evidence.has_trained_mentors


def test_employers_outside_the_directory_do_not_exist_for_the_network(session, world):
    for actor in (world.hidden, world.dormant):
        with pytest.raises(NotFound):
            employer_engagement(session, world.network, actor.organisation_id)
    with pytest.raises(NotFound):
        employer_engagement(session, world.network, world.network.organisation_id)  # not an employer
    with pytest.raises(NotAllowed):
        employer_engagement(session, world.care, world.building.organisation_id)


def test_an_employer_sees_its_own_page_listed_or_not(session, world):
    hidden = own_engagement(session, world.hidden)
    assert evidence_dict(hidden.evidence) == EXPECTED["hidden"]
    assert hidden.engaged and not hidden.listed
    dormant = own_engagement(session, world.dormant)
    assert evidence_dict(dormant.evidence) == EXPECTED["dormant"]
    assert not dormant.engaged and not dormant.listed and dormant.open_offers == []
    with pytest.raises(NotAllowed):
        own_engagement(session, world.network)


def test_the_dashboard_counts_every_stage_per_sector_and_per_offer_type(session, world):
    dashboard = network_dashboard(session, world.network)
    assert tuple(shown(f) for f in dashboard.total.stages) == EXPECTED["total"]
    assert {f.key: tuple(shown(x) for x in f.stages) for f in dashboard.by_sector} == EXPECTED["sector"]
    assert {f.key: tuple(shown(x) for x in f.stages) for f in dashboard.by_type} == EXPECTED["type"]
    assert dashboard.employers == EXPECTED["employers"]
    assert shown(dashboard.ended_early) == EXPECTED["ended_early"]
    assert [(reason, shown(f)) for reason, f in dashboard.end_reasons] == EXPECTED["end_reasons"]
    assert dashboard.since == (utcnow() - timedelta(days=365)).date()
    assert FREE_TEXT_REASON not in repr(dashboard)
    with pytest.raises(NotAllowed):
        network_dashboard(session, world.care)


def test_directory_rows_are_the_listed_employers_with_their_evidence(session, world):
    ids = [world.building.organisation_id, world.hidden.organisation_id, world.dormant.organisation_id,
           world.care.organisation_id]
    rows = directory_rows(session, world.network, ids)
    assert [r.profile.name for r in rows] == ["Bouwbedrijf Beton", "Zorghuis Anemoon"]
    table = directory_table(rows, lambda s: s)
    assert table[0][:3] == ["name", "sector", "sector_name"]
    assert table[1] == ["Bouwbedrijf Beton", "F", "Construction", "Gent", "East Flanders", "Flanders",
                        "Getting-to-know traineeship | Paid traineeship (BIO)", "1", "2", "<5", "0", "0", "0", "0", "0"]
    assert directory_table(rows, str.upper)[1][2:7] == ["CONSTRUCTION", "Gent", "EAST FLANDERS", "FLANDERS",
                                                         "GETTING-TO-KNOW TRAINEESHIP | PAID TRAINEESHIP (BIO)"]
    assert table[2] == ["Zorghuis Anemoon", "Q", "Human health and social work activities", "Schaarbeek", "",
                        "Brussels-Capital Region", "Paid traineeship (BIO) | Work-based training (IBO)", "1", "2",
                        "12", "6", "5", "<5", "<5", "<5"]  # mentors are people: 3 and 2 are withheld


def test_a_name_that_looks_like_a_formula_is_exported_as_text(session, world):
    from domain.tables import Organisation
    organisation = session.get(Organisation, world.care.organisation_id)
    organisation.name = "=HYPERLINK(\"http://evil\")"
    session.add(organisation)
    session.flush()
    rows = directory_rows(session, world.network, [world.care.organisation_id])
    assert directory_table(rows, lambda s: s)[1][0] == "'=HYPERLINK(\"http://evil\")"


def test_index_facts_decide_engagement_at_search_time(session, world):
    facts = engaged_employer_facts(session, [world.care.organisation_id, world.building.organisation_id,
                                             world.hidden.organisation_id, world.dormant.organisation_id])
    care, building = facts[world.care.organisation_id], facts[world.building.organisation_id]
    assert (care.live, care.has_trained_mentors, care.offer_types, care.open_offers, care.region, care.province) == (
        True, True, ["paid_traineeship", "work_based_training"], 1, "brussels", "")
    assert (building.live, building.has_trained_mentors, building.province) == (True, False, "VOV")
    assert facts[world.hidden.organisation_id].in_directory is False
    dormant = facts[world.dormant.organisation_id]
    assert dormant.live is False and dormant.last_engaged_at < utcnow() - timedelta(days=700)


# --- the directory on a real Meilisearch -------------------------------------------------------------

def _documents(search, index):
    return search.writer.index(search.index_name(index)).get_documents({"limit": 1000}).results


def test_directory_search_filters_and_counts_facets(session, connection, search, world):
    drain(connection, search)
    now = utcnow()

    everyone = search_directory(search, DirectoryQuery(), now)
    assert [e.name for e in everyone.entries] == ["Bouwbedrijf Beton", "Zorghuis Anemoon"]  # by name
    assert everyone.total == 2
    assert everyone.facets == {
        "sector": {"F": 1, "Q": 1},
        "area": {"brussels": 1, "flanders": 1, "VOV": 1},
        "type": {"getting_to_know": 1, "paid_traineeship": 2, "work_based_training": 1},
        "mentors": {"true": 1, "false": 1},
    }
    care = everyone.entries[1]
    assert (care.sector, care.municipality, care.region, care.offer_types, care.open_offers,
            care.has_trained_mentors) == ("Q", "Schaarbeek", "brussels",
                                          ["paid_traineeship", "work_based_training"], 1, True)

    brussels_care = search_directory(search, DirectoryQuery.parse(sectors=["Q"], areas=["brussels"]), now)
    assert [e.name for e in brussels_care.entries] == ["Zorghuis Anemoon"]
    # Each facet is counted with the other filters: the other places and sectors keep their counts.
    assert brussels_care.facets["area"] == {"brussels": 1}
    assert brussels_care.facets["sector"] == {"Q": 1}
    flanders = search_directory(search, DirectoryQuery.parse(areas=["VOV"]), now)
    assert [e.name for e in flanders.entries] == ["Bouwbedrijf Beton"]
    assert flanders.facets["area"] == {"brussels": 1, "flanders": 1, "VOV": 1}
    assert flanders.facets["sector"] == {"F": 1}

    assert [e.name for e in search_directory(search, DirectoryQuery.parse(q="Anemon"), now).entries] == [
        "Zorghuis Anemoon"]  # a typo
    assert [e.name for e in search_directory(search, DirectoryQuery.parse(q="Gent"), now).entries] == [
        "Bouwbedrijf Beton"]  # the municipality
    assert [e.name for e in search_directory(search, DirectoryQuery.parse(trained_mentors=True), now).entries] == [
        "Zorghuis Anemoon"]
    assert [e.name for e in search_directory(search, DirectoryQuery.parse(types=["getting_to_know"]), now).entries] \
        == ["Bouwbedrijf Beton"]
    assert directory_ids(search, DirectoryQuery.parse(sectors=["Q"]), now) == [world.care.organisation_id]


def test_an_employer_leaves_the_directory_when_its_engagement_grows_old(session, connection, search, world):
    drain(connection, search)
    in_a_year = utcnow() + timedelta(days=366)  # nothing written: the care home's open offer keeps it in
    assert [e.name for e in search_directory(search, DirectoryQuery(), in_a_year).entries] == [
        "Bouwbedrijf Beton", "Zorghuis Anemoon"]  # both have an open offer
    ids = {d.id for d in _documents(search, "employers")}
    assert world.hidden.organisation_id not in ids  # chose not to appear
    assert world.dormant.organisation_id in ids  # indexed, but filtered out as not engaged now
    assert world.dormant.organisation_id not in directory_ids(search, DirectoryQuery(), utcnow())


def test_unticking_the_directory_box_removes_the_employer(session, connection, search, world):
    from domain.organisations import OrganisationProfileInput
    from domain.services.organisations import own_organisation, update_profile
    drain(connection, search)
    profile = own_organisation(session, world.care).as_input()
    update_profile(session, world.care, OrganisationProfileInput(**{**profile.__dict__, "in_directory": False}))
    session.flush()
    drain(connection, search)
    assert world.care.organisation_id not in directory_ids(search, DirectoryQuery(), utcnow())


def test_no_candidate_or_mentor_value_reaches_the_employers_index(session, connection, search, world):
    drain(connection, search)
    documents = json.dumps([dict(d) for d in _documents(search, "employers")], default=str)
    assert "Zorghuis Anemoon" in documents
    for value in (*IDENTITY_VALUES, *MENTOR_VALUES, *world.candidate_refs, FREE_TEXT_REASON, "candidate"):
        assert value not in documents, value


def test_search_unavailable(search, meili):
    meili.stop()
    try:
        with pytest.raises(SearchUnavailable):
            search_directory(search, DirectoryQuery(), utcnow())
        with pytest.raises(SearchUnavailable):
            directory_ids(search, DirectoryQuery(), utcnow())
    finally:
        meili.restart()
    with pytest.raises(SearchUnavailable):
        search_directory(None, DirectoryQuery(), utcnow())


def test_a_mentor_nominated_through_the_services_reaches_the_directory(session, connection, search):
    """The whole way: interest, consent, placement and a trained mentor, each enqueueing the employer."""
    from domain.accounts import Role
    from domain.services.placements import nominate_mentor, start_placement
    from seed.builders import (
        accept,
        builder_links,
        candidate_login,
        make_candidate,
        make_employer,
        make_interest,
        make_offer,
        make_user,
        mentor_input,
    )

    employer = make_employer(session, organisation="Mentorhuis", postcode="1000")
    network = make_user(session, role=Role.NETWORK)
    offer_id = make_offer(session, employer, publish=True, postcode="1000", places=2)
    candidate = make_candidate(session, make_user(session, role=Role.COACH), identity=UNUSUAL_IDENTITIES[0])
    session.flush()
    drain(connection, search)
    query = DirectoryQuery.parse(trained_mentors=True)
    assert directory_ids(search, query, utcnow()) == []

    request = make_interest(session, employer, offer_id, candidate.ref)
    accepted = accept(session, candidate_login(session, candidate.id), request.id)
    nominate_mentor(session, employer, accepted.placement_id, mentor_input(name="Mentorina Flux"), links=builder_links())
    start_placement(session, employer, accepted.placement_id)
    session.flush()
    drain(connection, search)

    assert directory_ids(search, query, utcnow()) == [employer.organisation_id]
    page = employer_engagement(session, network, employer.organisation_id)
    assert evidence_dict(page.evidence) == {
        "offers": 1, "open_offers": 1, "placements_started": W, "placements_completed": 0, "hires": 0,
        "ibo_with_contract": 0, "mentors_nominated": W, "mentors_trained": W}
    documents = json.dumps([dict(d) for d in _documents(search, "employers")], default=str)
    for value in (*IDENTITY_VALUES, "Mentorina", candidate.ref):
        assert value not in documents, value
