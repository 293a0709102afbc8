"""The admin's audit log: read-only, filterable by user, candidate reference, kind and dates (state in the URL,
paged); the kinds the issue names are written where they happen; no entry holds an identity value."""

import json

from sqlmodel import select

from domain.accounts import Role
from domain.tables import AuditEntry
from seed.builders import make_candidate, make_user
from tests.conftest import csrf_of, log_in
from tests.web.support import token_in

IDENTITY = dict(given_name="Nour", family_name="Haddad", email="nour.haddad@example.org", phone="+32 470 12 34 56")


def test_the_audit_log_records_who_did_what_and_filters_it(client, browser, session):
    admin = make_user(session, role=Role.ADMIN, email="admin.audit@example.be")
    coach = make_user(session, role=Role.COACH, email="coach.audit@example.be")
    candidate = make_candidate(session, coach, identity=IDENTITY)
    session.flush()

    other = browser()
    failed = other.post("/login", data={"csrf_token": csrf_of(other), "email": coach.email, "password": "wrong-one!"})
    assert failed.status_code == 400
    log_in(other, coach.email)
    assert other.get(f"/candidates/{candidate.id}").status_code == 200  # the coach sees the identity
    assert other.get("/candidates/export.csv").status_code == 200
    other.post("/logout", data={"csrf_token": token_in(other.get("/candidates").text)})
    other.post("/password/forgot", data={"csrf_token": csrf_of(other, "/password/forgot"), "email": coach.email})

    actions = {e.action for e in session.exec(select(AuditEntry)).all()}
    assert {"login.fail", "session.start", "identity.view", "export.caseload", "session.end",
            "password.reset_request"} <= actions

    log_in(client, admin.email)
    assert 'href="http://testserver/admin/audit"' in client.get("/").text
    everything = client.get("/admin/audit")
    assert everything.status_code == 200 and "identity.view" in everything.text
    by_candidate = client.get("/admin/audit", params={"candidate": candidate.ref.lower()})
    assert "identity.view" in by_candidate.text and "login.fail" not in by_candidate.text
    assert f"candidate {candidate.ref}" in by_candidate.text
    by_kind = client.get("/admin/audit", params={"kind": "login", "user": "Coach.Audit@example.be"})
    assert "login.fail" in by_kind.text and "session.start" in by_kind.text and "export.caseload" not in by_kind.text
    assert '<option value="login" selected>' in by_kind.text and 'value="Coach.Audit@example.be"' in by_kind.text
    assert "No entries match these filters." in client.get("/admin/audit", params={"from": "2999-01-01"}).text
    bad = client.get("/admin/audit", params={"to": "31/12/2026"})
    assert bad.status_code == 400 and "Enter a date like 2026-03-31." in bad.text and 'value="31/12/2026"' in bad.text
    assert "No user has this e-mail address or number." in client.get("/admin/audit", params={"user": "x@y.be"}).text

    for _ in range(60):
        session.add(AuditEntry(actor_id=admin.id, action="offer.update", subject="offer:1"))
    session.flush()
    first = client.get("/admin/audit", params={"kind": "work"})
    assert "Page 1 of 2" in first.text and "?kind=work&amp;page=2" in first.text
    assert "Page 2 of 2" in client.get("/admin/audit", params={"kind": "work", "page": "2"}).text

    # Read-only: nothing but GET; and only for admins.
    assert client.post("/admin/audit", data={"csrf_token": csrf_of(client, "/admin/audit")}).status_code == 405
    log_in(other, coach.email)
    assert other.get("/admin/audit").status_code == 403

    # No entry keeps an identity value: not the candidate's, not a user's address.
    stored = json.dumps([[e.action, e.subject, e.detail] for e in session.exec(select(AuditEntry)).all()])
    for value in [*IDENTITY.values(), "470 12 34 56", coach.email, admin.email]:
        assert value not in stored
