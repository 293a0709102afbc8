"""Decline reasons on the coach's page and, privately and with small counts hidden, on the employer's (issue 17)."""

import pytest

from domain.accounts import Role
from domain.services.interest import decline_interest
from seed.builders import (
    builder_links,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.conftest import log_in


@pytest.fixture
def world(session):
    coach = make_user(session, role=Role.COACH)
    employer = make_employer(session, sector="Q")
    other_employer = make_employer(session, sector="F")
    offer = make_offer(session, employer, publish=True, places=9)
    for i, reason in enumerate(["distance"] * 6 + ["timing"] * 2 + ["work"] * 5):
        created = make_candidate(session, coach)
        sent = make_interest(session, employer, offer, created.ref)
        decline_interest(session, candidate_login(session, created.id), sent.id, reason, f"note {i}",
                         links=builder_links())
    session.flush()
    return {"coach": coach, "employer": employer, "other": other_employer}


def test_the_coach_sees_which_reasons_come_back_most_by_offer_type_and_sector(client, world):
    log_in(client, world["coach"].email)
    page = client.get("/coaching/declines")
    assert page.status_code == 200 and "Why candidates decline" in page.text
    assert page.text.index("The workplace is too far away") < page.text.index("This work does not suit me")
    assert "Paid traineeship (BIO)" in page.text and "Q · Human health and social work activities" in page.text
    assert "note 3" not in page.text  # counts only
    assert client.get("/organisation/declines").status_code in (403, 404)


def test_the_employer_sees_its_own_declines_with_small_counts_hidden(client, world):
    log_in(client, world["employer"].email)
    page = client.get("/organisation/declines").text
    assert "13 declined requests, by reason" in page and "Only you see this" in page
    row = page.split("The timing does not suit me")[1].split("</tr>")[0]
    assert "fewer than 5" in row and ">2<" not in row
    assert ">6<" not in page or ">5<" not in page  # one more is hidden: 13 - 6 - 5 would give the 2 back
    assert "note 3" not in page
    assert client.get("/coaching/declines").status_code in (403, 404)
    assert client.get("/network/fairness").status_code in (403, 404)


def test_another_employer_sees_none_of_them(client, world):
    log_in(client, world["other"].email)
    assert "No candidate has declined one of your requests." in client.get("/organisation/declines").text
