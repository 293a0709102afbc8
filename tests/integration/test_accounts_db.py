"""Account services against the database: time windows, uniqueness, one-time invitations."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from domain.accounts import Role
from domain.services.accounts import (
    LoginThrottled,
    accept_invitation,
    authenticate,
    invitation_for,
    invite_colleague,
    sign_up_employer,
)
from domain.tables import Invitation, LoginAttempt, User, utcnow
from domain.validation import RuleBroken
from seed.builders import DEFAULT_PASSWORD, make_employer, make_user


def fields(broken: RuleBroken) -> set[str]:
    return {v.field for v in broken.violations}


def test_signup_stores_a_lower_cased_address_and_refuses_it_twice(session):
    actor = sign_up_employer(session, organisation_name="Acme", name="An", email="An@Acme.BE",
                             password="long-enough-pw")
    assert actor.email == "an@acme.be" and actor.role == Role.EMPLOYER
    with pytest.raises(RuleBroken) as broken:
        sign_up_employer(session, organisation_name="Acme 2", name="An", email="AN@acme.be",
                         password="long-enough-pw")
    assert fields(broken.value) == {"email"}


def test_signup_reports_every_broken_field_at_once(session):
    with pytest.raises(RuleBroken) as broken:
        sign_up_employer(session, organisation_name=" ", name="", email="nope", password="short")
    assert fields(broken.value) == {"organisation_name", "name", "email", "password"}


def test_failed_attempts_older_than_the_window_do_not_count(session):
    actor = make_employer(session)
    long_ago = utcnow() - timedelta(minutes=16)
    session.add_all([LoginAttempt(key=actor.email, at=long_ago, succeeded=False) for _ in range(5)])
    session.flush()
    assert authenticate(session, actor.email, DEFAULT_PASSWORD) == actor


def test_five_recent_failures_block_the_address(session):
    actor = make_employer(session)
    recently = utcnow() - timedelta(minutes=14)
    session.add_all([LoginAttempt(key=actor.email, at=recently, succeeded=False) for _ in range(5)])
    session.flush()
    with pytest.raises(LoginThrottled):
        authenticate(session, actor.email, DEFAULT_PASSWORD)


def test_failures_are_recorded_and_counted_per_lower_cased_address(session):
    actor = make_employer(session)
    for variant in ("X@Example.be", "x@example.be", " x@EXAMPLE.be "):
        assert authenticate(session, variant, "wrong") is None
    session.flush()
    keys = session.exec(select(LoginAttempt.key).where(LoginAttempt.key == "x@example.be")).all()
    assert len(keys) == 3
    assert authenticate(session, actor.email, DEFAULT_PASSWORD) == actor  # other address unaffected


def test_an_inactive_user_cannot_log_in(session):
    actor = make_employer(session)
    session.exec(update(User).where(User.id == actor.id).values(is_active=False))
    session.flush()
    assert authenticate(session, actor.email, DEFAULT_PASSWORD) is None


def test_an_invitation_is_valid_until_it_expires(session):
    inviter = make_employer(session, organisation="Inviting Org")
    token = invite_colleague(session, inviter, "New@Example.be")
    session.flush()
    view = invitation_for(session, token)
    assert (view.organisation_name, view.email) == ("Inviting Org", "new@example.be")

    stored = session.exec(select(Invitation).where(Invitation.email == "new@example.be")).one()
    assert token not in stored.token_hash  # only a hash of the secret is kept
    assert timedelta(days=13) < stored.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None) \
        <= timedelta(days=14)

    session.exec(update(Invitation).where(Invitation.id == stored.id).values(expires_at=utcnow() + timedelta(minutes=1)))
    session.expire_all()
    assert invitation_for(session, token) is not None
    session.exec(update(Invitation).where(Invitation.id == stored.id).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.expire_all()
    assert invitation_for(session, token) is None


def test_an_invitation_works_once_and_joins_the_inviters_organisation(session):
    inviter = make_employer(session)
    token = invite_colleague(session, inviter, "colleague@example.be")
    joined = accept_invitation(session, token, name="Colleague", password="long-enough-pw")
    assert (joined.role, joined.organisation_id) == (Role.EMPLOYER, inviter.organisation_id)
    with pytest.raises(RuleBroken) as broken:
        accept_invitation(session, token, name="Again", password="long-enough-pw")
    assert fields(broken.value) == {"invitation"}


def test_a_coach_invitation_makes_a_coach(session):
    coach = make_user(session, role=Role.COACH, organisation="Integration agency")
    token = invite_colleague(session, coach, "coach2@example.be")
    joined = accept_invitation(session, token, name="Coach Two", password="long-enough-pw")
    assert (joined.role, joined.organisation_id) == (Role.COACH, coach.organisation_id)


def test_an_admin_without_organisation_cannot_invite(session):
    from domain.validation import NotAllowed

    admin = make_user(session, role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        invite_colleague(session, admin, "someone@example.be")
