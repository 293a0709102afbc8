"""Interest, consent, placement and mentor pages through the app (SPEC §5): who sees what, when."""

import json
import logging
import re

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.interest import DISCLOSURE_ACTION
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateIdentity,
    CheckIn,
    InterestRequest,
    OutboxEntry,
    OutgoingMail,
    Placement,
    User,
)
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in

HX = {"HX-Request": "true"}
NAME, EMAIL, PHONE = "Samira Benali", "samira.benali@example.org", "+32470998877"  # stored and shown in E.164


@pytest.fixture
def world(session):
    employer = make_employer(session, organisation="WZC De Linde")
    coach = make_user(session, role=Role.COACH, organisation="Trajectbegeleiding Gent")
    offer_id = make_offer(session, employer, publish=True, title="Zorgkundige in opleiding", places=1,
                          monthly_pay_eur=1850)
    candidate = make_candidate(session, coach, identity=dict(
        given_name="Samira", family_name="Benali", email=EMAIL, phone=PHONE, nationality="MA",
        address="Veldstraat 12, 9000 Gent"))
    session.flush()
    return dict(employer=employer, coach=coach, offer_id=offer_id, candidate=candidate)


def fresh(session, table, **where):
    query = select(table).execution_options(populate_existing=True)
    for name, value in where.items():
        query = query.where(getattr(table, name) == value)
    return session.exec(query.order_by(table.id if hasattr(table, "id") else None)).all()


def send_interest(client, offer_id, ref, message="We would like to meet you."):
    token = csrf_of(client, f"/offers/{offer_id}")
    return client.post(f"/offers/{offer_id}/interest-requests", headers={**HX, "X-CSRF-Token": token},
                       data={"candidate_ref": ref, "message": message})


def link_in(session, recipient, path):
    mail = [m for m in fresh(session, OutgoingMail, recipient=recipient) if path in m.body][-1]
    return re.search(rf"https?://[^\s]+{re.escape(path)}[^\s]+", mail.body).group(0)


def candidate_logs_in(browser, session, email=EMAIL):
    """The candidate opens the e-mailed link in their own browser and presses the button."""
    client = browser()
    url = link_in(session, email, "/login/link/")
    path = url.split("testserver", 1)[1] if "testserver" in url else "/" + url.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and "Continue to my page" in page.text
    response = client.post(path, data={"csrf_token": csrf_of(client, path)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client, response.headers["location"]


@pytest.fixture
def sent(client, session, world):
    log_in(client, world["employer"].email)
    response = send_interest(client, world["offer_id"], world["candidate"].ref)
    assert response.status_code == 200, response.text
    assert "Interest request sent" in response.text and "<html" not in response.text
    [row] = fresh(session, InterestRequest, candidate_id=world["candidate"].id)
    return row.id


def test_the_employer_never_sees_the_identity_before_consent(client, session, world, sent):
    page = client.get(f"/offers/{world['offer_id']}/interest").text
    assert world["candidate"].ref in page and "Waiting for the candidate" in page
    for value in ("Samira", "Benali", EMAIL, PHONE, "Veldstraat"):
        assert value not in page
    assert not fresh(session, AuditEntry, action=DISCLOSURE_ACTION)
    again = send_interest(client, world["offer_id"], world["candidate"].ref)
    assert again.status_code == 422 and "already" in again.text


def test_candidate_reads_the_offer_in_plain_language_and_sees_exactly_what_would_be_shared(browser, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    assert target == f"/me/requests/{sent}"
    page = candidate.get(target).text
    for words in ("WZC De Linde", "Paid traineeship (BIO)", "12 weeks", "4 days a week, 30 hours a week",
                  "9000 Gent", "€ 1850 gross a month", "We would like to meet you."):
        assert words in page, words
    assert f"<strong>{NAME}</strong>" in page and f"<strong>{EMAIL}</strong>" in page and PHONE in page
    assert "They will not see your date of birth, nationality" in page
    assert "I accept the offer “Zorgkundige in opleiding” and agree that WZC De Linde sees my name" in page


def test_accepting_needs_the_tick_then_the_employer_alone_sees_name_and_contact(browser, client, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    token = csrf_of(candidate, target)
    refused = candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": token}, data={})
    assert refused.status_code == 422 and "Tick the box" in refused.text
    accepted = candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": token}, data={"consent": "1"})
    assert accepted.status_code == 200 and "You accepted on" in accepted.text
    assert fresh(session, Placement, interest_request_id=sent)[0].state == "planned"

    page = client.get(f"/offers/{world['offer_id']}/interest").text
    assert NAME in page and EMAIL in page and PHONE in page and "Veldstraat" not in page
    [disclosure] = fresh(session, AuditEntry, action=DISCLOSURE_ACTION)
    assert disclosure.actor_id == world["employer"].id and disclosure.detail["organisation"] == "WZC De Linde"

    mine = candidate.get("/me").text
    assert "WZC De Linde saw your name, your e-mail address and your phone number on" in mine
    assert "because you accepted “Zorgkundige in opleiding”" in mine

    other = browser()
    log_in(other, make_employer(session, organisation="Elders NV").email)
    placement_id = fresh(session, Placement, interest_request_id=sent)[0].id
    assert other.get(f"/offers/{world['offer_id']}/interest").status_code == 404
    assert other.get(f"/placements/{placement_id}").status_code == 404
    assert NAME not in other.get("/placements").text


def test_declining_shows_the_reason_to_the_coach_and_a_kind_word_to_the_employer(browser, client, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    token = csrf_of(candidate, target)
    missing = candidate.post(f"/me/requests/{sent}/decline", headers={**HX, "X-CSRF-Token": token}, data={})
    assert missing.status_code == 422 and "Choose a reason" in missing.text
    done = candidate.post(f"/me/requests/{sent}/decline", headers={**HX, "X-CSRF-Token": token},
                          data={"reason": "distance", "note": "Two buses each way"})
    assert done.status_code == 200 and "You declined" in done.text

    coach = browser()
    log_in(coach, world["coach"].email)
    page = coach.get("/interest-requests").text
    assert "The workplace is too far away" in page and "Two buses each way" in page and NAME in page
    feedback = coach.post(f"/interest-requests/{sent}/feedback",
                          headers={**HX, "X-CSRF-Token": csrf_of(coach, "/interest-requests")},
                          data={"feedback": "Samira would love a place closer to Gent."})
    assert feedback.status_code == 200 and "Your feedback to the employer" in feedback.text

    employer_page = client.get(f"/offers/{world['offer_id']}/interest").text
    assert "Thank you for your interest" in employer_page
    assert "[…] would love a place closer to Gent." in employer_page
    assert "too far" not in employer_page and "buses" not in employer_page and "Samira" not in employer_page


def test_employer_withdraws_and_the_candidate_can_no_longer_accept(browser, client, session, world, sent):
    token = csrf_of(client, f"/offers/{world['offer_id']}/interest")
    response = client.post(f"/offers/{world['offer_id']}/interest/{sent}/withdraw", headers={**HX, "X-CSRF-Token": token})
    assert response.status_code == 200 and "Withdrawn" in response.text
    candidate, target = candidate_logs_in(browser, session)
    assert "withdrew this request" in candidate.get(target).text
    late = candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": csrf_of(candidate, target)},
                          data={"consent": "1"})
    assert late.status_code == 403
    assert not fresh(session, Placement, interest_request_id=sent)


def test_the_whole_placement_mentor_link_check_ins_and_outcome(browser, client, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": csrf_of(candidate, target)},
                   data={"consent": "1"})
    placement_id = fresh(session, Placement, interest_request_id=sent)[0].id
    url = f"/placements/{placement_id}"
    token = csrf_of(client, url)
    hx = {**HX, "X-CSRF-Token": token}

    too_early = client.post(f"{url}/start", headers=hx)
    assert too_early.status_code == 422 and "Nominate a workplace mentor before" in too_early.text
    broken = client.post(f"{url}/mentor", headers=hx, data={"name": "Ilse", "email": "nope", "training_completed": "1"})
    assert broken.status_code == 422
    assert 'id="error-role"' in broken.text and "This field is required." in broken.text
    assert "Enter an e-mail address like" in broken.text and "When did the mentor complete" in broken.text
    assert 'value="Ilse"' in broken.text  # what was typed stays
    nominated = client.post(f"{url}/mentor", headers=hx, data={
        "name": "Ilse Maes", "role": "Head nurse", "email": "ilse.maes@delinde.example", "languages": ["nl", "fr"],
        "training_completed": "1", "training_completed_on": "2026-01-20"})
    assert nominated.status_code == 200 and "Ilse Maes" in nominated.text
    assert "Ilse Maes" in candidate.get(target).text  # the candidate sees their mentor
    started = client.post(f"{url}/start", headers=hx)
    assert started.status_code == 200 and "Under way" in started.text

    mentor_url = link_in(session, "ilse.maes@delinde.example", "/mentor/")
    mentor_path = "/mentor/" + mentor_url.rsplit("/mentor/", 1)[1]
    mentor = browser()
    page = mentor.get(mentor_path)
    assert page.status_code == 200 and NAME in page.text and page.headers["referrer-policy"] == "same-origin"
    concern = mentor.post(mentor_path, headers={**HX, "X-CSRF-Token": csrf_of(mentor, mentor_path)},
                          data={"on": "2099-01-01", "rating": "concern", "note": ""})
    assert concern.status_code == 422 and "cannot be in the future" in concern.text
    from domain.tables import utcnow
    today = utcnow().date().isoformat()
    saved = mentor.post(mentor_path, headers={**HX, "X-CSRF-Token": csrf_of(mentor, mentor_path)},
                        data={"on": today, "rating": "concern", "note": "Often late: the bus connection."})
    assert saved.status_code == 200 and "Your check-in is saved" in saved.text
    assert mentor.get("/mentor/" + mentor_path.rsplit("/", 1)[1][:-2] + "xx").status_code == 404
    assert mentor.get(f"/placements/{placement_id}", follow_redirects=False).status_code == 303  # no account

    coach = browser()
    log_in(coach, world["coach"].email)
    dashboard = coach.get("/placements").text
    assert "1 placement needs your attention." in dashboard and "Latest check-in: concern" in dashboard
    coach_hx = {**HX, "X-CSRF-Token": csrf_of(coach, url)}
    checked = coach.post(f"{url}/check-ins", headers=coach_hx, data={"on": today, "rating": "good", "note": "Bus pass sorted."})
    assert checked.status_code == 200 and "Bus pass sorted." in checked.text
    assert "No placement needs your attention." in coach.get("/placements").text
    assert coach.post(f"{url}/complete", headers=coach_hx, data={"outcome": "hired"}).status_code == 403
    assert len(fresh(session, CheckIn, placement_id=placement_id)) == 2

    half = client.post(f"{url}/complete", headers=hx, data={"outcome": "hired", "contract_type": "fixed_term"})
    assert half.status_code == 422 and "How many months" in half.text
    done = client.post(f"{url}/complete", headers=hx, data={"outcome": "hired", "contract_type": "fixed_term",
                                                            "contract_months": "12"})
    assert done.status_code == 200 and "Completed" in done.text and "12 months" in done.text
    placement = fresh(session, Placement, id=placement_id)[0]
    assert (placement.state, placement.outcome, placement.contract_months) == ("completed", "hired", 12)


def test_login_link_page_and_its_single_use(browser, session, world, sent):
    client = browser()
    asked = client.post("/login/link", data={"csrf_token": csrf_of(client, "/login/link"), "email": EMAIL})
    assert asked.status_code == 200 and "a login link is on its way" in asked.text
    stranger = client.post("/login/link", data={"csrf_token": csrf_of(client, "/login/link"), "email": "x@y.be"})
    assert stranger.text.count("a login link is on its way") == 1  # the same answer: no account enumeration
    url = link_in(session, EMAIL, "/login/link/")
    path = "/login/link/" + url.rsplit("/login/link/", 1)[1]
    first = client.post(path, data={"csrf_token": csrf_of(client, path)}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/me"
    other = browser()
    second = other.post(path, data={"csrf_token": csrf_of(other, path)}, follow_redirects=False)
    assert second.status_code == 400 and "expired or was used already" in second.text
    mentorish = other.get("/mentor/" + url.rsplit("/", 1)[1])
    assert mentorish.status_code == 404  # a login link is not a check-in link


def test_candidate_downloads_their_data_and_erases_it(browser, client, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": csrf_of(candidate, target)},
                   data={"consent": "1"})
    client.get(f"/offers/{world['offer_id']}/interest")  # the employer looks: one disclosure
    download = candidate.get("/me/data.json")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    data = json.loads(download.text)
    assert data["identity"]["given_name"] == "Samira" and data["identity"]["email"] == EMAIL
    assert data["interest_requests"][0]["state"] == "accepted" and data["consents"][0]["employer"] == "WZC De Linde"
    assert data["disclosures"][0]["employer"] == "WZC De Linde"
    assert data["profile_as_employers_see_it"]["ref"] == world["candidate"].ref

    token = csrf_of(candidate, "/me/erase")
    unconfirmed = candidate.post("/me/erase", data={"csrf_token": token})
    assert unconfirmed.status_code == 422
    erased = candidate.post("/me/erase", data={"csrf_token": token, "confirm": "1"})
    assert erased.status_code == 200 and "Your data is erased" in erased.text
    assert candidate.get("/me", follow_redirects=False).status_code == 303  # logged out

    row = fresh(session, Candidate, id=world["candidate"].id)[0]
    assert row.erased_at is not None and row.ref != world["candidate"].ref and row.summary == ""
    assert not fresh(session, CandidateIdentity, candidate_id=row.id)
    assert fresh(session, OutboxEntry, index="candidates", key=str(row.id))  # leaves the index
    assert not fresh(session, OutgoingMail, recipient=EMAIL)
    assert not fresh(session, User, email=EMAIL)
    placement = fresh(session, Placement, candidate_id=row.id)
    assert len(placement) == 1 and placement[0].state == "planned"  # counted, anonymously
    employer_page = client.get(f"/offers/{world['offer_id']}/interest").text
    assert NAME not in employer_page and EMAIL not in employer_page and world["candidate"].ref not in employer_page
    assert log_in_fails(browser, EMAIL)


def log_in_fails(browser, email) -> bool:
    client = browser()
    response = client.post("/login", data={"email": email, "password": "opstap-demo-2026",
                                           "csrf_token": csrf_of(client)}, follow_redirects=False)
    return response.status_code == 400


def test_pages_refuse_the_wrong_roles(browser, client, session, world, sent):
    assert client.get("/me").status_code == 403  # the employer is not a candidate
    assert client.get("/interest-requests").status_code == 403
    assert client.get("/admin/mailbox").status_code == 403
    anonymous = browser()
    assert anonymous.get(f"/me/requests/{sent}", follow_redirects=False).status_code == 303
    coach = browser()
    log_in(coach, world["coach"].email)
    token = csrf_of(coach, "/interest-requests")
    assert coach.post(f"/offers/{world['offer_id']}/interest-requests", data={"csrf_token": token,
                                                                          "candidate_ref": "K-2222"}).status_code == 403
    other_candidate = make_candidate(session, world["coach"])
    session.flush()
    no_csrf = client.post(f"/offers/{world['offer_id']}/interest-requests", data={"candidate_ref": other_candidate.ref})
    assert no_csrf.status_code == 403 and len(fresh(session, InterestRequest, offer_id=world["offer_id"])) == 1


def test_admin_reads_the_mailbox(browser, session, world, sent):
    admin = browser()
    log_in(admin, make_user(session, role=Role.ADMIN).email)
    page = admin.get("/admin/mailbox").text
    assert "wil u graag ontmoeten" in page and "Interest request for" in page  # the candidate reads Dutch by default
    mail = fresh(session, OutgoingMail, recipient=EMAIL)[0]
    detail = admin.get(f"/admin/mailbox/{mail.id}").text
    assert "/login/link/" in detail


def test_notifications_are_shown_in_the_users_language(browser, session, world, sent):
    coach = browser()
    log_in(coach, world["coach"].email)
    page = coach.get("/notifications").text
    assert f"WZC De Linde sent an interest request to {world['candidate'].ref} for “Zorgkundige in opleiding”." in page


def test_no_identity_value_is_ever_logged(browser, client, session, world, caplog):
    caplog.set_level(logging.DEBUG)
    log_in(client, world["employer"].email)
    send_interest(client, world["offer_id"], world["candidate"].ref)
    request_id = fresh(session, InterestRequest, candidate_id=world["candidate"].id)[0].id
    candidate, target = candidate_logs_in(browser, session)
    candidate.post(f"/me/requests/{request_id}/accept", headers={**HX, "X-CSRF-Token": csrf_of(candidate, target)},
                   data={"consent": "1"})
    client.get(f"/offers/{world['offer_id']}/interest")
    candidate.get("/me/data.json")
    from domain.services.notifications import deliver_mail
    deliver_mail(session.connection(), None)
    logged = caplog.text
    for value in ("Samira", "Benali", EMAIL, PHONE, "Veldstraat"):
        assert value not in logged, value


def test_the_employer_answers_a_coachs_proposal_with_an_interest_request(client, session, world):
    from domain.matching import Explanation
    from domain.services.proposals import propose_candidate
    from domain.tables import ProposedCandidate

    explanation = Explanation(score=0.5, essential_covered=(), essential_missing=(), optional_covered=(),
                              optional_missing=(), languages_ok=True, languages_missing=(), distance_km=2.0)
    propose_candidate(session, world["coach"], world["candidate"].id, world["offer_id"], "A strong fit.", explanation)
    session.flush()
    proposed = fresh(session, ProposedCandidate, candidate_id=world["candidate"].id)[0]
    log_in(client, world["employer"].email)
    page = client.get(f"/offers/{world['offer_id']}").text
    assert "Proposals from job coaches" in page and f'name="proposed_id" value="{proposed.id}"' in page
    token = csrf_of(client, f"/offers/{world['offer_id']}")
    response = client.post(f"/offers/{world['offer_id']}/interest-requests", headers={**HX, "X-CSRF-Token": token},
                           data={"candidate_ref": world["candidate"].ref, "proposed_id": str(proposed.id)})
    assert response.status_code == 200 and "Interest request sent" in response.text
    [row] = fresh(session, InterestRequest, candidate_id=world["candidate"].id)
    assert row.proposal_id == proposed.proposal_id
    assert "Waiting for the candidate" in client.get(f"/offers/{world['offer_id']}").text


def test_ending_early_takes_a_reason_from_the_list_and_keeps_the_note_private(browser, client, session, world, sent):
    candidate, target = candidate_logs_in(browser, session)
    candidate.post(f"/me/requests/{sent}/accept", headers={**HX, "X-CSRF-Token": csrf_of(candidate, target)},
                   data={"consent": "1"})
    placement_id = fresh(session, Placement, interest_request_id=sent)[0].id
    url = f"/placements/{placement_id}"
    hx = {**HX, "X-CSRF-Token": csrf_of(client, url)}

    typed = client.post(f"{url}/end", headers=hx, data={"end_reason": "She moved to Antwerp", "end_note": "x"})
    assert typed.status_code == 422 and "Choose a reason from the list." in typed.text
    missing = client.post(f"{url}/end", headers=hx, data={"end_reason": "", "end_note": "Moved to Antwerp"})
    assert missing.status_code == 422 and "Say why the placement ends early." in missing.text
    assert "Moved to Antwerp" in missing.text  # what was typed stays

    ended = client.post(f"{url}/end", headers=hx, data={"end_reason": "travel_schedule", "end_note": "Moved to Antwerp"})
    assert ended.status_code == 200
    assert "Travel or working hours" in ended.text and "Moved to Antwerp" in ended.text
    placement = fresh(session, Placement, id=placement_id)[0]
    assert (placement.state, placement.end_reason, placement.end_note) == ("ended_early", "travel_schedule",
                                                                           "Moved to Antwerp")

    network = browser()
    log_in(network, make_user(session, role=Role.NETWORK).email)
    session.flush()
    dashboard = network.get("/network/dashboard").text
    assert "Moved to Antwerp" not in dashboard
