"""The candidate's own page lists the published traineeships that fit their profile, explained."""

from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.services.accounts import actor_by_id
from domain.services.portal import ensure_candidate_account, set_candidate_password
from domain.tables import Candidate, Skill
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import log_in
from web.app import create_app


def test_a_candidate_sees_the_offers_that_fit_with_their_explanation(settings, connection, session, search):
    skills = list(session.exec(select(Skill.uri).order_by(Skill.uri).limit(3)).all())
    employer = make_employer(session, organisation="WZC Ter Leie")
    make_offer(session, employer, publish=True, title="Zorgkundige in opleiding", postcode="9000",
               skills=[(skills[0], True), (skills[1], True)])
    make_offer(session, employer, publish=True, title="Far away", postcode="8400", skills=[(skills[0], True)])
    coach = make_user(session, role=Role.COACH)
    created = make_candidate(session, coach, skills=skills[:2], postcode="9000", max_commute_km=20,
                             identity={"email": "candidate.portal@example.org"})
    user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
    set_candidate_password(session, actor_by_id(session, user_id), "a-long-password")
    session.flush()
    drain(connection, search)

    with TestClient(create_app(settings, db=connection, search=search)) as client:
        log_in(client, "candidate.portal@example.org", "a-long-password")
        page = client.get("/me").text
    assert "Traineeships that fit your profile" in page
    assert "Zorgkundige in opleiding" in page and "WZC Ter Leie" in page
    assert "Far away" not in page  # Oostende is beyond the candidate's 20 km
    assert "Skill fit 100%" in page and "Essential skills: 2 of 2" in page


def test_the_page_still_works_when_search_is_down(settings, connection, session):
    coach = make_user(session, role=Role.COACH)
    created = make_candidate(session, coach, identity={"email": "no.search@example.org"})
    user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
    set_candidate_password(session, actor_by_id(session, user_id), "a-long-password")
    session.flush()
    with TestClient(create_app(settings, db=connection, search=None)) as client:
        log_in(client, "no.search@example.org", "a-long-password")
        response = client.get("/me")
    assert response.status_code == 200
    assert "Search is temporarily unavailable" in response.text
