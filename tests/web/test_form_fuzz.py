"""No 500 on any input: generated form data goes to every HTML form handler, as the role that owns the form.

Field names are the ones the forms really use (read from the pages) plus a stray one; values are any text,
numbers, dates, empty strings, very long strings and control characters. Every answer must be 2xx, 3xx or 4xx.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from domain.accounts import Role
from seed.builders import make_candidate, make_employer, make_interest, make_offer, make_user
from tests.conftest import csrf_of, log_in

EXAMPLES = 80
NAME = re.compile(r'name="([A-Za-z_][\w\-\[\]]*)"')

value = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.dates().map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "on", "true", "2026-02-30", "31/12/1999", "\x00", "ä" * 5,
                     "<script>", "nl", "fr", "en", "employer", "coach", "paid_traineeship", "ibo", "9000", "SY"]),
)


def _fields_of(client: TestClient, *paths: str) -> list[str]:
    names = set()
    for path in paths:
        names.update(NAME.findall(client.get(path).text))
    return sorted(names - {"csrf_token"})


def _fuzz(client: TestClient, routes: list[str], fields: list[str]) -> None:
    token = csrf_of(client, "/")

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(path=st.sampled_from(routes),
           data=st.dictionaries(st.sampled_from([*fields, "unexpected"]), st.one_of(value, st.lists(value, max_size=3)),
                                max_size=len(fields) + 1),
           htmx=st.booleans())
    def post(path, data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(path, data={**data, "csrf_token": token}, headers=headers, follow_redirects=False)
        assert response.status_code < 500, (path, data, response.status_code, response.text[:500])

    post()


@pytest.fixture
def world(session):
    employer = make_employer(session)
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True)
    draft_id = make_offer(session, employer)
    candidate = make_candidate(session, coach)
    sent = make_interest(session, employer, offer_id, candidate.ref)
    session.flush()
    return {"employer": employer, "coach": coach, "offer": offer_id, "draft": draft_id, "candidate": candidate.id,
            "ref": candidate.ref, "request": sent.id}


def test_employer_forms_never_answer_500(client, world):
    log_in(client, world["employer"].email)
    o, d, r = world["offer"], world["draft"], world["request"]
    fields = _fields_of(client, "/organisation", "/offers/new", f"/offers/{d}/edit", f"/offers/{o}", "/account/tokens")
    routes = ["/organisation", "/organisation/invitations", "/offers", "/offers/validate", f"/offers/{d}/edit",
              f"/offers/{d}/publish", f"/offers/{o}/pause", f"/offers/{o}/close", "/account/tokens",
              f"/offers/{o}/interest-requests", f"/offers/{o}/interest/{r}/withdraw", "/language"]
    assert "title" in fields
    _fuzz(client, routes, [*fields, "candidate_ref", "message"])


def test_coach_forms_never_answer_500(client, world):
    log_in(client, world["coach"].email)
    o, c = world["offer"], world["candidate"]
    fields = _fields_of(client, "/candidates/new", f"/candidates/{c}", f"/candidates/{c}/profile",
                        f"/candidates/{c}/identity", f"/offers/{o}/matches")
    routes = ["/candidates", "/candidates/validate", f"/candidates/{c}/profile", f"/candidates/{c}/profile/validate",
              f"/candidates/{c}/identity", f"/candidates/{c}/screenings", f"/candidates/{c}/log",
              f"/candidates/{c}/proposals/new", f"/offers/{o}/shortlist/{c}/pin", f"/offers/{o}/shortlist/{c}/up",
              f"/offers/{o}/shortlist/{c}/remove", f"/offers/{o}/proposals",
              f"/interest-requests/{world['request']}/feedback", "/language"]
    assert "given_name" in fields
    _fuzz(client, routes, [*fields, "note", "kind", "feedback", "candidate_ids", "programme", "answers"])


def test_anonymous_forms_never_answer_500(client):
    fields = _fields_of(client, "/login", "/signup", "/login/link")
    _fuzz(client, ["/login", "/signup", "/login/link", "/language", "/invitations/not-a-token",
                   "/mentor/not-a-token", "/login/link/not-a-token"], fields)

