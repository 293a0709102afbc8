""""Forgot your password?": the same answer for every address, a single-use link that works for one hour
and arrives over SMTP in the user's language, rate limits that case and spaces do not get around, and a new
password that ends every session (a cookie captured before opens nothing)."""

import re
from datetime import timedelta

from sqlmodel import select

from domain.accounts import MAX_LINK_REQUESTS_PER_ADDRESS, MAX_LINK_REQUESTS_PER_CLIENT, Role
from domain.services.accounts import choose_language
from domain.services.notifications import deliver_mail
from domain.tables import AccountLink, AuditEntry, OutgoingMail
from seed.builders import make_user
from tests.conftest import csrf_of, log_in
from tests.integration.test_mail_smtp import smtp  # noqa: F401 - the real SMTP server fixture

NEW_PASSWORD = "a-new-long-password"
LINK_RE = re.compile(r"http\S*/password/reset/(\S+)")


def ask(client, email: str):
    return client.post("/password/forgot", data={"csrf_token": csrf_of(client, "/password/forgot"), "email": email})


def reset_mails(session) -> list[OutgoingMail]:
    return session.exec(select(OutgoingMail).where(OutgoingMail.kind == "password_reset")
                        .order_by(OutgoingMail.id)).all()


def token_of(mail: OutgoingMail) -> str:
    return LINK_RE.search(mail.body).group(1)


def test_the_login_page_offers_a_reset_and_every_address_gets_the_same_answer(client, session):
    user = make_user(session, role=Role.COACH, email="coach.reset@example.be")
    session.flush()
    assert '/password/forgot">Forgot your password?</a>' in client.get("/login").text
    known, unknown = ask(client, user.email), ask(client, "nobody.here@example.be")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(user.email, "X") == unknown.text.replace("nobody.here@example.be", "X")  # word for word
    assert "an e-mail with a link to choose a new password is on its way" in unknown.text
    assert [m.recipient for m in reset_mails(session)] == [user.email]


def test_the_link_arrives_over_smtp_in_the_users_language_and_works_once(client, browser, session, connection, smtp):  # noqa: F811
    sink, url = smtp
    user = make_user(session, role=Role.EMPLOYER, email="patron@example.be")
    choose_language(session, user, "fr")
    session.flush()
    thief = browser()
    log_in(thief, user.email)  # a session someone has open: the reset must end it
    ask(client, "  Patron@Example.BE ")
    deliver_mail(connection, url)
    [(recipients, message)] = sink.messages
    assert recipients == ["patron@example.be"] and message["Subject"] == "Choisissez un nouveau mot de passe Opstap"
    token = LINK_RE.search(message.get_content()).group(1)
    stored = session.exec(select(AccountLink).where(AccountLink.purpose == "password_reset")).one()
    assert stored.token_hash != token and len(stored.token_hash) == 64  # only the hash is kept
    assert stored.expires_at - stored.created_at == timedelta(hours=1)

    path = f"/password/reset/{token}"
    assert client.get(path).status_code == 200
    short = client.post(path, data={"csrf_token": csrf_of(client, path), "password": "short"})
    assert short.status_code == 422 and "Use at least 10 characters." in short.text
    done = client.post(path, data={"csrf_token": csrf_of(client, path), "password": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("/login?reset=done")
    assert "Your new password is saved." in client.get(done.headers["location"]).text

    assert thief.get("/offers", follow_redirects=False).status_code == 303  # their session was ended
    failed = client.post("/login", data={"csrf_token": csrf_of(client), "email": user.email, "password": "password123"})
    assert failed.status_code == 400
    log_in(client, user.email, NEW_PASSWORD)
    again = browser().get(path)
    assert again.status_code == 400 and "This link has expired or was used already." in again.text
    reuse = browser()
    replay = reuse.post(path, data={"csrf_token": csrf_of(reuse, "/password/forgot"), "password": "yet-another-one"})
    assert replay.status_code == 400  # reusing the link does not set a password
    actions = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.subject == f"user:{user.id}"))]
    assert "password.reset_request" in actions and "password.reset" in actions


def test_an_expired_link_gets_a_clear_page(client, session):
    user = make_user(session, role=Role.NETWORK)
    session.flush()
    ask(client, user.email)
    token = token_of(reset_mails(session)[0])
    row = session.exec(select(AccountLink)).one()
    row.expires_at = row.created_at + timedelta(minutes=59)
    row.created_at -= timedelta(hours=1)
    row.expires_at -= timedelta(hours=1)
    session.add(row)
    session.flush()
    page = client.get(f"/password/reset/{token}")
    assert page.status_code == 400 and "This link has expired or was used already." in page.text
    path = f"/password/reset/{token}"
    assert client.post(path, data={"csrf_token": csrf_of(client, "/login"), "password": NEW_PASSWORD}).status_code == 400
    assert client.get("/password/reset/not-a-token").status_code == 400


def test_case_and_spaces_do_not_get_around_the_limit_per_address(client, session):
    user = make_user(session, role=Role.COACH, email="limit.me@example.be")
    session.flush()
    for spelling in ["limit.me@example.be", "LIMIT.ME@example.be", " limit.me@EXAMPLE.be ", "limit. me@example.be",
                     "Limit.Me@Example.Be"]:
        assert ask(client, spelling).status_code == 200  # the same answer, also when over the limit
    assert len(reset_mails(session)) == MAX_LINK_REQUESTS_PER_ADDRESS
    assert user.email == "limit.me@example.be"


def test_one_client_cannot_ask_for_more_than_its_limit_across_addresses(client, session):
    users = [make_user(session, role=Role.COACH) for _ in range(MAX_LINK_REQUESTS_PER_CLIENT + 2)]
    session.flush()
    for user in users:
        ask(client, user.email)
    assert len(reset_mails(session)) == MAX_LINK_REQUESTS_PER_CLIENT


def test_the_forms_need_their_csrf_token(client, session):
    user = make_user(session, role=Role.COACH)
    session.flush()
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 403
    ask(client, user.email)
    token = token_of(reset_mails(session)[0])
    assert client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 403
    assert client.get(f"/password/reset/{token}").status_code == 200  # the link is still unused
