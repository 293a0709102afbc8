"""The demo data loads through the services, with Level@work screenings and a coaching log."""

from sqlmodel import select

from domain.services.candidates import profile_facts
from domain.tables import CoachingLogEntry, Screening
from seed.demo import seed_demo


def test_demo_data_has_screened_candidates_and_a_coaching_log(session):
    assert seed_demo(session)
    screenings = session.exec(select(Screening)).all()
    assert sorted(s.eligible for s in screenings) == [False, True, True]
    eligible = [s.candidate_id for s in screenings if s.eligible]
    assert all(f.eligible_programmes == ["level_at_work"] for f in profile_facts(session, eligible).values())
    assert session.exec(select(CoachingLogEntry)).first() is not None
    assert not seed_demo(session)  # idempotent


def test_demo_data_has_interest_requests_placements_a_mentor_and_check_ins(session):
    from domain.placement import Flag
    from domain.services.accounts import authenticate
    from domain.services.placements import placements_of
    from domain.tables import CheckIn, InterestRequest, Mentor, Placement, User

    assert seed_demo(session)
    states = sorted(r.state for r in session.exec(select(InterestRequest)).all())
    assert states == ["accepted", "accepted", "declined", "requested", "requested"]
    assert sorted(p.state for p in session.exec(select(Placement)).all()) == ["active", "active"]
    assert len(session.exec(select(Mentor)).all()) == 2 and len(session.exec(select(CheckIn)).all()) == 2
    coach = authenticate(session, "coach@demo.opstap.be", "opstap-demo-2026")
    flags = sorted(tuple(p.flags) for p in placements_of(session, coach))
    assert flags == [(), (Flag.NO_CHECK_IN,)]
    candidate = session.exec(select(User).where(User.email == "amina.rahimi@mail.demo.opstap.be")).one()
    assert candidate.role == "candidate" and authenticate(session, candidate.email, "opstap-demo-2026")


def test_demo_offers_use_official_esco_occupations_and_skills_across_six_sectors(session):
    from domain.reference import esco_occupations, esco_skills
    from domain.tables import Offer, OfferSkill

    assert seed_demo(session)
    offers = session.exec(select(Offer)).all()
    occupations = esco_occupations()
    assert all(o.occupation_uri in occupations for o in offers)
    assert {"Q", "J", "H", "I", "F", "C"} <= {o.sector for o in offers}  # care, tech, logistics, hospitality,
    # construction, a bakery
    assert {occupations[o.occupation_uri].labels["nl"] for o in offers} >= {"bakker", "metselaar",
                                                                           "algemeen verpleegkundige"}
    skills = esco_skills()
    rows = session.exec(select(OfferSkill)).all()
    assert rows and all(r.skill_uri in skills for r in rows)
