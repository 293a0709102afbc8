"""Server-side sessions: a cookie copied before logout (or before a password change, erasure,
deactivation) opens nothing afterwards; idle and absolute limits; the account page ends the others."""

from datetime import timedelta

from sqlmodel import select

from domain.accounts import Role
from domain.services.sessions import end_sessions
from domain.sessions import token_hash
from domain.tables import AuditEntry, User, UserSession
from seed.builders import make_user
from tests.conftest import log_in
from tests.web.support import token_in


def _age(session, user_id: int, column: str, by: timedelta) -> None:
    for row in session.exec(select(UserSession).where(UserSession.user_id == user_id)).all():
        setattr(row, column, getattr(row, column) - by)
        session.add(row)
    session.flush()


def _cookie(client) -> str:
    return client.cookies.get("opstap_session")


def _replay(browser, cookie: str, path: str):
    thief = browser()
    thief.cookies.set("opstap_session", cookie)
    return thief.get(path, follow_redirects=False)


def test_a_cookie_captured_before_logout_opens_the_login_page_afterwards(client, browser, session):
    network = make_user(session, role=Role.NETWORK)
    session.flush()
    log_in(client, network.email)
    stolen = _cookie(client)
    assert _replay(browser, stolen, "/network/dashboard").status_code == 200
    page = client.get("/network/dashboard")
    client.post("/logout", data={"csrf_token": token_in(page.text)})
    replay = _replay(browser, stolen, "/network/dashboard")
    assert replay.status_code == 303
    assert "/login?next=/network/dashboard" in replay.headers["location"]


def test_the_cookie_holds_a_random_id_and_the_table_only_its_hash(client, session, employer):
    log_in(client, employer.email)
    rows = session.exec(select(UserSession).where(UserSession.user_id == employer.id)).all()
    assert len(rows) == 1 and len(rows[0].token_hash) == 64
    assert str(employer.id) not in [rows[0].token_hash]


def test_every_login_gets_a_new_session_id_and_ends_the_old_one(client, browser, employer):
    log_in(client, employer.email)
    first = _cookie(client)
    log_in(client, employer.email)  # the same browser signs in again (e.g. as someone else)
    assert _replay(browser, first, "/offers").status_code == 303
    assert client.get("/offers", follow_redirects=False).status_code == 200


def test_ending_all_of_a_users_sessions_signs_out_every_browser(client, browser, session, employer):
    log_in(client, employer.email)
    other = browser()
    log_in(other, employer.email)
    assert end_sessions(session, employer.id, "deactivated") == 2
    session.flush()
    assert client.get("/offers", follow_redirects=False).status_code == 303
    assert other.get("/offers", follow_redirects=False).status_code == 303
    ends = session.exec(select(AuditEntry).where(AuditEntry.action == "session.end",
                                                 AuditEntry.actor_id == employer.id)).all()
    assert any(e.detail.get("reason") == "deactivated" for e in ends)


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, session, employer):
    log_in(client, employer.email)
    user = session.get(User, employer.id)
    user.is_active = False
    session.add(user)
    session.flush()
    assert client.get("/offers", follow_redirects=False).status_code == 303


def test_an_idle_session_ends(client, session, employer):
    log_in(client, employer.email)
    _age(session, employer.id, "last_seen_at", timedelta(hours=8, minutes=1))
    assert client.get("/offers", follow_redirects=False).status_code == 303
    row = session.exec(select(UserSession).where(UserSession.user_id == employer.id)
                       .execution_options(populate_existing=True)).one()
    assert row.end_reason == "expired_idle"


def test_a_session_in_use_ends_after_seven_days_anyway(client, session, employer):
    log_in(client, employer.email)
    _age(session, employer.id, "created_at", timedelta(days=7, minutes=1))
    assert client.get("/offers", follow_redirects=False).status_code == 303


def test_the_idle_limit_is_a_setting(app, client, session, employer):
    app.state.settings = type(app.state.settings)(**{**app.state.settings.__dict__, "session_idle_hours": 1})
    log_in(client, employer.email)
    _age(session, employer.id, "last_seen_at", timedelta(minutes=61))
    assert client.get("/offers", follow_redirects=False).status_code == 303


def test_account_page_lists_sessions_and_ends_the_others(client, browser, employer):
    other = browser()
    log_in(other, employer.email)
    other_cookie = _cookie(other)
    log_in(client, employer.email)
    page = client.get("/account/sessions")
    assert page.status_code == 200
    assert page.text.count("<tr>") == 3  # the header row and two sessions
    assert "this browser" in page.text
    done = client.post("/account/sessions/end-others", data={"csrf_token": token_in(page.text)})
    assert "Session ended." in done.text
    assert done.text.count("<tr>") == 2
    assert _replay(browser, other_cookie, "/offers").status_code == 303
    assert client.get("/offers", follow_redirects=False).status_code == 200


def test_one_cannot_end_someone_elses_session(client, browser, session, employer):
    victim = make_user(session, role=Role.EMPLOYER)
    session.flush()
    log_in(browser(), victim.email)
    victim_session = session.exec(select(UserSession).where(UserSession.user_id == victim.id)).one()
    log_in(client, employer.email)
    page = client.get("/account/sessions")
    client.post(f"/account/sessions/{victim_session.id}/end", data={"csrf_token": token_in(page.text)})
    row = session.exec(select(UserSession).where(UserSession.id == victim_session.id)
                       .execution_options(populate_existing=True)).one()
    assert row.ended_at is None


def test_token_hash_is_not_the_token():
    assert token_hash("abc") != "abc" and len(token_hash("abc")) == 64


def _candidate_with_password(session):
    from domain.services.portal import set_candidate_password
    from seed.builders import candidate_login, make_candidate

    coach = make_user(session, role=Role.COACH)
    created = make_candidate(session, coach, identity=dict(given_name="Amal", family_name="Haddad",
                                                           email="amal.haddad@example.be"))
    actor = candidate_login(session, created.id)
    set_candidate_password(session, actor, "first-password-123")
    session.flush()
    return actor


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(browser, session):
    candidate = _candidate_with_password(session)
    mine, thief = browser(), browser()
    log_in(mine, candidate.email, "first-password-123")
    log_in(thief, candidate.email, "first-password-123")
    page = mine.get("/me/password")
    saved = mine.post("/me/password", data={"csrf_token": token_in(page.text), "password": "second-password-456"},
                      follow_redirects=False)
    assert saved.status_code == 303
    assert thief.get("/me", follow_redirects=False).status_code == 303
    assert mine.get("/me", follow_redirects=False).status_code == 200


def test_erasure_ends_the_session_a_copied_cookie_would_replay(browser, session):
    candidate = _candidate_with_password(session)
    mine = browser()
    log_in(mine, candidate.email, "first-password-123")
    copied = _cookie(mine)
    page = mine.get("/me/erase")
    mine.post("/me/erase", data={"csrf_token": token_in(page.text), "confirm": "1"})
    assert _replay(browser, copied, "/me").status_code == 303


def test_a_role_change_by_the_admin_ends_the_users_sessions(client, browser, session):
    from tests.conftest import csrf_of

    admin = make_user(session, role=Role.ADMIN)
    coach = make_user(session, role=Role.COACH)
    session.flush()
    theirs = browser()
    log_in(theirs, coach.email)
    assert theirs.get("/candidates", follow_redirects=False).status_code == 200
    log_in(client, admin.email)
    client.post(f"/admin/users/{coach.id}/role", data={"role": "admin"},
                headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(client, "/admin/users")})
    assert theirs.get("/candidates", follow_redirects=False).status_code == 303  # sign in again, new session id
