"""Every action the services write to the audit log belongs to one of the admin page's kinds."""

import re
from pathlib import Path

from domain.audit import AUDIT_KINDS, kind_of
from domain.interest import DISCLOSURE_ACTION

SERVICES = Path(__file__).resolve().parents[2] / "domain" / "services"
ACTION_RE = re.compile(r'action="([a-z_.]+)"|_audit\(session, actor, "([a-z_.]+)"')


def written_actions() -> set[str]:
    found = {DISCLOSURE_ACTION, "identity.view", "export.caseload", "export.offers", "export.directory",
             "export.candidate_data"}
    for source in SERVICES.glob("*.py"):
        for match in ACTION_RE.finditer(source.read_text()):
            found.add(next(g for g in match.groups() if g))
    return found


def test_every_written_action_has_a_kind():
    actions = written_actions()
    assert {"login.fail", "session.start", "session.end", "password.reset", "candidate.erase", "consent.give",
            "consent.withdraw", "admin.programme.rules"} <= actions
    assert sorted(a for a in actions if kind_of(a) == "other") == []


def test_the_kinds_the_issue_names_are_offered():
    assert {"identity", "consent", "export", "programme", "login", "session", "password", "erasure"} <= AUDIT_KINDS.keys()
