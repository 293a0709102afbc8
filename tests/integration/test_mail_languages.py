"""Every e-mail goes out in its recipient's language (nl, fr, en), into a real aiosmtpd server."""

import pytest

from domain.accounts import Role
from domain.services.accounts import choose_language
from domain.services.notifications import deliver_mail
from domain.services.placements import nominate_mentor
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
from tests.integration.test_mail_smtp import smtp  # noqa: F401 - the real SMTP server fixture

COACH_SUBJECTS = {"en": "Interest request for {ref}", "nl": "Interesseaanvraag voor {ref}",
                  "fr": "Demande de rencontre pour {ref}"}
CANDIDATE_SUBJECTS = {"en": "Hotel Ter Schelde would like to meet you", "nl": "Hotel Ter Schelde wil u graag ontmoeten",
                      "fr": "Hotel Ter Schelde souhaite vous rencontrer"}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_coach_and_the_candidate_each_read_the_mail_in_their_own_language(session, connection, smtp, lang):  # noqa: F811
    sink, url = smtp
    employer = make_employer(session, organisation="Hotel Ter Schelde")
    coach = make_user(session, role=Role.COACH, email=f"coach.{lang}@example.be")
    choose_language(session, coach, lang)
    offer_id = make_offer(session, employer, publish=True, title="Front desk trainee")
    candidate = make_candidate(session, coach, identity=dict(given_name="Fatma", email=f"fatma.{lang}@example.org"))
    other = {"nl": "fr", "fr": "en", "en": "nl"}[lang]  # the candidate chose another language than their coach
    choose_language(session, candidate_login(session, candidate.id), other)
    make_interest(session, employer, offer_id, candidate.ref)
    session.flush()

    assert deliver_mail(connection, url) == 2
    by_recipient = {tuple(rcpt): message for rcpt, message in sink.messages}
    assert by_recipient[(f"coach.{lang}@example.be",)]["Subject"] == COACH_SUBJECTS[lang].format(ref=candidate.ref)
    to_candidate = by_recipient[(f"fatma.{lang}@example.org",)]
    assert to_candidate["Subject"] == CANDIDATE_SUBJECTS[other]
    greeting = {"en": "Hello Fatma", "nl": "Beste Fatma", "fr": "Bonjour Fatma"}[other]
    assert greeting in to_candidate.get_content()


def test_a_mentor_without_an_account_is_written_to_in_a_language_they_speak(session, connection, smtp):  # noqa: F811
    sink, url = smtp
    employer = make_employer(session, organisation="Hotel Ter Schelde")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, title="Front desk trainee")
    candidate = make_candidate(session, coach, identity=dict(given_name="Fatma", email="fatma.m@example.org"))
    request = make_interest(session, employer, offer_id, candidate.ref)
    accepted = accept(session, candidate_login(session, candidate.id), request.id)
    nominate_mentor(session, employer, accepted.placement_id,
                    mentor_input(email="mentor.fr@example.be", languages=["ar", "fr"]), links=builder_links())
    session.flush()
    deliver_mail(connection, url)
    by_recipient = {tuple(rcpt): message for rcpt, message in sink.messages}
    assert by_recipient[("mentor.fr@example.be",)]["Subject"] == \
        "Vous êtes tuteur·rice sur le lieu de travail pour «\u00a0Front desk trainee\u00a0»"


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_before_their_first_login_a_candidate_is_written_to_in_the_language_the_coach_recorded(
        session, connection, smtp, lang):  # noqa: F811
    sink, url = smtp
    employer = make_employer(session, organisation="Hotel Ter Schelde")
    coach = make_user(session, role=Role.COACH, email=f"coach.c{lang}@example.be")
    choose_language(session, coach, {"nl": "en", "fr": "nl", "en": "fr"}[lang])  # the coach reads another one
    offer_id = make_offer(session, employer, publish=True, title="Front desk trainee")
    candidate = make_candidate(session, coach, identity=dict(given_name="Fatma", email=f"fatma.c{lang}@example.org",
                                                             correspondence_language=lang))
    make_interest(session, employer, offer_id, candidate.ref)
    session.flush()

    deliver_mail(connection, url)
    by_recipient = {tuple(rcpt): message for rcpt, message in sink.messages}
    to_candidate = by_recipient[(f"fatma.c{lang}@example.org",)]
    assert to_candidate["Subject"] == CANDIDATE_SUBJECTS[lang]
    assert {"en": "Hello Fatma", "nl": "Beste Fatma", "fr": "Bonjour Fatma"}[lang] in to_candidate.get_content()


def test_the_candidates_own_choice_wins_over_the_recorded_language(session, connection, smtp):  # noqa: F811
    sink, url = smtp
    employer = make_employer(session, organisation="Hotel Ter Schelde")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, title="Front desk trainee")
    candidate = make_candidate(session, coach, identity=dict(given_name="Fatma", email="fatma.own@example.org",
                                                             correspondence_language="nl"))
    choose_language(session, candidate_login(session, candidate.id), "fr")  # chosen at first login
    make_interest(session, employer, offer_id, candidate.ref)
    session.flush()
    deliver_mail(connection, url)
    by_recipient = {tuple(rcpt): message for rcpt, message in sink.messages}
    assert by_recipient[("fatma.own@example.org",)]["Subject"] == CANDIDATE_SUBJECTS["fr"]
