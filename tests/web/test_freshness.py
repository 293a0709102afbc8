"""A pool that stays fresh (issue 17): "Still looking?" asked by the background job with a clock moved by hand,
answered in one click from the e-mail link; old offers confirmed by their employer or paused."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.links import Links
from domain.services.accounts import actor_by_id
from domain.services.freshness import refresh_candidates, refresh_offers
from domain.services.portal import ensure_candidate_account, set_candidate_password
from domain.tables import Candidate, Notification, Offer, OutgoingMail, User, utcnow
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from web.app import create_app

HX = {"HX-Request": "true"}
EMAIL, PASSWORD = "samir.haidari@example.org", "a-long-password"


@pytest.fixture
def world(session, settings):
    coach = make_user(session, role=Role.COACH, organisation="Trajectbegeleiding Gent")
    created = make_candidate(session, coach, identity={"given_name": "Samir", "family_name": "Haidari",
                                                       "email": EMAIL})
    user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
    set_candidate_password(session, actor_by_id(session, user_id), PASSWORD)
    session.get(User, user_id).language = "fr"
    session.flush()
    links = Links(settings.secret_key, "http://testserver")
    return {"coach": coach, "candidate": created, "user_id": user_id, "links": links}


def mails(session, kind):
    return session.exec(select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id)).all()


def fresh(session, model, id_):
    return session.exec(select(model).where(model.id == id_).execution_options(populate_existing=True)).one()


def test_the_question_comes_after_six_weeks_in_french_and_only_once(session, world):
    created = fresh(session, Candidate, world["candidate"].id).created_at
    assert refresh_candidates(session, world["links"], now=created + timedelta(weeks=6) - timedelta(minutes=1)) == 0
    assert mails(session, "still_looking") == []
    asked = created + timedelta(weeks=6, hours=1)
    assert refresh_candidates(session, world["links"], now=asked) == 1
    assert refresh_candidates(session, world["links"], now=asked + timedelta(days=1)) == 0  # a second process
    [mail] = mails(session, "still_looking")
    assert mail.recipient == EMAIL
    assert mail.subject == "Vous cherchez toujours un stage ou un emploi ?"
    assert "http://testserver/still-looking/" in mail.body and "Haidari" not in mail.body


def test_no_answer_pauses_after_fourteen_days_the_coach_is_told_and_one_click_resumes(settings, connection, session,
                                                                                      search, world):
    drain(connection, search)
    index = search.writer.index(search.index_name("candidates"))

    def indexed() -> bool:
        return str(world["candidate"].id) in {str(d.id) for d in index.get_documents({"limit": 1000}).results}

    created = fresh(session, Candidate, world["candidate"].id).created_at
    asked = created + timedelta(weeks=6, hours=1)
    refresh_candidates(session, world["links"], now=asked)
    assert refresh_candidates(session, world["links"], now=asked + timedelta(days=13)) == 0
    assert refresh_candidates(session, world["links"], now=asked + timedelta(days=14)) == 1
    assert fresh(session, Candidate, world["candidate"].id).paused_by_clock
    coach_notes = session.exec(select(Notification).where(Notification.user_id == world["coach"].id,
                                                          Notification.kind == "freshness.paused")).all()
    assert len(coach_notes) == 1 and coach_notes[0].params == {"ref": world["candidate"].ref}
    drain(connection, search)
    assert not indexed()

    yes = re.search(r"http://testserver(/still-looking/\S+)", mails(session, "still_looking")[0].body).group(1)
    assert "no" not in yes.rsplit("/", 1)[0]
    with TestClient(create_app(settings, db=connection, search=search)) as browser:
        browser.cookies.set("opstap_lang", "fr")
        page = browser.get(yes)
        assert page.status_code == 200
        assert "Bon retour" in page.text or "employeurs" in page.text
        assert "Haidari" not in page.text
        again = browser.get(yes)  # a second click does no harm
        assert again.status_code == 200
        assert browser.get("/still-looking/not-a-signed-token").status_code == 404
    candidate = fresh(session, Candidate, world["candidate"].id)
    assert candidate.paused_at is None and not candidate.paused_by_clock and candidate.still_looking_at is not None
    drain(connection, search)
    assert indexed()


def test_the_no_link_pauses_and_an_old_question_link_is_refused(settings, connection, session, search, world):
    created = fresh(session, Candidate, world["candidate"].id).created_at
    refresh_candidates(session, world["links"], now=created + timedelta(weeks=6, hours=1))
    body = mails(session, "still_looking")[0].body
    yes, no = re.findall(r"http://testserver(/still-looking/\S+)", body)
    with TestClient(create_app(settings, db=connection, search=search)) as browser:
        assert browser.get(no).status_code == 200
        assert fresh(session, Candidate, world["candidate"].id).paused_at is not None
        # asked again later: the first question's link no longer answers
        candidate = fresh(session, Candidate, world["candidate"].id)
        candidate.still_looking_asked_at = utcnow() + timedelta(days=90)
        session.add(candidate)
        session.flush()
        assert browser.get(yes).status_code == 404


def test_the_question_on_my_page_answered_in_one_click(client, session, world):
    candidate = fresh(session, Candidate, world["candidate"].id)
    candidate.created_at = utcnow() - timedelta(weeks=7)  # a profile made seven weeks ago, asked now
    session.add(candidate)
    session.flush()
    assert refresh_candidates(session, world["links"]) == 1
    log_in(client, EMAIL, PASSWORD)
    page = client.get("/me").text  # in French, the language this candidate chose
    assert "Oui, je cherche toujours" in page
    token = csrf_of(client, "/me")
    answered = client.post("/me/still-looking", headers={**HX, "X-CSRF-Token": token}, data={"answer": "yes"})
    assert answered.status_code == 200 and 'id="matching"' in answered.text
    assert "Oui, je cherche toujours" not in answered.text
    assert fresh(session, Candidate, world["candidate"].id).still_looking_at is not None


def test_an_old_offer_asks_its_employer_who_confirms_and_an_unconfirmed_one_is_paused(client, session, settings):
    employer = make_employer(session)
    kept = make_offer(session, employer, publish=True, title="Trainee nurse")
    dropped = make_offer(session, employer, publish=True, title="Trainee cook")
    links = Links(settings.secret_key, "http://testserver")
    base = utcnow() - timedelta(days=61)  # both published 61 days ago and not changed since
    for offer_id in (kept, dropped):
        offer = fresh(session, Offer, offer_id)
        offer.published_at = offer.updated_at = base
        session.add(offer)
    session.flush()
    assert refresh_offers(session, links, now=base + timedelta(days=59)) == 0
    assert refresh_offers(session, links) == 2
    assert refresh_offers(session, links) == 0
    assert {m.subject for m in mails(session, "offer_confirm")} == {"Is “Trainee nurse” still open?",
                                                                    "Is “Trainee cook” still open?"}

    log_in(client, employer.email)
    page = client.get(f"/offers/{kept}").text
    assert "Yes, it is still open" in page
    token = csrf_of(client, f"/offers/{kept}")
    confirmed = client.post(f"/offers/{kept}/confirm", headers={**HX, "X-CSRF-Token": token})
    assert confirmed.status_code == 200 and "Yes, it is still open" not in confirmed.text

    assert refresh_offers(session, links, now=utcnow() + timedelta(days=14)) == 1
    assert fresh(session, Offer, kept).status == "published"
    assert fresh(session, Offer, dropped).status == "paused"
    [paused_mail] = mails(session, "offer_paused")
    assert paused_mail.subject == "“Trainee cook” is paused"


def test_answered_candidates_leave_the_job_alone_and_nobody_is_paused_without_being_asked(session, world):
    from domain.services.freshness import answer_still_looking

    unreachable = make_candidate(session, world["coach"], identity={"email": ""})  # no e-mail, no login
    created = fresh(session, Candidate, world["candidate"].id).created_at
    asked = created + timedelta(weeks=6, hours=1)
    assert refresh_candidates(session, world["links"], now=asked) == 1
    answer_still_looking(session, world["candidate"].id, asked, "yes", now=asked + timedelta(days=1))
    session.flush()
    later = asked + timedelta(days=30)  # past the 14 days, before the next 6 weeks
    assert refresh_candidates(session, world["links"], now=later) == 0
    assert fresh(session, Candidate, world["candidate"].id).paused_at is None
    assert fresh(session, Candidate, unreachable.id).still_looking_asked_at is None
    assert refresh_candidates(session, world["links"], now=asked + timedelta(days=1, weeks=6)) == 1  # asked again
    assert len(mails(session, "still_looking")) == 2
