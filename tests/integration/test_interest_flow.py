"""Interest, consent and placement services against the real database (SPEC §5)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.interest import DISCLOSURE_ACTION, InterestState
from domain.placement import CheckInInput, ContractType, Flag, Outcome, OutcomeInput, Rating
from domain.services.account_links import send_login_link, use_login_link
from domain.services.interest import (
    NoPlaceLeft,
    add_coach_feedback,
    candidate_request,
    coach_requests,
    decline_interest,
    disclose_contact,
    employer_request,
    expire_due,
    offer_interest,
    withdraw_interest,
)
from domain.services.notifications import notifications_of
from domain.services.placements import (
    complete_placement,
    end_placement_early,
    mentor_check_in,
    mentor_page,
    nominate_mentor,
    placement_detail,
    placements_of,
    record_check_in,
    start_placement,
)
from domain.tables import (
    AccountLink,
    AuditEntry,
    CheckIn,
    Consent,
    InterestRequest,
    Offer,
    OutgoingMail,
    Placement,
    ProposedCandidate,
    User,
    utcnow,
)
from domain.transitions import TransitionRefused
from domain.validation import NotAllowed, NotFound, RuleBroken
from seed.builders import (
    accept,
    builder_links,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
    mentor_input,
)


@pytest.fixture
def world(session):
    employer = make_employer(session, organisation="WZC Test")
    other_employer = make_employer(session, organisation="Elsewhere NV")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, places=2)
    candidate = make_candidate(session, coach, identity=dict(given_name="Amina", family_name="Rahimi",
                                                           email="amina.rahimi@example.org", phone="+32 470 11 22 33"))
    session.flush()
    return dict(employer=employer, other=other_employer, coach=coach, offer_id=offer_id, candidate=candidate)


def mails_to(session, address):
    return session.exec(select(OutgoingMail).where(OutgoingMail.recipient == address).order_by(OutgoingMail.id)).all()


def test_sending_notifies_candidate_and_coach_without_naming_the_candidate_to_anyone_else(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref, message="Welcome!")
    assert sent.state == InterestState.REQUESTED
    candidate = candidate_login(session, world["candidate"].id)
    assert candidate.role == Role.CANDIDATE and candidate.email == "amina.rahimi@example.org"
    [to_candidate] = mails_to(session, "amina.rahimi@example.org")
    assert "WZC Test" in to_candidate.subject and "/login/link/" in to_candidate.body
    [to_coach] = mails_to(session, world["coach"].email)
    assert world["candidate"].ref in to_coach.body and "Amina" not in to_coach.body and "Rahimi" not in to_coach.body
    assert [n.message for n in notifications_of(session, candidate)] == ["{employer} would like to meet you for “{offer}”."]
    assert len(notifications_of(session, world["coach"])) == 1


def test_one_open_request_per_offer_and_candidate_and_only_for_published_own_offers(session, world):
    make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    with pytest.raises(RuleBroken) as again:
        make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    assert again.value.violations[0].field == "candidate_ref"
    with pytest.raises(RuleBroken) as unknown:
        make_interest(session, world["employer"], world["offer_id"], "K-ZZZZ")
    assert unknown.value.violations[0].field == "candidate_ref"
    draft = make_offer(session, world["employer"])
    with pytest.raises(RuleBroken) as unpublished:
        make_interest(session, world["employer"], draft, world["candidate"].ref)
    assert {v.field for v in unpublished.value.violations} == {"offer"}
    with pytest.raises(NotFound):
        make_interest(session, world["other"], world["offer_id"], world["candidate"].ref)
    with pytest.raises(NotAllowed):
        make_interest(session, world["coach"], world["offer_id"], world["candidate"].ref)


def test_accepting_records_consent_creates_a_placement_and_discloses_to_that_employer_only(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    before = employer_request(session, world["employer"], sent.id)
    assert before.contact is None
    candidate = candidate_login(session, world["candidate"].id)
    with pytest.raises(RuleBroken) as unconfirmed:
        from domain.services.interest import accept_interest
        accept_interest(session, candidate, sent.id, confirmed=False, links=builder_links())
    assert unconfirmed.value.violations[0].field == "consent"

    accepted = accept(session, candidate, sent.id)
    assert accepted.disclosed_fields == ["name", "email", "phone"] and not accepted.offer_filled
    consent = session.exec(select(Consent).where(Consent.interest_request_id == sent.id)).one()
    assert consent.disclosed_fields == ["name", "email", "phone"] and "WZC Test" in consent.text
    assert "Amina" not in consent.text  # the consent names the fields, it does not copy the values
    placement = session.get(Placement, accepted.placement_id)
    assert placement.state == "planned" and placement.organisation_id == world["employer"].organisation_id

    audit_before = len(session.exec(select(AuditEntry).where(AuditEntry.action == DISCLOSURE_ACTION)).all())
    seen = employer_request(session, world["employer"], sent.id)
    assert seen.contact.name == "Amina Rahimi" and seen.contact.email == "amina.rahimi@example.org"
    disclosures = session.exec(select(AuditEntry).where(AuditEntry.action == DISCLOSURE_ACTION)).all()
    assert len(disclosures) == audit_before + 1
    assert disclosures[-1].detail["organisation"] == "WZC Test" and disclosures[-1].detail["fields"] == ["name", "email", "phone"]
    assert "Amina" not in str(disclosures[-1].detail)  # the log says which fields, never their values
    assert disclose_contact(session, world["other"], world["candidate"].id, "page") is None
    with pytest.raises(NotFound):
        employer_request(session, world["other"], sent.id)


def test_the_last_place_fills_the_offer_and_later_acceptances_are_refused(session, world):
    offer_id = make_offer(session, world["employer"], publish=True, places=1)
    other = make_candidate(session, world["coach"])
    first = make_interest(session, world["employer"], offer_id, world["candidate"].ref)
    second = make_interest(session, world["employer"], offer_id, other.ref)
    assert accept(session, candidate_login(session, world["candidate"].id), first.id).offer_filled
    assert session.get(Offer, offer_id).status == "filled"
    with pytest.raises(NoPlaceLeft):
        accept(session, candidate_login(session, other.id), second.id)
    assert session.get(InterestRequest, second.id).state == "requested"
    assert not candidate_request(session, candidate_login(session, other.id), second.id).places_left


def test_declining_tells_the_coach_the_reason_and_the_employer_a_kind_word(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    candidate = candidate_login(session, world["candidate"].id)
    with pytest.raises(RuleBroken):
        decline_interest(session, candidate, sent.id, "", "", links=builder_links())
    decline_interest(session, candidate, sent.id, "distance", "Two hours by bus", links=builder_links())
    [row] = [r for r in coach_requests(session, world["coach"]) if r.id == sent.id]
    assert (row.state, row.decline_reason, row.decline_note) == ("declined", "distance", "Two hours by bus")
    employer_mail = mails_to(session, world["employer"].email)[-1]
    assert "Thank you for your interest" in employer_mail.body and "bus" not in employer_mail.body
    assert "too far away" not in employer_mail.body  # the reason is for the coach
    view = employer_request(session, world["employer"], sent.id)
    assert view.state == "declined" and view.contact is None

    add_coach_feedback(session, world["coach"], sent.id, "Amina needs a workplace closer to Gent.", links=builder_links())
    view = employer_request(session, world["employer"], sent.id)
    assert view.coach_feedback == "[…] needs a workplace closer to Gent."  # scrubbed of the name
    with pytest.raises(RuleBroken):
        make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)  # they said no


def test_declining_a_proposed_candidate_updates_the_proposal(session, world):
    from domain.matching import Explanation
    from domain.services.proposals import propose_candidate

    explanation = Explanation(score=0.5, essential_covered=(), essential_missing=(), optional_covered=(),
                              optional_missing=(), languages_ok=True, languages_missing=(), distance_km=3.0)
    propose_candidate(session, world["coach"], world["candidate"].id, world["offer_id"], "", explanation)
    proposed = session.exec(select(ProposedCandidate).where(ProposedCandidate.candidate_id == world["candidate"].id)).one()
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref, proposed_id=proposed.id)
    assert session.get(InterestRequest, sent.id).proposal_id == proposed.proposal_id
    decline_interest(session, candidate_login(session, world["candidate"].id), sent.id, "timing", "",
                     links=builder_links())
    session.refresh(proposed)
    assert proposed.status == "declined_by_candidate"


def test_only_the_allowed_party_moves_a_request(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    candidate = candidate_login(session, world["candidate"].id)
    with pytest.raises(NotFound):
        withdraw_interest(session, candidate, sent.id)  # not the candidate's to withdraw
    with pytest.raises(NotFound):
        accept(session, world["employer"], sent.id)  # not the employer's to accept
    other = candidate_login(session, make_candidate(session, world["coach"]).id)
    with pytest.raises(NotFound):
        accept(session, other, sent.id)
    assert withdraw_interest(session, world["employer"], sent.id) == "withdrawn"
    with pytest.raises(TransitionRefused):
        accept(session, candidate, sent.id)
    with pytest.raises(TransitionRefused):
        withdraw_interest(session, world["employer"], sent.id)


def test_requests_expire_lazily_on_read_and_for_good_by_the_job(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref, expiry_days=3)
    later = utcnow() + timedelta(days=3, minutes=1)
    row = session.get(InterestRequest, sent.id)
    row.expires_at = utcnow() - timedelta(minutes=1)  # as if three days passed
    session.add(row)
    session.flush()
    candidate = candidate_login(session, world["candidate"].id)
    assert candidate_request(session, candidate, sent.id).state == "expired"
    assert candidate_request(session, candidate, sent.id).actions == []
    with pytest.raises(TransitionRefused):
        accept(session, candidate, sent.id)
    assert expire_due(session, later) == 1
    assert expire_due(session, later) == 0  # only once, however many processes run the job
    assert session.get(InterestRequest, sent.id).state == "expired"
    assert any("expired" in n.message for n in notifications_of(session, world["employer"]))
    again = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)  # may ask again
    assert again.state == "requested"


def test_placement_needs_a_mentor_to_start_and_ibo_needs_its_contract_to_complete(session, world):
    offer_id = make_offer(session, world["employer"], publish=True, type="work_based_training", duration_value=8,
                          monthly_pay_eur=None, followup_contract_months=6)
    sent = make_interest(session, world["employer"], offer_id, world["candidate"].ref)
    placement_id = accept(session, candidate_login(session, world["candidate"].id), sent.id).placement_id
    with pytest.raises(RuleBroken) as no_mentor:
        start_placement(session, world["employer"], placement_id)
    assert no_mentor.value.violations[0].field == "mentor"
    with pytest.raises(NotAllowed):
        nominate_mentor(session, world["coach"], placement_id, mentor_input(), links=builder_links())
    nominate_mentor(session, world["employer"], placement_id, mentor_input(email="ilse@wzc.example"), links=builder_links())
    [mail] = mails_to(session, "ilse@wzc.example")
    assert "/mentor/" in mail.body
    with pytest.raises(TransitionRefused):
        start_placement(session, world["coach"], placement_id)  # the employer starts it
    assert start_placement(session, world["employer"], placement_id) == "active"

    with pytest.raises(RuleBroken) as ibo:
        complete_placement(session, world["employer"], placement_id, OutcomeInput(Outcome.NO_HIRE))
    assert ibo.value.violations[0].field == "outcome"
    with pytest.raises(RuleBroken):
        complete_placement(session, world["employer"], placement_id,
                           OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, 4))
    assert complete_placement(session, world["employer"], placement_id,
                              OutcomeInput(Outcome.HIRED, ContractType.OPEN_ENDED)) == "completed"
    placement = session.get(Placement, placement_id)
    assert (placement.outcome, placement.contract_open_ended, placement.contract_months) == ("hired", True, None)


def test_mentor_link_records_check_ins_and_the_coach_sees_flags(session, world):
    sent = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    placement_id = accept(session, candidate_login(session, world["candidate"].id), sent.id).placement_id
    links = builder_links()
    nominate_mentor(session, world["employer"], placement_id, mentor_input(email="m1@wzc.example"), links=links)
    link = mails_to(session, "m1@wzc.example")[0].body.split("http://opstap.test/mentor/")[1].split()[0]
    start_placement(session, world["employer"], placement_id)
    page = mentor_page(session, link, links)
    assert page.candidate_name == "Amina Rahimi" and page.can_record
    disclosure = session.exec(select(AuditEntry).where(AuditEntry.action == DISCLOSURE_ACTION)
                              .order_by(AuditEntry.id.desc())).first()
    assert disclosure.detail["via"] == "mentor_link" and disclosure.detail["fields"] == ["name"]

    mentor_check_in(session, link, CheckInInput(utcnow().date(), Rating.CONCERN, "Often late; bus connection?"),
                    links=links)
    [summary] = [p for p in placements_of(session, world["coach"]) if p.id == placement_id]
    assert summary.flags == [Flag.CONCERN]
    assert any(m.kind == "concern_to_coach" for m in mails_to(session, world["coach"].email))
    record_check_in(session, world["coach"], placement_id, CheckInInput(utcnow().date(), Rating.GOOD, "Bus sorted."),
                    links=links)
    [summary] = [p for p in placements_of(session, world["coach"]) if p.id == placement_id]
    assert summary.flags == []
    with pytest.raises(NotAllowed):
        record_check_in(session, world["employer"], placement_id, CheckInInput(utcnow().date(), Rating.GOOD),
                        links=links)
    # No check-in for 14 days: flagged.
    for row in session.exec(select(CheckIn).where(CheckIn.placement_id == placement_id)).all():
        row.on = utcnow().date() - timedelta(days=15)
        session.add(row)
    placement = session.get(Placement, placement_id)
    placement.started_at = utcnow() - timedelta(days=30)
    session.add(placement)
    session.flush()
    [summary] = [p for p in placements_of(session, world["coach"]) if p.id == placement_id]
    assert summary.flags == [Flag.NO_CHECK_IN]

    # A new nomination invalidates the old link.
    nominate_mentor(session, world["employer"], placement_id, mentor_input(email="m2@wzc.example"), links=links)
    with pytest.raises(NotFound):
        mentor_page(session, link, links)
    assert end_placement_early(session, world["coach"], placement_id, "travel_schedule", "Moved to Antwerp") == "ended_early"
    detail = placement_detail(session, world["employer"], placement_id)
    assert (detail.end_reason, detail.end_note) == ("travel_schedule", "Moved to Antwerp") and detail.actions == []


def test_login_links_work_once_and_only_for_their_purpose(session, world):
    make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    links = builder_links()
    send_login_link(session, "AMINA.RAHIMI@example.org ", links, "10.0.0.1")
    send_login_link(session, world["coach"].email, links, "10.0.0.1")  # not a candidate: nothing is sent
    send_login_link(session, "nobody@example.org", links, "10.0.0.1")
    mails = [m for m in session.exec(select(OutgoingMail).where(OutgoingMail.kind == "login_link")).all()]
    assert [m.recipient for m in mails] == ["amina.rahimi@example.org"]
    token = mails[0].body.split("/login/link/")[1].split()[0]
    assert session.exec(select(AccountLink).where(AccountLink.token_hash == token)).first() is None  # only a hash
    actor, target = use_login_link(session, token)
    assert actor.email == "amina.rahimi@example.org" and target == "/me"
    assert use_login_link(session, token) is None  # single use
    mentor_token = links.mentor_link(1, "nonce").rsplit("/", 1)[1]
    assert use_login_link(session, mentor_token) is None  # another purpose's link
    assert links.read_mentor_token(token) is None
    assert use_login_link(session, token.replace(token[-3:], "abc")) is None
    send_login_link(session, "amina.rahimi@example.org", links, "10.0.0.2")
    fresh = session.exec(select(AccountLink).where(AccountLink.used_at == None)).all()  # noqa: E711
    for row in fresh:
        row.expires_at = row.created_at - timedelta(seconds=1)
        session.add(row)
    session.flush()
    newest = session.exec(select(OutgoingMail).where(OutgoingMail.kind == "login_link")
                          .order_by(OutgoingMail.id.desc())).first()
    assert use_login_link(session, newest.body.split("/login/link/")[1].split()[0]) is None  # expired


def test_candidate_without_email_gets_no_login_but_the_request_still_reaches_the_coach(session, world):
    quiet = make_candidate(session, world["coach"], identity=dict(email=""))
    make_interest(session, world["employer"], world["offer_id"], quiet.ref)
    assert session.exec(select(User).where(User.role == "candidate", User.email == "")).first() is None
    assert len(notifications_of(session, world["coach"])) == 1


def test_offer_interest_lists_requests_with_names_only_after_acceptance(session, world):
    other = make_candidate(session, world["coach"], identity=dict(given_name="Yonas", family_name="Tesfaye"))
    first = make_interest(session, world["employer"], world["offer_id"], world["candidate"].ref)
    make_interest(session, world["employer"], world["offer_id"], other.ref)
    accept(session, candidate_login(session, world["candidate"].id), first.id)
    listing = offer_interest(session, world["employer"], world["offer_id"])
    assert listing.accepted == 1 and listing.places == 2
    named = {r.candidate_ref: (r.contact.name if r.contact else None) for r in listing.requests}
    assert named == {world["candidate"].ref: "Amina Rahimi", other.ref: None}
