"""Explanations name related skills: a missing essential skill next to one the candidate has in ESCO."""

import pytest

from domain.accounts import Role
from domain.matching import Requirements, explain, skill_score
from domain.reference import esco_skills, related_map
from domain.services.offers import offer_facts
from search.matching import match_candidates
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_offer, make_user

JAVA = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"  # Java (computer programming)
PROGRAMMING = "http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"  # computer programming


@pytest.fixture
def python_skill():
    return next(s.uri for s in esco_skills().values() if s.labels["en"] == "Python (computer programming)")


def test_a_sibling_a_broader_and_a_narrower_skill_are_named_but_not_counted(python_skill):
    requirements = Requirements((JAVA, PROGRAMMING), (), {})
    related = related_map(requirements.essential)
    e = explain(requirements, {python_skill}, {}, {}, None, related)
    assert e.essential_related == ((JAVA, python_skill), (PROGRAMMING, python_skill))  # sibling, then narrower
    assert e.score == 0.0  # explanation only
    assert explain(Requirements((python_skill,), (), {}), {PROGRAMMING}, {}, {}, None,
                   related_map([python_skill])).essential_related == ((python_skill, PROGRAMMING),)  # broader
    assert skill_score(requirements, {python_skill}, {}, related, related_credit=0.5) == 0.5


def test_match_explanations_say_related(session, connection, search, python_skill):
    employer = make_employer(session, postcode="9000")
    coach = make_user(session, role=Role.COACH)
    sql = next(s.uri for s in esco_skills().values() if s.labels["en"] == "SQL")
    offer_id = make_offer(session, employer, publish=True, postcode="9000", skills=[(JAVA, True), (sql, False)])
    candidate = make_candidate(session, coach, skills=[python_skill, sql], postcode="9000")
    session.flush()
    drain(connection, search)
    [match] = [m for m in match_candidates(search, offer_facts(session, [offer_id])[offer_id])
               if m.ref == candidate.ref]
    assert match.explanation.essential_missing == (JAVA,)
    assert match.explanation.essential_related == ((JAVA, python_skill),)
