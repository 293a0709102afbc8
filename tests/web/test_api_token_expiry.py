"""API tokens expire (a year by default, or a chosen validity): an expired token gets 401 JSON; the tokens
page shows the expiry and the last use; a token is shown once and stored hashed."""

import re
from datetime import timedelta

from sqlmodel import select

from domain.accounts import Role
from domain.services.api_tokens import create_token
from domain.tables import ApiToken
from seed.builders import make_user
from tests.conftest import csrf_of, log_in

SECRET_RE = re.compile(r'value="(opst_[^"]+)"')


def test_a_token_made_on_the_page_works_for_the_chosen_time_and_shows_its_last_use(client, session):
    coach = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, coach.email)
    page = client.get("/account/tokens")
    assert '<option value="365" selected>365 days</option>' in page.text
    made = client.post("/account/tokens", data={"csrf_token": csrf_of(client, "/account/tokens"), "name": "sync",
                                                "days": "30"})
    secret = SECRET_RE.search(made.text).group(1)
    row = session.exec(select(ApiToken).where(ApiToken.user_id == coach.id)).one()
    assert row.token_hash != secret and secret not in row.token_hash
    assert row.expires_at - row.created_at == timedelta(days=30)
    assert SECRET_RE.search(client.get("/account/tokens").text) is None  # shown once
    assert "never" in client.get("/account/tokens").text
    assert client.get("/api/v1/search/status", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = client.get("/account/tokens").text
    assert "never" not in listing and "Expires" in listing
    odd = client.post("/account/tokens", data={"csrf_token": csrf_of(client, "/account/tokens"), "days": "100000"})
    assert odd.status_code == 422 and "Choose how long the token works." in odd.text


def test_an_expired_token_is_refused_with_401_json(client, session):
    employer = make_user(session, role=Role.EMPLOYER)
    secret = create_token(session, employer, "old")
    session.flush()
    row = session.exec(select(ApiToken).where(ApiToken.user_id == employer.id)).one()
    assert row.expires_at - row.created_at == timedelta(days=365)  # the default: a year
    row.expires_at = row.created_at  # its year is over
    session.add(row)
    session.flush()
    refused = client.get("/api/v1/search/status", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and refused.headers["content-type"].startswith("application/json")
    assert refused.json()["error"]["code"] == "unauthenticated"
    log_in(client, employer.email)
    assert "expired" in client.get("/account/tokens").text
