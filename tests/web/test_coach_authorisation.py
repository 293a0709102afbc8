"""Every coach route: another coaching service's candidates do not exist for you (404, nothing changes);
other roles get 403; anonymous users go to the login page."""

import pytest
from sqlmodel import func, select

from domain.accounts import Role
from domain.matching import Explanation
from domain.services.caseload_csv import start_import
from domain.services.proposals import propose_candidate
from domain.tables import (
    AuditEntry,
    CandidateImport,
    CoachingLogEntry,
    Proposal,
    ProposedCandidate,
    Screening,
    ShortlistEntry,
)
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import HX, candidate_form, fresh_candidate, fresh_identity

EXPLANATION = Explanation(0.5, (), (), (), (), True, (), 3.0)
CSV = b"given_name,family_name,postcode\nAna,Lima,9000\n"


@pytest.fixture
def world(session):
    """Service A's coach, candidate, proposal and import; a published offer of an employer."""
    coach_a = make_user(session, role=Role.COACH, organisation="Service A")
    candidate = make_candidate(session, coach_a, identity=dict(given_name="Noor", family_name="Samadi"),
                               summary="Noor is a civil engineer.")
    employer = make_employer(session, organisation="Employer E")
    offer = make_offer(session, employer, publish=True)
    session.flush()
    propose_candidate(session, coach_a, candidate.id, offer, "A good fit.", EXPLANATION)
    proposed = session.exec(select(ProposedCandidate.id).where(ProposedCandidate.candidate_id == candidate.id)).one()
    job = start_import(session, coach_a, "a.csv", CSV)
    session.flush()
    return {"id": candidate.id, "offer": offer, "proposed": proposed, "job": job, "employer": employer,
            "coach_a": coach_a}


def counts(session) -> dict:
    return {table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in (Screening, CoachingLogEntry, ShortlistEntry, Proposal, ProposedCandidate, AuditEntry)}


def snapshot(session, world) -> tuple:
    candidate = fresh_candidate(session, world["id"])
    identity = fresh_identity(session, world["id"])
    status = session.exec(select(ProposedCandidate.status).where(ProposedCandidate.id == world["proposed"])
                          .execution_options(populate_existing=True)).one()
    job = session.exec(select(CandidateImport).where(CandidateImport.id == world["job"])
                       .execution_options(populate_existing=True)).one()
    return (candidate.updated_at, candidate.summary, candidate.programme, candidate.postcode, identity.family_name,
            status, job.next_row, counts(session))


CANDIDATE_ROUTES = [
    ("GET", "/candidates/{id}"),
    ("GET", "/candidates/{id}/profile"),
    ("POST", "/candidates/{id}/profile"),
    ("POST", "/candidates/{id}/profile/validate"),
    ("GET", "/candidates/{id}/identity"),
    ("POST", "/candidates/{id}/identity"),
    ("POST", "/candidates/{id}/screenings"),
    ("POST", "/candidates/{id}/log"),
    ("GET", "/candidates/{id}/offers"),
    ("GET", "/candidates/{id}/proposals/new?offer={offer}"),
    ("POST", "/candidates/{id}/proposals/new"),
    ("POST", "/candidates/{id}/proposals/{proposed}/declined"),
    ("POST", "/offers/{offer}/shortlist/{id}/pin"),
    ("POST", "/offers/{offer}/shortlist/{id}/remove"),
    ("POST", "/offers/{offer}/shortlist/{id}/up"),
    ("POST", "/offers/{offer}/shortlist/{id}/down"),
    ("GET", "/candidates/import/{job}"),
    ("POST", "/candidates/import/{job}/next"),
]


def form_for(token: str, world: dict) -> dict:
    return candidate_form(token, family_name="Taken over", postcode="2000", summary="Changed by someone else",
                          programme_id="1", path="career", happened_on="2024-01-01", kind="intake", note="x",
                          offer_id=str(world["offer"]), confirm="1")


def call(client, method, url, token, world, htmx=False):
    headers = {**HX, "X-CSRF-Token": token} if htmx else {}
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    return client.post(url, data=form_for(token, world), headers=headers, follow_redirects=False)


@pytest.mark.parametrize("method,path", CANDIDATE_ROUTES, ids=[f"{m} {p}" for m, p in CANDIDATE_ROUTES])
def test_a_coach_of_another_service_gets_404(client, session, world, method, path):
    """As a page and as an htmx request; the answer names nobody and nothing changes."""
    coach_b = make_user(session, role=Role.COACH, organisation="Service B")
    session.flush()
    log_in(client, coach_b.email)
    token = csrf_of(client, "/candidates")
    before = snapshot(session, world)
    for htmx in (False, True):
        response = call(client, method, path.format(**world), token, world, htmx)
        assert response.status_code == 404, f"{method} {path} (htmx={htmx}): {response.status_code}"
        assert "Noor" not in response.text and "Samadi" not in response.text
        assert snapshot(session, world) == before


def test_a_coach_of_the_same_service_may_use_those_routes(client, session, world):
    """The 404s above come from the service check, not from broken routes."""
    colleague = make_user(session, role=Role.COACH, organisation="Service A")
    session.flush()
    log_in(client, colleague.email)
    for method, path in CANDIDATE_ROUTES:
        if method == "GET":
            response = client.get(path.format(**world))
            assert response.status_code == 200, f"{method} {path}: {response.status_code}"


def test_another_coach_cannot_pin_their_own_candidate_into_our_data(client, session, world):
    """Pinning works per coaching service: B's shortlist for the offer never holds A's candidate."""
    coach_b = make_user(session, role=Role.COACH, organisation="Service B")
    own = make_candidate(session, coach_b)
    session.flush()
    log_in(client, coach_b.email)
    token = csrf_of(client, "/candidates")
    assert client.post(f"/offers/{world['offer']}/shortlist/{own.id}/pin", headers={**HX, "X-CSRF-Token": token}
                       ).status_code == 200
    assert client.post(f"/offers/{world['offer']}/shortlist/{world['id']}/pin", headers={**HX, "X-CSRF-Token": token}
                       ).status_code == 404
    rows = session.exec(select(ShortlistEntry)).all()
    assert [(r.candidate_id, r.coaching_service_id) for r in rows] == [(own.id, coach_b.organisation_id)]


def test_the_caseload_list_and_export_hold_only_the_own_service(client, session, world):
    coach_b = make_user(session, role=Role.COACH, organisation="Service B")
    session.flush()
    log_in(client, coach_b.email)
    assert "Noor" not in client.get("/candidates").text
    export = client.get("/candidates/export.csv")
    assert export.status_code == 200 and fresh_candidate(session, world["id"]).ref not in export.text


COACH_ONLY = [
    ("GET", "/candidates"), ("GET", "/candidates/new"), ("POST", "/candidates"), ("POST", "/candidates/validate"),
    ("GET", "/candidates/import"), ("POST", "/candidates/import"), ("GET", "/candidates/export.csv"),
    ("POST", "/offers/{offer}/proposals"),
] + CANDIDATE_ROUTES


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.NETWORK, Role.ADMIN])
def test_other_roles_get_403_on_every_coach_route(client, session, world, role):
    user = make_user(session, role=role)
    session.flush()
    log_in(client, user.email)
    token = csrf_of(client, "/")
    before = snapshot(session, world)
    wrong = []
    for method, path in COACH_ONLY:
        response = call(client, method, path.format(**world), token, world)
        if response.status_code != 403 or snapshot(session, world) != before:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_users_are_sent_to_login_and_nothing_changes(client, session, world):
    token = csrf_of(client, "/login")
    before = snapshot(session, world)
    wrong = []
    for method, path in COACH_ONLY + [("POST", "/offers/{offer}/proposals/{proposed}/decline")]:
        response = call(client, method, path.format(**world), token, world)
        if response.status_code != 303 or "/login?next=" not in response.headers.get("location", ""):
            wrong.append(f"{method} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert snapshot(session, world) == before


def test_another_employer_gets_404_when_declining_a_proposal(client, session, world):
    other = make_employer(session, organisation="Employer F")
    session.flush()
    log_in(client, other.email)
    token = csrf_of(client, "/offers")
    before = snapshot(session, world)
    response = client.post(f"/offers/{world['offer']}/proposals/{world['proposed']}/decline", data={"csrf_token": token})
    assert response.status_code == 404
    assert snapshot(session, world) == before


def test_a_coach_gets_403_when_declining_as_an_employer(client, session, world):
    log_in(client, world["coach_a"].email)
    token = csrf_of(client, "/candidates")
    response = client.post(f"/offers/{world['offer']}/proposals/{world['proposed']}/decline", data={"csrf_token": token})
    assert response.status_code == 403


def test_the_proposing_employer_route_needs_the_right_offer(client, session, world):
    """A proposal id that belongs to another offer of the same employer is a 404, not a decline."""
    second = make_offer(session, world["employer"], publish=True, title="Second offer")
    session.flush()
    log_in(client, world["employer"].email)
    token = csrf_of(client, "/offers")
    before = snapshot(session, world)
    response = client.post(f"/offers/{second}/proposals/{world['proposed']}/decline", data={"csrf_token": token})
    assert response.status_code == 404
    assert snapshot(session, world) == before
