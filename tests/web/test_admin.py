"""Administration from the browser: organisations, users, programmes and their rules; every change audited;
inactive users refused at login and on their next request."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.services.screening import programmes
from domain.tables import (
    AuditEntry,
    Offer,
    Organisation,
    OutgoingMail,
    Programme,
    ProgrammeVersion,
    User,
    utcnow,
)
from seed.builders import DEFAULT_PASSWORD, make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in

HX = {"HX-Request": "true"}


@pytest.fixture
def admin(client, session):
    actor = make_user(session, role=Role.ADMIN, name="Ada Admin")
    session.flush()
    log_in(client, actor.email)
    return actor


def post(client, path, data, page):
    return client.post(path, headers={**HX, "X-CSRF-Token": csrf_of(client, page)}, data=data)


def audit(session, action):
    return session.exec(select(AuditEntry).where(AuditEntry.action == action)
                        .execution_options(populate_existing=True)).all()


def fresh(session, table, id_):
    return session.exec(select(table).where(table.id == id_).execution_options(populate_existing=True)).one()


def test_the_admin_menu_lists_the_admin_pages(client, admin):
    page = client.get("/admin/organisations").text
    for label in ("Organisations", "Users", "Programmes", "Mailbox"):
        assert f">{label}</a>" in page


def test_create_rename_and_deactivate_an_organisation(client, session, admin):
    missing = post(client, "/admin/organisations", {"kind": "", "name": ""}, "/admin/organisations")
    assert missing.status_code == 422 and "Choose the kind of organisation." in missing.text
    created = post(client, "/admin/organisations", {"kind": "coaching_service", "name": "Atlas Antwerpen"},
                   "/admin/organisations")
    assert created.status_code == 200 and 'id="admin-organisations"' in created.text and "Atlas Antwerpen" in created.text
    org = session.exec(select(Organisation).where(Organisation.name == "Atlas Antwerpen")).one()
    renamed = post(client, f"/admin/organisations/{org.id}/name", {"name": "Atlas Integratie Antwerpen"},
                   "/admin/organisations")
    assert "Atlas Integratie Antwerpen" in renamed.text
    empty = post(client, f"/admin/organisations/{org.id}/name", {"name": " "}, "/admin/organisations")
    assert empty.status_code == 422 and "This field is required." in empty.text
    assert [e.detail for e in audit(session, "admin.organisation.rename")] == [
        {"before": "Atlas Antwerpen", "after": "Atlas Integratie Antwerpen"}]
    assert len(audit(session, "admin.organisation.create")) == 1


def test_deactivating_an_employer_logs_its_users_out_and_pauses_its_offers(app, client, session, admin):
    employer = make_employer(session, organisation="Garage Peeters")
    offer_id = make_offer(session, employer, publish=True)
    session.flush()
    with TestClient(app) as employer_client:
        log_in(employer_client, employer.email)
        assert employer_client.get("/offers").status_code == 200
        post(client, f"/admin/organisations/{employer.organisation_id}/active", {"active": "0"}, "/admin/organisations")
        # The very next request of the signed-in employer is refused: the user is checked on every request.
        assert employer_client.get("/offers", follow_redirects=False).status_code in (303, 307)
        again = employer_client.post("/login", data={"email": employer.email, "password": DEFAULT_PASSWORD,
                                                     "csrf_token": csrf_of(employer_client)})
        assert again.status_code == 400
    assert fresh(session, Offer, offer_id).status == "paused"
    assert fresh(session, User, employer.id).is_active is False
    [entry] = audit(session, "admin.organisation.deactivate")
    assert entry.detail == {"users_deactivated": [employer.id]} and entry.actor_id == admin.id


def test_invite_by_e_mail_change_role_and_deactivate_a_user(app, client, session, admin):
    org = make_employer(session, organisation="Bakkerij Lenaerts")
    coach = make_user(session, role=Role.COACH, name="Koen Coach")
    session.flush()
    bad = post(client, "/admin/users", {"email": "nope", "organisation_id": ""}, "/admin/users")
    assert bad.status_code == 422 and "Enter an e-mail address like name@example.be." in bad.text
    assert "Choose an active organisation." in bad.text and 'value="nope"' in bad.text
    sent = post(client, "/admin/users", {"email": "New.Colleague@bakkerij.be", "organisation_id": str(org.organisation_id)},
                "/admin/users")
    assert "We e-mailed an invitation to new.colleague@bakkerij.be." in sent.text
    [mail] = session.exec(select(OutgoingMail).where(OutgoingMail.kind == "invitation")).all()
    assert mail.recipient == "new.colleague@bakkerij.be" and "Bakkerij Lenaerts" in mail.subject
    link = re.search(r"http://testserver/invitations/\S+", mail.body).group(0)
    with TestClient(app) as newcomer:
        assert "Bakkerij Lenaerts" in newcomer.get(link.replace("http://testserver", "")).text

    wrong = post(client, f"/admin/users/{coach.id}/role", {"role": "employer"}, "/admin/users")
    assert wrong.status_code == 422 and "This role does not fit the user" in wrong.text
    post(client, f"/admin/users/{coach.id}/role", {"role": "admin"}, "/admin/users")
    assert fresh(session, User, coach.id).role == "admin"
    mine = post(client, f"/admin/users/{admin.id}/active", {"active": "0"}, "/admin/users")
    assert mine.status_code == 422 and "You cannot deactivate yourself." in mine.text
    post(client, f"/admin/users/{coach.id}/active", {"active": "0"}, "/admin/users")
    assert fresh(session, User, coach.id).is_active is False
    assert [e.detail for e in audit(session, "admin.user.role")] == [{"before": "coach", "after": "admin"}]
    assert len(audit(session, "admin.user.deactivate")) == 1 and len(audit(session, "admin.user.invite")) == 1


def test_edit_a_level_at_work_rule_with_the_preview_count_and_a_new_version(client, session, admin):
    coach = make_user(session, role=Role.COACH)
    for years_ago, education in ((2, "master"), (4, "bachelor"), (7, "master")):
        make_candidate(session, coach, education_level=education, identity={
            "nationality": "SY", "arrival_date": utcnow().date() - timedelta(days=365 * years_ago + 30)})
    session.flush()
    level = session.exec(select(Programme).where(Programme.key == "level_at_work")).one()
    page = client.get(f"/admin/programmes/{level.id}").text
    assert "version 1" in page and "Of the 3 current candidates, 2 would pass." in page

    rule = {"index": "2", "version": "1", "field": "arrival_date", "op": "within_years"}
    preview = post(client, f"/admin/programmes/{level.id}/rules/preview", {**rule, "value": "8"},
                   f"/admin/programmes/{level.id}")
    assert 'id="rule-preview"' in preview.text and "Of the 3 current candidates, 3 would pass." in preview.text
    assert "With the rules as saved: 2." in preview.text
    bad = post(client, f"/admin/programmes/{level.id}/rules/preview", {**rule, "value": "many"},
               f"/admin/programmes/{level.id}")
    assert "Correct the rule" in bad.text

    refused = client.post(f"/admin/programmes/{level.id}/rules", data={**rule, "value": "many",
                                                                         "csrf_token": csrf_of(client, "/admin/programmes")})
    assert refused.status_code == 422 and "Give a whole number of years from 0 to 100." in refused.text
    assert 'value="many"' in refused.text
    saved = client.post(f"/admin/programmes/{level.id}/rules", data={**rule, "value": "8",
                                                                       "csrf_token": csrf_of(client, "/admin/programmes")},
                        follow_redirects=True)
    assert "Saved as version 2." in saved.text
    stale = client.post(f"/admin/programmes/{level.id}/rules", data={**rule, "value": "3",
                                                                       "csrf_token": csrf_of(client, "/admin/programmes")})
    assert stale.status_code == 422 and "Someone changed these rules in the meantime." in stale.text
    level = fresh(session, Programme, level.id)
    assert level.version == 2 and level.rules[2] == {"field": "arrival_date", "op": "within_years", "value": 8}
    assert level.rules[0]["label"] == "eu"  # the untouched rules stay as they were
    versions = session.exec(select(ProgrammeVersion).where(ProgrammeVersion.programme_id == level.id)
                            .order_by(ProgrammeVersion.version)).all()
    assert [v.version for v in versions] == [1, 2] and versions[0].rules[2]["value"] == 5
    [entry] = audit(session, "admin.programme.rules")
    assert entry.detail["version"] == 2 and entry.detail["before"][2]["value"] == 5
    assert [p.key for p in programmes(session)] == ["level_at_work"]


@pytest.mark.parametrize("path", ["/admin/organisations", "/admin/users", "/admin/programmes"])
def test_the_admin_pages_are_the_admins_only(client, session, path):
    employer = make_employer(session)
    session.flush()
    log_in(client, employer.email)
    assert client.get(path).status_code == 403
    assert "/admin/organisations" not in client.get("/offers").text
