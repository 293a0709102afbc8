"""Offer services against the database: life cycle, visibility, rewriting skills and languages."""

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.offers import LanguageRequirement, OfferStatus, SkillRequirement
from domain.services.offers import (
    change_status,
    offer_detail,
    organisation_offers,
    published_offers,
    update_offer,
)
from domain.tables import AuditEntry, Offer, OfferLanguage, OfferSkill, Skill
from domain.validation import NotAllowed, NotFound, RuleBroken
from seed.builders import make_employer, make_offer, make_user, offer_input

# How to reach each status from a draft, through the employer's actions.
PATHS = {
    OfferStatus.DRAFT: [],
    OfferStatus.PUBLISHED: ["publish"],
    OfferStatus.PAUSED: ["publish", "pause"],
    OfferStatus.CLOSED: ["close"],
}
ALLOWED = {
    (OfferStatus.DRAFT, "publish"): OfferStatus.PUBLISHED,
    (OfferStatus.DRAFT, "close"): OfferStatus.CLOSED,
    (OfferStatus.PUBLISHED, "pause"): OfferStatus.PAUSED,
    (OfferStatus.PUBLISHED, "close"): OfferStatus.CLOSED,
    (OfferStatus.PAUSED, "publish"): OfferStatus.PUBLISHED,
    (OfferStatus.PAUSED, "close"): OfferStatus.CLOSED,
}
PAIRS = [(status, action) for status in PATHS for action in ("publish", "pause", "close", "fill", "delete")]


def stored_status(session, offer_id) -> str:
    return session.exec(select(Offer.status).where(Offer.id == offer_id)).one()


@pytest.mark.parametrize("status,action", PAIRS)
def test_every_employer_action_from_every_status(session, status, action):
    employer = make_employer(session)
    offer_id = make_offer(session, employer)
    for step in PATHS[status]:
        change_status(session, employer, offer_id, step)
    session.flush()

    if (status, action) in ALLOWED:
        assert change_status(session, employer, offer_id, action) == ALLOWED[(status, action)]
        session.flush()
        assert stored_status(session, offer_id) == ALLOWED[(status, action)]
        assert session.exec(select(AuditEntry).where(AuditEntry.subject == f"offer:{offer_id}",
                                                     AuditEntry.action == f"offer.{action}")).first()
    else:
        with pytest.raises(NotAllowed):
            change_status(session, employer, offer_id, action)
        session.flush()
        assert stored_status(session, offer_id) == status


def test_published_at_is_the_first_publication(session):
    employer = make_employer(session)
    offer_id = make_offer(session, employer, publish=True)
    session.flush()
    first = session.get(Offer, offer_id).published_at
    change_status(session, employer, offer_id, "pause")
    change_status(session, employer, offer_id, "publish")
    session.flush()
    assert session.get(Offer, offer_id).published_at == first


@pytest.mark.parametrize("status", [OfferStatus.DRAFT, OfferStatus.PUBLISHED, OfferStatus.PAUSED,
                                    OfferStatus.CLOSED])
def test_who_sees_an_offer(session, status):
    owner = make_employer(session)
    colleague = make_user(session, role=Role.EMPLOYER, organisation=owner.organisation_name)
    other = make_employer(session)
    coach = make_user(session, role=Role.COACH)
    admin = make_user(session, role=Role.ADMIN)
    network = make_user(session, role=Role.NETWORK)
    offer_id = make_offer(session, owner)
    for step in PATHS[status]:
        change_status(session, owner, offer_id, step)
    session.flush()

    assert colleague.organisation_id == owner.organisation_id
    for actor in (owner, colleague):
        assert offer_detail(session, actor, offer_id).status == status
    for actor in (coach, admin):
        if status == OfferStatus.PUBLISHED:
            detail = offer_detail(session, actor, offer_id)
            assert detail.actions == [] and detail.editable is False
        else:
            with pytest.raises(NotFound):
                offer_detail(session, actor, offer_id)
    for actor in (other, network):
        with pytest.raises(NotFound):
            offer_detail(session, actor, offer_id)


def test_a_colleague_can_manage_the_organisations_offers(session):
    owner = make_employer(session)
    colleague = make_user(session, role=Role.EMPLOYER, organisation=owner.organisation_name)
    offer_id = make_offer(session, owner)
    assert change_status(session, colleague, offer_id, "publish") == OfferStatus.PUBLISHED
    assert [o.id for o in organisation_offers(session, colleague)] == [offer_id]


def test_another_organisation_cannot_change_or_edit(session):
    owner = make_employer(session)
    other = make_employer(session)
    offer_id = make_offer(session, owner, title="Mine")
    session.flush()
    with pytest.raises(NotFound):
        change_status(session, other, offer_id, "publish")
    with pytest.raises(NotFound):
        update_offer(session, other, offer_id, offer_input(title="Theirs"))
    session.flush()
    row = session.get(Offer, offer_id)
    session.refresh(row)
    assert (row.title, row.status) == ("Mine", "draft")


def test_update_replaces_skills_and_languages(session):
    employer = make_employer(session)
    uris = session.exec(select(Skill.uri).order_by(Skill.uri).limit(3)).all()
    offer_id = make_offer(session, employer, skills=[(uris[0], True), (uris[1], False)],
                          languages=[LanguageRequirement("nl", "B1"), LanguageRequirement("en", "A2")])
    update_offer(session, employer, offer_id, offer_input(
        skills=[SkillRequirement(uris[2], False)], languages=[LanguageRequirement("fr", "B2")]))
    session.flush()
    skills = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer_id)).all()
    languages = session.exec(select(OfferLanguage).where(OfferLanguage.offer_id == offer_id)).all()
    assert [(s.skill_uri, s.essential) for s in skills] == [(uris[2], False)]
    assert [(lang.language, lang.min_level) for lang in languages] == [("fr", "B2")]


def test_a_closed_offer_cannot_be_updated(session):
    employer = make_employer(session)
    offer_id = make_offer(session, employer)
    change_status(session, employer, offer_id, "close")
    with pytest.raises(NotAllowed):
        update_offer(session, employer, offer_id, offer_input(title="After close"))


def test_an_invalid_update_writes_nothing(session):
    employer = make_employer(session)
    offer_id = make_offer(session, employer, title="Valid")
    session.flush()
    with pytest.raises(RuleBroken):
        update_offer(session, employer, offer_id, offer_input(title="", duration_value=99))
    session.flush()
    row = session.get(Offer, offer_id)
    session.refresh(row)
    assert row.title == "Valid"


def test_published_offers_lists_only_published_ones(session):
    employer = make_employer(session)
    draft = make_offer(session, employer)
    published = make_offer(session, employer, publish=True)
    paused = make_offer(session, employer, publish=True)
    change_status(session, employer, paused, "pause")
    session.flush()
    ids = {o.id for o in published_offers(session)}
    assert published in ids
    assert draft not in ids and paused not in ids
