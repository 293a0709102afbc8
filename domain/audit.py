"""The audit log's kinds, as data: which recorded actions each filter on the admin's audit page covers.

Pure: no I/O. Every action the services write (``AuditEntry.action``) belongs to exactly one kind; a
test checks that. Records name people and things by id or pseudonymous reference only, never by a
name, an e-mail address or a phone number.
"""

from domain.interest import DISCLOSURE_ACTION
from domain.validation import N_

# kind -> (label, the actions it covers; an entry ending in "." covers every action with that prefix)
AUDIT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "identity": (N_("Identity views and disclosures"), ("identity.view", DISCLOSURE_ACTION)),
    "consent": (N_("Consent given or withdrawn"), ("consent.",)),
    "export": (N_("Exports"), ("export.",)),
    "programme": (N_("Programme rule changes"), ("admin.programme.",)),
    "login": (N_("Logins and failed logins"), ("session.start", "login.")),
    "session": (N_("Session ends"), ("session.end",)),
    "password": (N_("Password resets"), ("password.",)),
    "erasure": (N_("Erasures"), ("candidate.erase",)),
    "admin": (N_("Organisations and users"), ("admin.organisation.", "admin.user.")),
    "work": (N_("Offers, requests and placements"),
             ("offer.", "interest.", "proposal.", "mentor.", "placement.", "checkin.", "candidate.screen")),
}

PAGE_SIZE = 50


def covers(pattern: str, action: str) -> bool:
    return action.startswith(pattern) if pattern.endswith(".") else action == pattern


def kind_of(action: str) -> str:
    """The kind an action belongs to; "other" when none claims it."""
    for kind, (_, patterns) in AUDIT_KINDS.items():
        if any(covers(p, action) for p in patterns):
            return kind
    return "other"
