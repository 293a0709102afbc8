"""Matching against a real Meilisearch: outbox sync, hard filters, ranking, explanations, privacy."""

import json

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.offers import EducationLevel, LanguageRequirement, OfferType
from domain.services.candidates import profile_facts, update_candidate_profile
from domain.services.offers import change_status, offer_facts
from domain.tables import OutboxEntry, Skill
from search.matching import SearchUnavailable, match_candidates, match_offers
from search.sync import drain, drain_once, reindex
from seed.builders import make_candidate, make_employer, make_offer, make_user, profile_input


@pytest.fixture
def skills(session):
    uris = session.exec(select(Skill.uri).order_by(Skill.uri).limit(12)).all()
    assert len(uris) == 12
    return uris


@pytest.fixture
def employer(session):
    return make_employer(session, postcode="9000")


@pytest.fixture
def coach(session):
    return make_user(session, role=Role.COACH)


def _documents(search, index):
    return search.writer.index(search.index_name(index)).get_documents({"limit": 1000}).results


def test_published_offers_reach_the_index_and_leave_it_when_paused(session, connection, search, employer, skills):
    published = make_offer(session, employer, publish=True, skills=[(skills[0], True)])
    draft = make_offer(session, employer, title="Still a draft", skills=[(skills[1], True)])
    session.flush()
    drain(connection, search)
    ids = {doc.id for doc in _documents(search, "offers")}
    assert published in ids and draft not in ids

    change_status(session, employer, published, "pause")
    session.flush()
    drain(connection, search)
    assert published not in {doc.id for doc in _documents(search, "offers")}


def test_candidates_are_ranked_by_skill_fit_and_explained(session, connection, search, employer, coach, skills):
    essential, optional = skills[:3], skills[3:5]
    offer_id = make_offer(session, employer, publish=True, postcode="9000",
                          languages=[LanguageRequirement("nl", "B1")], education_min=EducationLevel.BACHELOR,
                          skills=[(s, True) for s in essential] + [(s, False) for s in optional])
    full = make_candidate(session, coach, skills=essential + optional, postcode="9000")
    partial = make_candidate(session, coach, skills=essential[:1] + optional[:1] + skills[6:8], postcode="9820")  # Merelbeke
    unrelated = make_candidate(session, coach, skills=skills[8:10], postcode="9000")
    too_far = make_candidate(session, coach, skills=essential, postcode="8400", max_commute_km=20)  # Oostende
    no_dutch = make_candidate(session, coach, skills=essential, languages=[("fr", "C1")])
    wrong_type = make_candidate(session, coach, skills=essential, accepted_offer_types=[OfferType.GETTING_TO_KNOW])
    under_educated = make_candidate(session, coach, skills=essential, education_level=EducationLevel.SECONDARY)
    session.flush()
    drain(connection, search)

    offer = offer_facts(session, [offer_id])[offer_id]
    matches = match_candidates(search, offer)
    refs = [m.ref for m in matches]
    assert refs[:2] == [full.ref, partial.ref]
    for excluded in (unrelated, too_far, no_dutch, wrong_type, under_educated):
        assert excluded.ref not in refs

    best, second = matches[0].explanation, matches[1].explanation
    assert best.score == 1.0 and best.essential_missing == () and best.languages_ok
    assert set(best.essential_covered) == set(essential) and set(best.optional_covered) == set(optional)
    assert second.essential_covered == (essential[0],)
    assert set(second.essential_missing) == set(essential[1:])
    assert 0 < second.score < best.score
    assert second.distance_km is not None and 0 < second.distance_km < 30


def test_offers_for_a_candidate_respect_their_commute_and_languages(session, connection, search, employer, coach, skills):
    near = make_offer(session, employer, publish=True, postcode="9000", skills=[(skills[0], True), (skills[1], True)])
    far = make_offer(session, employer, publish=True, postcode="3500", skills=[(skills[0], True)])  # Hasselt
    french_c2 = make_offer(session, employer, publish=True, postcode="9000", skills=[(skills[0], True)],
                           languages=[LanguageRequirement("fr", "C2")])
    candidate = make_candidate(session, coach, skills=skills[:2], postcode="9000", max_commute_km=25)
    session.flush()
    drain(connection, search)

    matches = match_offers(search, profile_facts(session, [candidate.id])[candidate.id])
    assert [m.offer_id for m in matches] == [near]
    assert far not in [m.offer_id for m in matches] and french_c2 not in [m.offer_id for m in matches]
    assert matches[0].explanation.score == 1.0


UNUSUAL = dict(given_name="Zyxquorra", family_name="Vlumptonikh", email="zyx.vlump@nowhere-qq.be",
               phone="+32 499 87 65 43", nationality="KP", country_of_origin="TV",
               address="Qwertyplein 77, 9000 Gent")


def test_no_identity_value_reaches_any_index(session, connection, search, employer, coach, skills):
    make_offer(session, employer, publish=True, skills=[(skills[0], True)])
    summary = ("Zyxquorra Vlumptonikh was a head nurse for 8 years. Call +32 499 87 65 43 or write to "
               "zyx.vlump@nowhere-qq.be; lives at Qwertyplein 77.")
    created = make_candidate(session, coach, identity=UNUSUAL, skills=skills[:2], summary=summary)
    session.flush()
    drain(connection, search)

    every_document = json.dumps([dict(d) for index in ("skills", "offers", "candidates", "employers")
                                 for d in _documents(search, index)], default=str)
    assert created.ref in every_document
    for value in ("Zyxquorra", "Vlumptonikh", "zyx.vlump", "nowhere-qq", "499 87 65 43", "Qwertyplein",
                  '"KP"', '"TV"', "1991-04-02"):
        assert value not in every_document, value
    assert "head nurse for 8 years" in every_document  # the useful part of the summary stays


def test_writes_succeed_while_search_is_down_and_the_outbox_catches_up(session, connection, search, meili,
                                                                       employer, coach, skills):
    meili.stop()
    try:
        created = make_candidate(session, coach, skills=skills[:2])
        session.flush()
        assert drain_once(connection, search) == 0
        pending = session.exec(select(OutboxEntry).where(OutboxEntry.done_at == None)).all()  # noqa: E711
        assert pending and all(row.attempts == 1 and row.last_error for row in pending)
        with pytest.raises(SearchUnavailable):
            match_offers(search, profile_facts(session, [created.id])[created.id])
    finally:
        meili.restart()
    for row in pending:  # the retry is due now rather than after its back-off
        row.next_attempt_at = row.created_at
        session.add(row)
    session.flush()
    drain(connection, search)
    assert created.id in {doc.id for doc in _documents(search, "candidates")}
    assert session.exec(select(OutboxEntry).where(OutboxEntry.done_at == None)).all() == []  # noqa: E711


def test_reindex_rebuilds_every_index_from_the_database(session, connection, search, employer, coach, skills):
    make_offer(session, employer, publish=True, skills=[(skills[0], True)])
    created = make_candidate(session, coach, skills=skills[:2])
    session.flush()
    update_candidate_profile(session, coach, created.id, profile_input(skills=skills[2:4]))
    session.flush()
    counts = reindex(connection, search, progress=lambda label, total: lambda done: None)
    assert counts["offers"] >= 1 and counts["candidates"] >= 1 and counts["skills"] > 1000
    document = next(d for d in _documents(search, "candidates") if d.id == created.id)
    assert sorted(document.skill_ids) == sorted(skills[2:4])


def test_the_reindex_reader_builds_the_same_documents_as_the_outbox(session, connection, coach, skills):
    from search.documents import candidate_document
    from search.sync import candidate_facts_between

    made = [make_candidate(session, coach, skills=skills[i:i + 3], languages=[("nl", "B2"), ("fr", "A2")],
                           summary=f"Worked {i} years in a kitchen.") for i in range(4)]
    session.flush()
    ids = [c.id for c in made]
    bulk = {f.id: candidate_document(f) for f in candidate_facts_between(session, min(ids), max(ids))}
    one_by_one = {i: candidate_document(f) for i, f in profile_facts(session, ids).items()}
    assert set(ids) <= set(bulk)
    for i in ids:
        assert sorted(bulk[i].pop("skill_ids")) == sorted(one_by_one[i].pop("skill_ids"))
        assert sorted(bulk[i].pop("skill_nums")) == sorted(one_by_one[i].pop("skill_nums"))
        assert bulk[i] == one_by_one[i]


def test_a_batch_registers_each_valid_row_with_its_own_reference_and_index_entry(session, coach, skills):
    from domain.services.candidates import register_candidates
    from domain.tables import Candidate, CandidateIdentity, CandidateSkill
    from seed.builders import identity_input

    rows = [(i, identity_input(email=f"batch.{i}@example.org"), profile_input(skills=skills[i % 6:i % 6 + 3],
                                                                               summary="Cook from Aleppo."))
            for i in range(40)]
    rows[7] = (7, identity_input(email="broken@example.org"), profile_input(postcode="0000"))
    outcomes = register_candidates(session, coach, rows)

    assert [index for index, _ in outcomes] == list(range(40))
    broken = [index for index, outcome in outcomes if not hasattr(outcome, "ref")]
    assert broken == [7]
    created = {outcome.id: outcome.ref for _, outcome in outcomes if hasattr(outcome, "ref")}
    assert len(set(created.values())) == 39
    saved = session.exec(select(Candidate).where(Candidate.id.in_(created))).all()
    assert {c.id: c.ref for c in saved} == created
    assert all(c.summary_scrubbed and "Aleppo" not in c.summary_scrubbed for c in saved)
    assert {i.email for i in session.exec(select(CandidateIdentity).where(CandidateIdentity.candidate_id.in_(created)))} \
        == {f"batch.{i}@example.org" for i in range(40) if i != 7}
    assert len(session.exec(select(CandidateSkill).where(CandidateSkill.candidate_id.in_(created))).all()) == 39 * 3
    queued = session.exec(select(OutboxEntry.key).where(OutboxEntry.index == "candidates")).all()
    assert {str(i) for i in created} <= set(queued)


def test_a_candidate_hit_carries_only_the_fields_matching_reads(session, connection, search, coach, skills):
    """Meilisearch builds every displayed field of a hit: the skill URIs, the summary and the filter-only fields
    stay in the document (filters, reindex checks) but are left out of hits, which made each hit cost more."""
    from search.index_settings import CANDIDATE_DISPLAYED

    created = make_candidate(session, coach, skills=skills[:3], summary="Ten years of kitchen work.")
    session.flush()
    drain(connection, search)
    index = search.reader.index(search.index_name("candidates"))
    hit = index.search("", {"filter": f"id = {created.id}", "attributesToRetrieve": ["*"]})["hits"][0]
    assert set(hit) <= set(CANDIDATE_DISPLAYED) and {"id", "ref", "skill_nums", "experience"} <= set(hit)
    assert "summary" not in hit and "skill_ids" not in hit and "reach_min_lat" not in hit
    stored = next(d for d in _documents(search, "candidates") if d.id == created.id)
    assert stored.summary == "Ten years of kitchen work." and sorted(stored.skill_ids) == sorted(skills[:3])
