"""No 500 on any input: generated form data goes to every HTML form handler, as the role that owns the form.

``FORMS`` names, per role, every route that takes a POST outside the API (``test_every_form_is_fuzzed`` fails
when a new one is missing) and which object of the world its path parameters name. Field names are the ones
the forms really use (read from the role's pages) plus a stray one; values are any text, numbers, dates, empty
strings, very long strings and control characters, with and without htmx. Every answer must be 2xx, 3xx or 4xx.
"""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from domain.accounts import Role, hash_password
from domain.offers_csv import REQUIRED_OFFER_COLUMNS
from domain.services.api_tokens import create_token
from domain.services.caseload_csv import start_import
from domain.services.offers_csv import start_offer_import
from domain.tables import OutgoingMail, Placement, Programme, ProposedCandidate, User
from seed.builders import (
    DEFAULT_PASSWORD,
    accept,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.conftest import csrf_of, log_in
from web.app import create_app
from web.settings import Settings

EXAMPLES_PER_ROUTE = 12
NAME = re.compile(r'name="([A-Za-z_][\w\-\[\]]*)"')
NOWHERE = 999_999  # an id nobody has: the handler must still answer with a 4xx

value = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.dates().map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "on", "1", "true", "2026-02-30", "31/12/1999", "\x00",
                     "ä" * 5, "<script>", "nl", "fr", "en", "employer", "coach", "admin", "paid_traineeship", "ibo",
                     "9000", "SY", "female", "good", "concern", "yes", "no", "career", "level_at_work"]),
)

# role -> {route name: {path parameter: key of the world}}. Routes that end the signed-in session come last.
FORMS = {
    "anonymous": {
        "login": {}, "signup": {}, "password_forgot": {}, "password_reset": {"token": "bad_token"},
        "invitation": {"token": "bad_token"}, "set_language": {}, "login_link_request": {},
        "login_link": {"token": "bad_token"}, "mentor": {"token": "mentor_token"}, "logout": {},
    },
    "employer": {
        "organisation_profile": {}, "organisation_invite": {}, "offers_list": {}, "offer_validate": {},
        "offer_confirm": {"id": "draft"}, "offer_edit": {"id": "draft"}, "offer_publish": {"id": "draft"},
        "offer_pause": {"id": "spare_offer"}, "offer_close": {"id": "spare_offer"},
        "interest_send": {"id": "offer"}, "interest_withdraw": {"id": "offer", "request": "open_request"},
        "placement_mentor": {"id": "placement"}, "placement_start": {"id": "placement"},
        "placement_complete": {"id": "placement"}, "placement_end": {"id": "placement"},
        "meeting_propose": {"id": "placement"}, "meeting_cancel": {"id": "placement"},
        "offers_import": {}, "offers_import_next": {"id": "offer_import"},
        "tokens": {}, "token_revoke": {"id": "token"}, "account_language": {},
        "account_sessions_end_others": {}, "account_session_end": {"id": "nowhere"},
    },
    "coach": {
        "candidates_list": {}, "candidate_validate": {}, "candidate_profile": {"id": "candidate"},
        "candidate_profile_validate": {"id": "candidate"}, "candidate_identity": {"id": "candidate"},
        "candidate_screen": {"id": "candidate"}, "candidate_log": {"id": "candidate"},
        "candidate_propose": {"id": "candidate"}, "candidate_declined": {"id": "candidate", "proposed": "proposed"},
        "candidate_import": {}, "candidate_import_next": {"id": "import"},
        "shortlist_pin": {"id": "offer", "candidate": "candidate"},
        "shortlist_up": {"id": "offer", "candidate": "candidate"},
        "shortlist_down": {"id": "offer", "candidate": "candidate"},
        "shortlist_remove": {"id": "offer", "candidate": "candidate"},
        "proposal_send": {"id": "offer"}, "proposal_decline": {"id": "offer", "proposed": "proposed"},
        "interest_feedback": {"request": "open_request"}, "placement_check_in": {"id": "placement"},
    },
    "candidate": {
        "own_profile": {}, "own_profile_preview": {}, "own_matching": {}, "own_message": {},
        "own_still_looking": {}, "own_gender": {}, "portal_accept": {"id": "open_request"},
        "portal_decline": {"id": "open_request"}, "meeting_choose": {"id": "placed_request"},
        "meeting_cancel_by_candidate": {"id": "placed_request"}, "portal_password": {}, "portal_erase": {},
    },
    "admin": {
        "admin_organisations": {}, "admin_organisation_rename": {"id": "spare_organisation"},
        "admin_organisation_active": {"id": "spare_organisation"}, "admin_users": {},
        "admin_user_role": {"id": "spare_user"}, "admin_user_active": {"id": "spare_user"},
        "admin_programme_rules": {"id": "programme"}, "admin_programme_rule_preview": {"id": "programme"},
    },
}
ENDS_SESSION = ["portal_password", "logout", "portal_erase"]  # fuzzed after the role's other forms, in this order
PAGES = {  # where each role's forms are, to read the field names from
    "anonymous": ["/login", "/signup", "/login/link", "/password/forgot"],
    "employer": ["/organisation", "/offers/new", "/offers/{draft}/edit", "/offers/{offer}", "/account/tokens",
                 "/placements/{placement}", "/offers/import"],
    "coach": ["/candidates/new", "/candidates/{candidate}", "/candidates/{candidate}/profile",
              "/candidates/{candidate}/identity", "/offers/{offer}/matches", "/placements/{placement}"],
    "candidate": ["/me", "/me/profile", "/me/requests/{open_request}", "/me/requests/{placed_request}",
                  "/me/password", "/account/language"],
    "admin": ["/admin/users", "/admin/organisations", "/admin/programmes/{programme}"],
}
EXTRA_FIELDS = ["note", "kind", "feedback", "candidate_ids", "programme", "answers", "consent", "reason",
                "candidate_ref", "message", "on", "rating", "slot", "file", "unexpected"]
OFFER_CSV = (",".join(REQUIRED_OFFER_COLUMNS) + "\nTrainee,getting_to_know,5,9000,3,20,Q\n").encode()


def post_routes(app) -> dict[str, str]:
    """name -> path of every route outside the API that takes a POST."""
    return {r.name: r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())}


def test_every_form_is_fuzzed():
    app = create_app(Settings(data_dir=Path("."), database_url="sqlite://", secret_key="x"), db=object())
    fuzzed = [name for routes in FORMS.values() for name in routes]
    assert sorted(set(post_routes(app)) - set(fuzzed)) == [], "add the new form to FORMS"
    assert sorted(set(fuzzed) - set(post_routes(app))) == []


@pytest.fixture
def world(session):
    employer = make_employer(session)
    coach = make_user(session, role=Role.COACH)
    admin = make_user(session, role=Role.ADMIN)
    offer = make_offer(session, employer, publish=True)
    placed_offer = make_offer(session, employer, publish=True, title="Placed here")
    candidate = make_candidate(session, coach, identity=dict(email="fuzzed.candidate@example.org"))
    open_request = make_interest(session, employer, offer, candidate.ref).id
    placed_request = make_interest(session, employer, placed_offer, candidate.ref).id
    login = candidate_login(session, candidate.id)
    accept(session, login, placed_request)
    user = session.get(User, login.id)
    user.password_hash = hash_password(DEFAULT_PASSWORD)
    session.add(user)
    other = make_candidate(session, coach)
    from domain.matching import Explanation
    from domain.services.proposals import propose_candidate

    propose_candidate(session, coach, other.id, offer, "A good fit.", Explanation(0.5, (), (), (), (), True, (), 3.0))
    session.flush()
    world = {
        "actors": {"employer": employer, "coach": coach, "admin": admin, "candidate": login},
        "candidate_email": "fuzzed.candidate@example.org",
        "offer": offer, "draft": make_offer(session, employer), "spare_offer": make_offer(session, employer, publish=True),
        "candidate": candidate.id, "open_request": open_request, "placed_request": placed_request,
        "placement": session.exec(select(Placement.id).where(Placement.interest_request_id == placed_request)).one(),
        "proposed": session.exec(select(ProposedCandidate.id).where(ProposedCandidate.candidate_id == other.id)).one(),
        "import": start_import(session, coach, "a.csv", b"given_name,family_name,postcode\nAna,Lima,9000\n"),
        "offer_import": start_offer_import(session, employer, "o.csv", OFFER_CSV),
        "token": None, "nowhere": NOWHERE, "bad_token": "not-a-valid-token", "mentor_token": "not-a-valid-token",
        "programme": session.exec(select(Programme.id)).first(),
        "spare_user": make_user(session, role=Role.EMPLOYER).id,
        "spare_organisation": make_employer(session).organisation_id,
    }
    create_token(session, employer, "fuzz")
    from domain.tables import ApiToken

    world["token"] = session.exec(select(ApiToken.id).where(ApiToken.user_id == employer.id)).first()
    session.flush()
    return world


def _path(app, name: str, params: dict, world: dict) -> str:
    return app.url_path_for(name, **{param: world[key] for param, key in params.items()})


def _fields_of(client: TestClient, world: dict, pages: list[str]) -> list[str]:
    names = set()
    for page in pages:
        names.update(NAME.findall(client.get(page.format(**world)).text))
    return sorted(names - {"csrf_token"})


def _fuzz(client: TestClient, path: str, fields: list[str]) -> None:
    token = csrf_of(client, "/")
    accepted = client.post("/language", data={"language": "en", "csrf_token": token}, follow_redirects=False)
    assert accepted.status_code == 303, "the CSRF token is refused: nothing below would reach a handler"

    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.dictionaries(st.sampled_from(fields), st.one_of(value, st.lists(value, max_size=3)),
                                max_size=len(fields)),
           htmx=st.booleans())
    def post(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(path, data={**data, "csrf_token": token}, headers=headers, follow_redirects=False)
        assert response.status_code < 500, (path, data, response.status_code, response.text[:500])

    post()


def _nominate_mentor(client: TestClient, session, world: dict) -> None:
    """The employer nominates a mentor the ordinary way, so the mentor's own form is fuzzed with a real link."""
    page = f"/placements/{world['placement']}"
    response = client.post(f"{page}/mentor", data={
        "name": "Ilse Maes", "role": "Head nurse", "email": "ilse.fuzz@example.be", "languages": ["nl"],
        "training_completed": "1", "training_completed_on": "2026-01-20", "csrf_token": csrf_of(client, page)})
    assert response.status_code in (200, 303), response.text[:500]
    mail = session.exec(select(OutgoingMail).where(OutgoingMail.recipient == "ilse.fuzz@example.be")).all()
    world["mentor_token"] = re.search(r"/mentor/([^\s]+)", mail[-1].body).group(1)


@pytest.mark.parametrize("role", ["employer", "coach", "candidate", "admin", "anonymous"])
def test_no_form_answers_500_to_any_input(app, client, session, world, role):
    if role == "anonymous":
        staff = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
        log_in(staff, world["actors"]["employer"].email)
        _nominate_mentor(staff, session, world)
    else:
        email = world["candidate_email"] if role == "candidate" else world["actors"][role].email
        log_in(client, email)
    fields = [*_fields_of(client, world, PAGES[role]), *EXTRA_FIELDS]
    routes = FORMS[role]
    assert len(fields) > len(EXTRA_FIELDS), "no form fields found on the role's pages"
    for name in sorted(routes, key=lambda name: ENDS_SESSION.index(name) + 1 if name in ENDS_SESSION else 0):
        _fuzz(client, _path(app, name, routes[name], world), fields)
