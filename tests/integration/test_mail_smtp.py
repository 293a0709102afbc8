"""E-mail over SMTP, into a real aiosmtpd server: what arrives, what is kept, what is logged."""

import logging
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from domain.accounts import Role
from domain.services.notifications import deliver_mail, smtp_target
from domain.tables import OutgoingMail
from seed.builders import make_candidate, make_employer, make_interest, make_offer, make_user


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def ours(caplog) -> str:
    """Every log line but the test SMTP server's own (aiosmtpd logs whole messages at DEBUG)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, f"smtp://127.0.0.1:{controller.port}?from=opstap%40example.be"
    controller.stop()


@pytest.fixture
def queued(session):
    employer = make_employer(session, organisation="Hotel Ter Schelde")
    coach = make_user(session, role=Role.COACH, email="coach.mail@example.be")
    offer_id = make_offer(session, employer, publish=True, title="Front desk trainee")
    candidate = make_candidate(session, coach, identity=dict(given_name="Fatma", family_name="Yildiz",
                                                           email="fatma.yildiz@example.org", phone="+32 477 00 11 22",
                                                           correspondence_language="en"))
    make_interest(session, employer, offer_id, candidate.ref)
    session.flush()
    return candidate


def test_queued_mail_arrives_over_smtp_and_only_the_envelope_is_kept(session, connection, smtp, queued, caplog):
    sink, url = smtp
    caplog.set_level(logging.DEBUG)
    assert deliver_mail(connection, url) == 2
    by_recipient = {tuple(rcpt): message for rcpt, message in sink.messages}
    to_candidate = by_recipient[("fatma.yildiz@example.org",)]
    assert to_candidate["Subject"] == "Hotel Ter Schelde would like to meet you"
    assert to_candidate["From"] == "opstap@example.be"
    body = to_candidate.get_content()
    assert "Hello Fatma" in body and "Front desk trainee" in body and "/login/link/" in body
    to_coach = by_recipient[("coach.mail@example.be",)]
    assert queued.ref in to_coach["Subject"] and "Fatma" not in to_coach.get_content()

    rows = session.exec(select(OutgoingMail).execution_options(populate_existing=True)).all()
    assert {r.status for r in rows} == {"sent"} and {r.body for r in rows} == {""}  # no login link lingers
    assert deliver_mail(connection, url) == 0  # nothing twice
    logged = ours(caplog)
    assert re.search(r"mail \d+ sent", logged)
    for value in ("Fatma", "Yildiz", "fatma.yildiz@example.org", "+32 477", "coach.mail@example.be"):
        assert value not in logged


def test_an_unreachable_server_keeps_the_mail_queued_and_logs_no_address(session, connection, queued, caplog):
    caplog.set_level(logging.DEBUG)
    assert deliver_mail(connection, f"smtp://127.0.0.1:{free_port()}") == 0
    rows = session.exec(select(OutgoingMail).execution_options(populate_existing=True)).all()
    assert {r.status for r in rows} == {"queued"} and {r.attempts for r in rows} == {1}
    assert all(r.body for r in rows) and all("@" not in r.last_error for r in rows)
    assert "unreachable" in ours(caplog) and "fatma" not in ours(caplog).lower()


def test_without_smtp_the_mail_waits_in_the_admins_mailbox(session, connection, queued):
    assert deliver_mail(connection, None) == 2
    rows = session.exec(select(OutgoingMail).execution_options(populate_existing=True)).all()
    assert {r.status for r in rows} == {"mailbox"} and all(r.body for r in rows)


def test_smtp_urls():
    target = smtp_target("smtps://user%40x:pa%3Ass@mail.example.be?from=no-reply%40opstap.be")
    assert (target.host, target.port, target.tls, target.username, target.password, target.sender) == \
        ("mail.example.be", 465, True, "user@x", "pa:ss", "no-reply@opstap.be")
    assert smtp_target("smtp://localhost:2525?starttls=1").starttls
    with pytest.raises(ValueError):
        smtp_target("http://example.be")
