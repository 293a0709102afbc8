"""The authorisation matrix, generated from the route table: every route (pages, the API mount) × every
method × every role (anonymous, candidate, employer, coach, network, admin) × the actor's own object and
another organisation's, where a path parameter names an owned object. The expected outcome of each comes
from one declarative table, ``ACCESS``; a route missing from it fails ``test_every_route_is_in_the_table``,
so a new route cannot ship untested.

Outcomes: ``ok`` (the handler ran: 2xx, 3xx elsewhere than the login page, or a 4xx about the input),
``login`` (to the login page; 401 on the API), ``denied`` (403 or 404: others' objects do not exist for you).
A 5xx is always a failure. Requests carry a valid CSRF token and an empty form; the world is built once per
role, and each role's browser is signed in once.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.routing import Mount, Route

from domain.accounts import Role, hash_password
from domain.offers import OfferType
from domain.offers_csv import REQUIRED_OFFER_COLUMNS
from domain.services.api_tokens import create_token
from domain.tables import OutgoingMail, Programme, User, UserSession
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

ROLES = ("anonymous", "candidate", "employer", "coach", "network", "admin")
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
STAFF = frozenset({"employer", "coach", "admin"})


@dataclass(frozen=True)
class Access:
    own: frozenset  # roles for which the handler runs (on their own object, when the path names one)
    other: frozenset | None = None  # roles for which it runs on another organisation's object; None: no owned object
    secret_link: bool = False  # opened with a secret in the path: a wrong secret is a 400/404 for anyone


def A(own, other=None) -> Access:  # noqa: N802 - a short constructor for the table
    return Access(frozenset(own), None if other is None else frozenset(other))


NOBODY: frozenset = frozenset()
TOKEN = Access(ALL, None, secret_link=True)

# route name -> who may use it. Owned objects: the "own" set on the actor's side (employer A's offers, coach A's
# caseload, candidate A's requests, ...), the "other" set on organisation B's objects.
# Public pages opened with a secret link (invitation, reset, login link, mentor, still looking): anyone may try;
# an unknown secret gets 400/404, never the login page or a 403.
ACCESS: dict[str, Access] = {
    "api_openapi": A(ALL),
    "api_offers": A({"employer", "coach", "admin"}),
    "api_offer": A({"employer", "coach", "admin"}, {"coach", "admin"}),
    "api_offer_publish": A({"employer"}, NOBODY),
    "api_offer_pause": A({"employer"}, NOBODY),
    "api_offer_close": A({"employer"}, NOBODY),
    "api_candidates": A({"coach"}),
    "api_candidate_batch": A({"coach"}),
    "api_offer_matches": A({"employer", "coach", "admin"}, {"coach", "admin"}),
    "api_candidate_matches": A({"coach"}, NOBODY),
    "api_skills": A(SIGNED_IN),
    "api_occupations": A(SIGNED_IN),
    "api_occupation_skills": A(SIGNED_IN),
    "api_search_status": A(SIGNED_IN),
    "api_interest_create": A({"employer"}, NOBODY),
    "api_interest": A({"candidate", "employer", "coach"}, NOBODY),
    "api_interest_accept": A({"candidate"}, NOBODY),
    "api_interest_decline": A({"candidate"}, NOBODY),
    "api_interest_withdraw": A({"employer"}, NOBODY),
    "home": A(ALL),
    "login": A(ALL),
    "logout": A(ALL),
    "password_forgot": A(ALL),
    "password_reset": TOKEN,
    "signup": A(ALL),
    "invitation": TOKEN,
    "set_language": A(ALL),
    "health": A(ALL),
    "organisation_profile": A({"employer"}),
    "organisation_invite": A({"employer"}),
    "offers_list": A({"employer"}),
    "offer_new": A({"employer"}),
    "offer_validate": A({"employer"}),
    "offer_detail": A({"employer", "coach", "admin"}, {"coach", "admin"}),
    "offer_confirm": A({"employer"}, NOBODY),
    "offer_edit": A({"employer"}, NOBODY),
    "offer_publish": A({"employer"}, NOBODY),
    "offer_pause": A({"employer"}, NOBODY),
    "offer_close": A({"employer"}, NOBODY),
    "offer_matches": A({"employer", "coach", "admin"}, {"coach", "admin"}),
    "candidate_offers": A({"coach"}, NOBODY),
    "candidates_list": A({"coach"}),
    "candidate_new": A({"coach"}),
    "candidate_validate": A({"coach"}),
    "candidate_detail": A({"coach"}, NOBODY),
    "candidate_profile": A({"coach"}, NOBODY),
    "candidate_profile_validate": A({"coach"}, NOBODY),
    "candidate_identity": A({"coach"}, NOBODY),
    "candidate_screen": A({"coach"}, NOBODY),
    "candidate_log": A({"coach"}, NOBODY),
    "candidate_propose": A({"coach"}, NOBODY),
    "candidate_declined": A({"coach"}, NOBODY),
    "candidate_import": A({"coach"}),
    "candidate_import_progress": A({"coach"}, NOBODY),
    "candidate_import_next": A({"coach"}, NOBODY),
    "caseload_export": A({"coach"}),
    "shortlist_pin": A({"coach"}, NOBODY),
    "shortlist_remove": A({"coach"}, NOBODY),
    "shortlist_up": A({"coach"}, NOBODY),
    "shortlist_down": A({"coach"}, NOBODY),
    "proposal_send": A({"coach"}, {"coach"}),
    "proposal_decline": A({"employer"}, NOBODY),
    "pick_skills": A(SIGNED_IN),
    "pick_skill_row": A(SIGNED_IN),
    "pick_occupations": A(SIGNED_IN),
    "pick_occupation": A(SIGNED_IN),
    "lookup_postcode": A(SIGNED_IN),
    "tokens": A(SIGNED_IN),
    "token_revoke": A(SIGNED_IN, NOBODY),
    "account_sessions": A(SIGNED_IN),
    "account_sessions_end_others": A(SIGNED_IN),
    "account_session_end": A(SIGNED_IN),
    "directory": A({"network", "admin"}),
    "directory_csv": A({"network", "admin"}),
    "directory_employer": A({"network", "admin"}, {"network", "admin"}),
    "network_dashboard": A({"network", "admin"}),
    "organisation_engagement": A({"employer"}),
    "still_looking": TOKEN,
    "own_still_looking": A({"candidate"}),
    "network_fairness": A({"network", "admin"}),
    "network_fairness_employers": A({"network", "admin"}),
    "interest_send": A({"employer"}, NOBODY),
    "offer_interest": A({"employer"}, NOBODY),
    "interest_withdraw": A({"employer"}, NOBODY),
    "coach_interest": A({"coach"}),
    "interest_feedback": A({"coach"}, NOBODY),
    "placements_list": A({"employer", "coach"}),
    "placement_detail": A({"employer", "coach"}, NOBODY),
    "placement_training_plan": A({"employer", "coach"}, NOBODY),  # and the placed candidate (tests/web/test_taught_skills.py)
    "placement_mentor": A({"employer"}, NOBODY),
    "placement_start": A({"employer"}, NOBODY),
    "placement_complete": A({"employer", "coach"}, NOBODY),
    "placement_end": A({"employer", "coach"}, NOBODY),
    "placement_check_in": A({"coach"}, NOBODY),
    "mentor": TOKEN,
    "portal": A({"candidate"}),
    "portal_request": A({"candidate"}, NOBODY),
    "portal_accept": A({"candidate"}, NOBODY),
    "portal_decline": A({"candidate"}, NOBODY),
    "portal_data": A({"candidate"}),
    "portal_erase": A({"candidate"}),
    "portal_password": A({"candidate"}),
    "login_link_request": A(ALL),
    "login_link": TOKEN,
    "own_profile": A({"candidate"}),
    "own_profile_preview": A({"candidate"}),
    "own_matching": A({"candidate"}),
    "own_message": A({"candidate"}),
    "account_language": A(SIGNED_IN),
    "admin_audit": A({"admin"}),
    "admin_organisations": A({"admin"}),
    "admin_organisation_rename": A({"admin"}),
    "admin_organisation_active": A({"admin"}),
    "admin_users": A({"admin"}),
    "admin_user_role": A({"admin"}),
    "admin_user_active": A({"admin"}),
    "admin_programmes": A({"admin"}),
    "admin_programme": A({"admin"}),
    "admin_programme_rules": A({"admin"}),
    "admin_programme_rule_preview": A({"admin"}),
    "meeting_propose": A({"employer"}, NOBODY),
    "meeting_cancel": A({"employer"}, NOBODY),
    "meeting_choose": A({"candidate"}, NOBODY),
    "meeting_cancel_by_candidate": A({"candidate"}, NOBODY),
    "offers_import": A({"employer"}),
    "offers_export": A({"employer"}),
    "notifications": A(SIGNED_IN),
    "admin_mailbox": A({"admin"}),
    "admin_mail": A({"admin"}),
    "trust_page": A(ALL),
    "favicon": A(ALL),
    "offer_compare": A({"employer", "coach", "admin"}, {"coach", "admin"}),
    "offers_import_progress": A({"employer"}, NOBODY),
    "offers_import_next": A({"employer"}, NOBODY),
    "coaching_declines": A({"coach"}),
    "coaching_fairness": A({"coach"}),
    "organisation_declines": A({"employer"}),
    "own_gender": A({"candidate"}),
}


def all_routes(app) -> list[tuple[str, str, str]]:
    """(name, path, method) for every route of the app, the API mount's included; static files aside."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            if route.name == "static":
                continue
            for sub in route.routes:
                found += [(sub.name, route.path + sub.path, m) for m in sorted(sub.methods - {"HEAD"})]
        elif isinstance(route, Route):
            found += [(route.name, route.path, m) for m in sorted(route.methods - {"HEAD"})]
    return found


ROUTES = all_routes(create_app(Settings(data_dir=Path("."), database_url="sqlite://", secret_key="x"), db=object()))


def build_world(session) -> dict:
    """Two of everything: side "own" (the actors' organisations) and side "other" (organisation B)."""
    from sqlmodel import select

    from domain.matching import Explanation
    from domain.services.caseload_csv import start_import
    from domain.services.offers_csv import start_offer_import
    from domain.services.proposals import propose_candidate
    from domain.tables import ProposedCandidate

    explanation = Explanation(0.5, (), (), (), (), True, (), 3.0)
    world = {"actors": {}, "own": {}, "other": {}}
    for side in ("own", "other"):
        employer = make_employer(session, organisation=f"Employer {side}")
        coach = make_user(session, role=Role.COACH, organisation=f"Coaching {side}")
        network = make_user(session, role=Role.NETWORK, organisation=f"Network {side}")
        admin = make_user(session, role=Role.ADMIN)
        offer = make_offer(session, employer, publish=True, title=f"Offer {side}")
        candidate = make_candidate(session, coach, identity=dict(email=f"candidate.{side}@example.org"))
        request = make_interest(session, employer, offer, candidate.ref)
        login = candidate_login(session, candidate.id)
        user = session.get(User, login.id)
        user.password_hash = hash_password(DEFAULT_PASSWORD)  # the candidate signs in like everyone else here
        session.add(user)
        placed_offer = make_offer(session, employer, publish=True, title=f"Placed {side}",  # an IBO: it has a training plan
                                  type=OfferType.WORK_BASED_TRAINING, duration_value=6, monthly_pay_eur=None,
                                  followup_contract_months=12)
        placed = make_candidate(session, coach, identity=dict(email=f"placed.{side}@example.org"))
        placed_request = make_interest(session, employer, placed_offer, placed.ref)
        accept(session, candidate_login(session, placed.id), placed_request.id)
        from domain.tables import Placement
        placement = session.exec(select(Placement.id).where(Placement.candidate_id == placed.id)).one()
        propose_candidate(session, coach, candidate.id, offer, "A good fit.", explanation)
        proposed = session.exec(select(ProposedCandidate.id).where(ProposedCandidate.candidate_id == candidate.id)).one()
        job = start_import(session, coach, "a.csv", b"given_name,family_name,postcode\nAna,Lima,9000\n")
        offer_job = start_offer_import(session, employer, "o.csv", OFFER_CSV)
        session.flush()
        actors = {"candidate": login, "employer": employer, "coach": coach, "network": network, "admin": admin}
        world[side] = {"actors": actors, "offer": offer, "candidate": candidate.id, "request": request.id,
                       "placement": placement, "proposed": proposed, "import": job, "offer_import": offer_job,
                       "organisation": employer.organisation_id,
                       "token": {r: None for r in actors}}
        for role, actor in actors.items():
            world[side]["token"][role] = create_token(session, actor, "matrix")
        session.flush()
    world["programme"] = session.exec(select(Programme.id)).first()
    world["mail"] = session.exec(select(OutgoingMail.id)).first()
    # throwaway targets for the admin's state-changing forms (an empty form may deactivate them)
    world["spare_user"] = make_user(session, role=Role.EMPLOYER).id
    world["spare_organisation"] = make_employer(session).organisation_id
    session.flush()
    return world


def value_for(world, session, role: str, side: str, path: str, param: str):
    from sqlmodel import select

    from domain.tables import ApiToken

    data = world[side]
    if param == "token":
        return "not-a-valid-token"
    if param == "page":
        return "privacy"
    if param in ("proposed",):
        return data["proposed"]
    if param == "request":
        return data["request"]
    if param == "candidate":
        return data["candidate"]
    if path.startswith("/offers/import/"):
        return data["offer_import"]
    if path.startswith(("/offers/", "/api/v1/offers/")):
        return data["offer"]
    if path.startswith("/candidates/import/"):
        return data["import"]
    if path.startswith(("/candidates/", "/api/v1/candidates/")):
        return data["candidate"]
    if path.startswith("/placements/"):
        return data["placement"]
    if path.startswith(("/me/requests/", "/api/v1/interest-requests/")):
        return data["request"]
    if path.startswith("/network/employers/"):
        return data["organisation"]
    owner = data["actors"].get(role if role != "anonymous" else "employer")
    if path.startswith("/account/tokens/"):
        return session.exec(select(ApiToken.id).where(ApiToken.user_id == owner.id)).first()
    if path.startswith("/account/sessions/"):
        found = session.exec(select(UserSession.id).where(UserSession.user_id == owner.id)).first()
        return found or 999999
    if path.startswith("/admin/organisations/"):
        return world["spare_organisation"] if side == "own" else data["organisation"]
    if path.startswith("/admin/users/"):
        return world["spare_user"]
    if path.startswith("/admin/programmes/"):
        return world["programme"]
    if path.startswith("/admin/mailbox/"):
        return world["mail"] or 1
    raise AssertionError(f"no value for {param} in {path}")


OFFER_CSV = (",".join(REQUIRED_OFFER_COLUMNS) + "\nTrainee,getting_to_know,5,9000,3,20,Q\n").encode()
PARAM_RE = re.compile(r"{(\w+)(?::\w+)?}")
# Path parameters that name an owned object, so the route is tried on the actor's own and on another's.
NOT_OWNED = {"token", "page"}


def owned(path: str) -> bool:
    params = PARAM_RE.findall(path)
    return any(p not in NOT_OWNED for p in params) and not path.startswith(("/admin/", "/account/sessions/"))


def outcome(response, api: bool) -> str:
    if response.status_code >= 500 and response.status_code != 503:
        return f"error {response.status_code}"
    if api and response.status_code == 401:
        return "login"
    location = response.headers.get("location", "") or response.headers.get("hx-redirect", "")
    if response.status_code in (302, 303) and "/login?next=" in location:
        return "login"
    if response.status_code in (403, 404):
        return "denied"
    return "ok"  # includes 503 "search is unavailable for a moment", a page the handler chose to show


def probe(client, world, session, role, csrf) -> dict:
    observed = {}
    api_headers = {}
    if role != "anonymous":
        api_headers = {"Authorization": f"Bearer {world['own']['token'][role]}"}
    # GETs first (they change nothing), then the forms, so a form's effect (closing an offer) cannot hide a page.
    for name, path, method in sorted(ROUTES, key=lambda r: r[2] != "GET"):
        sides = ("own", "other") if owned(path) else ("own",)
        for side in sides:
            url = PARAM_RE.sub(lambda m, side=side, path=path: str(value_for(world, session, role, side, path, m.group(1))),
                               path)
            if name == "candidate_propose" and method == "GET":
                url += f"?offer={world[side]['offer']}"  # the page proposes the candidate for one offer
            api = path.startswith("/api/")
            headers = dict(api_headers) if api else {"X-CSRF-Token": csrf}
            if method == "GET":
                response = client.get(url, headers=headers, follow_redirects=False)
            elif api:
                response = client.request(method, url, headers=headers, json={})
            else:
                response = client.request(method, url, headers=headers, data={"csrf_token": csrf},
                                          follow_redirects=False)
            observed[(name, method, side)] = outcome(response, api)
            if name in ("logout", "password_reset"):
                csrf = sign_in_as(client, world, role)
    return observed


def sign_in_as(client, world, role) -> str:
    client.cookies.clear()
    if role == "anonymous":
        return csrf_of(client)
    actor = world["own"]["actors"][role]
    log_in(client, actor.email)
    return csrf_of(client, "/account/language")


def expected(name: str, role: str, side: str) -> str:
    access = ACCESS[name]
    allowed = access.own if side == "own" or access.other is None else access.other
    if role in allowed:
        return "ok"
    return "login" if role == "anonymous" else "denied"


def judged_right(name: str, method: str, role: str, side: str, got: str) -> bool:
    """A role the table does not allow must be sent to the login page (anonymous) or refused, exactly. An allowed
    role must never be sent to log in nor meet a server error; its pages (GET) must open; its forms may still
    be refused by the object's state (publishing a published offer is a 403, like any refused transition)."""
    want = expected(name, role, side)
    if got.startswith("error"):
        return False
    if want != "ok":
        return got == want
    if got == "login":
        return False
    if method == "GET" and not ACCESS[name].secret_link:
        return got == "ok"
    return True


@pytest.fixture
def world(session):
    return build_world(session)


def test_every_route_is_in_the_table():
    names = {name for name, _, _ in ROUTES}
    assert sorted(names - ACCESS.keys()) == [], "routes without an entry in ACCESS: add one"
    assert sorted(ACCESS.keys() - names) == [], "entries in ACCESS for routes that do not exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_as_the_table_says(client, session, world, role):
    csrf = sign_in_as(client, world, role)
    observed = probe(client, world, session, role, csrf)
    wrong = [f"{name} {method} ({side}): expected {expected(name, role, side) if name in ACCESS else '?'}, got {got}"
             for (name, method, side), got in sorted(observed.items())
             if name not in ACCESS or not judged_right(name, method, role, side, got)]
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
