"""The first meeting: the employer proposes up to three moments, the candidate picks one on their page, both
get an .ics invitation by e-mail (into a real SMTP server); a change and a cancellation send updates."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.meeting import BRUSSELS
from domain.services.notifications import deliver_mail
from domain.services.portal import set_candidate_password
from domain.tables import OutgoingMail, utcnow
from seed.builders import (
    accept,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.conftest import csrf_of, log_in
from tests.integration.test_mail_smtp import smtp  # noqa: F401 - the real SMTP server fixture

HX = {"HX-Request": "true"}
CANDIDATE_EMAIL = "samira.meet@example.org"


@pytest.fixture
def accepted(session):
    employer = make_employer(session, organisation="WZC De Linde")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, title="Zorgkundige in opleiding")
    created = make_candidate(session, coach, identity={"given_name": "Samira", "email": CANDIDATE_EMAIL})
    request = make_interest(session, employer, offer_id, created.ref)
    candidate = candidate_login(session, created.id)
    set_candidate_password(session, candidate, "a-long-password")
    done = accept(session, candidate, request.id)
    session.flush()
    return {"employer": employer, "request_id": request.id, "placement_id": done.placement_id}


def moment(days: int, hour: int) -> str:
    return (utcnow().astimezone(BRUSSELS) + timedelta(days=days)).replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def mails(session, kind):
    return session.exec(select(OutgoingMail).where(OutgoingMail.kind == kind)
                        .execution_options(populate_existing=True).order_by(OutgoingMail.id)).all()


def test_propose_pick_change_and_cancel_with_calendar_invitations(app, client, session, connection, smtp, accepted):  # noqa: F811
    sink, url = smtp
    employer_email = accepted["employer"].email
    placement = f"/placements/{accepted['placement_id']}"
    log_in(client, employer_email)
    assert 'id="first-meeting"' in client.get(placement).text
    token = csrf_of(client, placement)
    past = client.post(f"{placement}/meeting", headers={**HX, "X-CSRF-Token": token},
                       data={"slot": ["2020-01-01T10:00"], "address": ""})
    assert past.status_code == 422 and "Every moment must be in the future." in past.text
    assert "This field is required." in past.text and 'value="2020-01-01T10:00"' in past.text
    slots = [moment(3, 10), moment(4, 14), ""]
    proposed = client.post(f"{placement}/meeting", headers={**HX, "X-CSRF-Token": token},
                           data={"slot": slots, "address": "Kerkstraat 5, 9000 Gent"})
    assert proposed.status_code == 200 and "Waiting for the candidate" in proposed.text
    [invitation] = mails(session, "meeting_proposed")
    assert invitation.recipient == CANDIDATE_EMAIL and slots[0].replace("T", " ") in invitation.body

    with TestClient(app) as candidate:
        log_in(candidate, CANDIDATE_EMAIL, "a-long-password")
        page = f"/me/requests/{accepted['request_id']}"
        shown = candidate.get(page).text
        assert "WZC De Linde proposes these moments" in shown and "Kerkstraat 5, 9000 Gent" in shown
        ctoken = csrf_of(candidate, page)
        wrong = candidate.post(f"{page}/meeting", headers={**HX, "X-CSRF-Token": ctoken}, data={"chosen": "2031-01-01"})
        assert wrong.status_code == 422 and "Choose one of the proposed moments." in wrong.text
        chosen = candidate.post(f"{page}/meeting", headers={**HX, "X-CSRF-Token": ctoken},
                                data={"chosen": _iso(session, 1)})
        assert 'id="meeting"' in chosen.text and "received a calendar invitation" in chosen.text

        deliver_mail(connection, url)
        calendars = {tuple(rcpt): part for rcpt, message in sink.messages for part in message.iter_attachments()
                     if part.get_content_type() == "text/calendar"}
        assert set(calendars) == {(CANDIDATE_EMAIL,), (employer_email,)}
        for part in calendars.values():
            assert part.get_param("method") == "REQUEST"
            event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
            assert event["LOCATION"] == "Kerkstraat 5, 9000 Gent" and int(event["SEQUENCE"]) == 1
            assert event.decoded("DTSTART").astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M") == slots[1]
            assert "Samira" not in part.get_content()  # the invitation carries no identity

        sink.messages.clear()
        candidate.post(f"{page}/meeting", headers={**HX, "X-CSRF-Token": ctoken}, data={"chosen": _iso(session, 0)})
        deliver_mail(connection, url)
        updates = [Calendar.from_ical(p.get_content()).walk("VEVENT")[0] for _, m in sink.messages
                   for p in m.iter_attachments()]
        assert [int(e["SEQUENCE"]) for e in updates] == [2, 2]  # an update of the same event for both

        sink.messages.clear()
        cancelled = candidate.post(f"{page}/meeting/cancel", headers={**HX, "X-CSRF-Token": ctoken})
        assert "The first meeting was cancelled." in cancelled.text
        deliver_mail(connection, url)
        parts = [p for _, m in sink.messages for p in m.iter_attachments()]
        assert len(parts) == 2 and all(p.get_param("method") == "CANCEL" for p in parts)
        assert {Calendar.from_ical(p.get_content()).walk("VEVENT")[0]["STATUS"] for p in parts} == {"CANCELLED"}
    assert "The first meeting was cancelled." in client.get(placement).text


def _iso(session, index: int) -> str:
    from domain.tables import FirstMeeting

    meeting = session.exec(select(FirstMeeting).execution_options(populate_existing=True)).one()
    return meeting.slots[index]


def test_only_the_placements_employer_proposes_and_only_the_candidate_chooses(client, session, accepted):
    other = make_employer(session)
    session.flush()
    log_in(client, other.email)
    placement = f"/placements/{accepted['placement_id']}"
    response = client.post(f"{placement}/meeting", headers={**HX, "X-CSRF-Token": csrf_of(client, "/offers")},
                           data={"slot": [moment(2, 9)], "address": "Elders"})
    assert response.status_code == 404
    assert client.post(f"/me/requests/{accepted['request_id']}/meeting",
                       headers={**HX, "X-CSRF-Token": csrf_of(client, "/offers")}, data={"chosen": "x"}).status_code == 403
