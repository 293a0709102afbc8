"""Shortlists and proposals: pin, reorder, remove, send with a note; the employer's view; "no" warnings."""

import re

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.services.screening import programmes, screen_candidate
from domain.tables import AuditEntry, Proposal, ProposedCandidate, ShortlistEntry
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import HX, labelled_skills

IDENTITY = dict(given_name="Samira", family_name="Azoulay", email="samira.azoulay@example.org",
                phone="+32 486 55 44 33", address="Muinkkaai 8, 9000 Gent", nationality="MA", country_of_origin="MA")


@pytest.fixture
def setup(session):
    skills = labelled_skills(session, 3)
    coach = make_user(session, role=Role.COACH, organisation="Integratiedienst Gent")
    employer = make_employer(session, organisation="WZC Zonneweide")
    offer = make_offer(session, employer, publish=True, title="Zorgkundige",
                       skills=[(skills[0].uri, True), (skills[1].uri, True), (skills[2].uri, False)])
    first = make_candidate(session, coach, identity=IDENTITY, skills=[skills[0].uri, skills[1].uri])
    second = make_candidate(session, coach, skills=[skills[0].uri])
    third = make_candidate(session, coach, skills=[skills[2].uri])
    level = next(p for p in programmes(session) if p.key == "level_at_work")
    screen_candidate(session, coach, first.id, level.id, "career")
    session.flush()
    return {"coach": coach, "employer": employer, "offer": offer, "skills": skills,
            "first": first, "second": second, "third": third}


def coach_in(client, setup):
    log_in(client, setup["coach"].email)
    return csrf_of(client, "/candidates")


def post(client, url, token, data=None):
    return client.post(url, data=data or {}, headers={**HX, "X-CSRF-Token": token})


def refs_in_order(html: str) -> list[str]:
    block = html.split('class="shortlist-lines"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<span class="ref">(K-\w{4})</span>', block)


def test_pin_reorder_and_remove(client, session, setup):
    token = coach_in(client, setup)
    offer = setup["offer"]
    first, second, third = setup["first"], setup["second"], setup["third"]
    for c in (first, second, third):
        response = post(client, f"/offers/{offer}/shortlist/{c.id}/pin", token)
        assert response.status_code == 200 and response.text.lstrip().startswith('<section id="shortlist"')
    post(client, f"/offers/{offer}/shortlist/{first.id}/pin", token)  # pinning twice changes nothing
    assert refs_in_order(response.text) == [first.ref, second.ref, third.ref]

    response = post(client, f"/offers/{offer}/shortlist/{third.id}/up", token)
    assert refs_in_order(response.text) == [first.ref, third.ref, second.ref]
    response = post(client, f"/offers/{offer}/shortlist/{first.id}/down", token)
    assert refs_in_order(response.text) == [third.ref, first.ref, second.ref]
    response = post(client, f"/offers/{offer}/shortlist/{third.id}/up", token)  # already first
    assert refs_in_order(response.text) == [third.ref, first.ref, second.ref]
    response = post(client, f"/offers/{offer}/shortlist/{first.id}/remove", token)
    assert refs_in_order(response.text) == [third.ref, second.ref]

    rows = session.exec(select(ShortlistEntry).order_by(ShortlistEntry.position)).all()
    assert [(r.candidate_id, r.position) for r in rows] == [(third.id, 1), (second.id, 2)]
    page = client.get(f"/offers/{offer}/matches")
    assert page.status_code == 200 and 'id="shortlist"' in page.text and third.ref in page.text


def test_without_htmx_the_shortlist_actions_return_to_the_matches_page(client, setup):
    token = coach_in(client, setup)
    response = client.post(f"/offers/{setup['offer']}/shortlist/{setup['first'].id}/pin", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith(f"/offers/{setup['offer']}/matches#shortlist")


def send(client, setup, token, note="", confirm=False):
    data = {"note": note, **({"confirm": "1"} if confirm else {})}
    return post(client, f"/offers/{setup['offer']}/proposals", token, data)


def test_send_the_shortlist_and_the_employer_sees_refs_and_explanations_only(client, browser, session, setup):
    token = coach_in(client, setup)
    first, second = setup["first"], setup["second"]
    for c in (second, first):
        post(client, f"/offers/{setup['offer']}/shortlist/{c.id}/pin", token)
    response = send(client, setup, token, note="Samira Azoulay (samira.azoulay@example.org) and a second strong "
                                              "candidate; both can start next month.")
    assert response.status_code == 200 and "Proposal sent to the employer." in response.text
    assert session.exec(select(ShortlistEntry)).all() == []  # sent: the shortlist is empty again

    proposal = session.exec(select(Proposal)).one()
    assert "Samira" not in proposal.note and "samira.azoulay" not in proposal.note
    assert "both can start next month." in proposal.note
    sent = session.exec(select(ProposedCandidate).order_by(ProposedCandidate.position)).all()
    assert [r.candidate_id for r in sent] == [second.id, first.id] and all(r.status == "proposed" for r in sent)
    assert sent[1].explanation["essential_covered"] == [setup["skills"][0].uri, setup["skills"][1].uri]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "proposal.send")).one()

    employer = browser()
    log_in(employer, setup["employer"].email)
    page = employer.get(f"/offers/{setup['offer']}")
    assert page.status_code == 200
    section = page.text.split('id="proposals"', 1)[1]
    assert "Proposals from job coaches" in page.text and "Integratiedienst Gent" in section
    assert first.ref in section and second.ref in section
    assert section.index(second.ref) < section.index(first.ref)  # in the coach's order
    assert "Essential skills: 2 of 2" in section and "Eligible for Level@work" in section
    assert setup["skills"][0].labels["en"] in section
    for value in ("Samira", "Azoulay", "samira.azoulay", "486 55 44 33", "Muinkkaai", "Morocco", '"MA"', "1991-04-02"):
        assert value not in page.text, value


def test_an_employer_no_makes_the_coach_confirm_before_proposing_again(client, browser, session, setup):
    token = coach_in(client, setup)
    first = setup["first"]
    post(client, f"/offers/{setup['offer']}/shortlist/{first.id}/pin", token)
    send(client, setup, token)
    proposed = session.exec(select(ProposedCandidate)).one()

    employer = browser()
    log_in(employer, setup["employer"].email)
    employer_token = csrf_of(employer, "/offers")
    response = employer.post(f"/offers/{setup['offer']}/proposals/{proposed.id}/decline",
                             data={"csrf_token": employer_token}, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(proposed)
    assert proposed.status == "declined_by_employer" and proposed.decided_at is not None
    assert "Turned down by the employer" in employer.get(f"/offers/{setup['offer']}").text

    response = post(client, f"/offers/{setup['offer']}/shortlist/{first.id}/pin", token)
    assert "Turned down by the employer" in response.text and 'name="confirm"' in response.text
    response = send(client, setup, token)
    assert response.status_code == 422
    assert "This offer was declined before. Confirm that you want to propose again." in response.text
    assert len(session.exec(select(Proposal)).all()) == 1
    response = send(client, setup, token, confirm=True)
    assert response.status_code == 200 and len(session.exec(select(Proposal)).all()) == 2


def test_a_candidate_waiting_for_an_answer_is_not_proposed_twice(client, session, setup):
    token = coach_in(client, setup)
    post(client, f"/offers/{setup['offer']}/shortlist/{setup['first'].id}/pin", token)
    send(client, setup, token)
    post(client, f"/offers/{setup['offer']}/shortlist/{setup['first'].id}/pin", token)
    response = send(client, setup, token)
    assert response.status_code == 422
    assert f"Already proposed for this offer, waiting for an answer: {setup['first'].ref}." in response.text


def test_sending_an_empty_shortlist_is_refused(client, setup):
    token = coach_in(client, setup)
    response = send(client, setup, token)
    assert response.status_code == 422 and "Pin at least one candidate before sending a proposal." in response.text


def test_propose_one_candidate_to_one_offer(client, session, setup):
    coach_in(client, setup)
    first = setup["first"]
    offers_page = client.get(f"/candidates/{first.id}/offers")
    assert offers_page.status_code == 200
    page = client.get(f"/candidates/{first.id}/proposals/new", params={"offer": setup["offer"]})
    assert page.status_code == 200
    assert "Essential skills: 2 of 2" in page.text and "Eligible for Level@work" in page.text
    token = csrf_of(client, f"/candidates/{first.id}")
    response = client.post(f"/candidates/{first.id}/proposals/new", follow_redirects=False,
                           data={"csrf_token": token, "offer_id": str(setup["offer"]), "note": "Call Samira first."})
    assert response.status_code == 303 and response.headers["location"].endswith(f"/candidates/{first.id}#proposals")
    proposal = session.exec(select(Proposal)).one()
    assert proposal.note == "Call […] first."
    detail = client.get(f"/candidates/{first.id}")
    assert "Zorgkundige" in detail.text and "Proposed" in detail.text


def test_a_candidate_no_warns_before_proposing_again(client, session, setup):
    token = coach_in(client, setup)
    first = setup["first"]
    client.post(f"/candidates/{first.id}/proposals/new", data={"csrf_token": token, "offer_id": str(setup["offer"])})
    proposed = session.exec(select(ProposedCandidate)).one()
    response = client.post(f"/candidates/{first.id}/proposals/{proposed.id}/declined",
                           headers={**HX, "X-CSRF-Token": token})
    assert response.status_code == 200 and "Declined by the candidate" in response.text
    session.refresh(proposed)
    assert proposed.status == "declined_by_candidate"

    page = client.get(f"/candidates/{first.id}/proposals/new", params={"offer": setup["offer"]})
    assert f"{first.ref} declined this offer before." in page.text and 'name="confirm"' in page.text
    response = client.post(f"/candidates/{first.id}/proposals/new",
                           data={"csrf_token": token, "offer_id": str(setup["offer"]), "note": "Kept note"})
    assert response.status_code == 422
    assert "Confirm that you want to propose again." in response.text and "Kept note" in response.text
    response = client.post(f"/candidates/{first.id}/proposals/new", follow_redirects=False,
                           data={"csrf_token": token, "offer_id": str(setup["offer"]), "confirm": "1"})
    assert response.status_code == 303
    assert len(session.exec(select(ProposedCandidate)).all()) == 2


def test_proposing_to_an_unpublished_or_unknown_offer_is_404(client, session, setup):
    draft = make_offer(session, setup["employer"], title="Draft")
    session.flush()
    coach_in(client, setup)
    for offer in (draft, 987654, "abc"):
        response = client.get(f"/candidates/{setup['first'].id}/proposals/new", params={"offer": offer})
        assert response.status_code == 404, offer
