"""A candidate keeps their own profile (SPEC §1): sees what employers see, changes what they may change,
pauses or resumes being matched, and asks their coach to correct their identity. The coach is told of
each change and reads the history."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor
from domain.candidates import ProfileInput, message_violations, profile_changes, with_own_changes
from domain.freshness import question_open
from domain.links import path
from domain.services.candidates import ProfilePreview, _own_candidate, preview_of, save_profile, saved_profile
from domain.services.notifications import notify
from domain.services.outbox import enqueue
from domain.services.portal import candidate_of
from domain.tables import Candidate, CandidateProfileChange, Placement, Skill, User, utcnow
from domain.validation import N_, RuleBroken

PLACEMENT_ACTIVE = "active"  # started and not ended: the candidate is at work, out of matching until it ends


@dataclass(frozen=True)
class OwnProfile:
    """The signed-in candidate's profile: the form's values, what employers see, and whether they are matched."""

    ref: str
    profile: ProfileInput
    preview: ProfilePreview
    paused: bool
    paused_by_clock: bool = False  # paused because "Still looking?" went unanswered
    still_looking_asked: bool = False  # "Still looking?" asked and not answered yet


def own_profile(session: Session, actor: Actor, lang: str, typed: ProfileInput | None = None) -> OwnProfile:
    """As saved; or, with ``typed``, the preview of what they typed (only the fields they may change count)."""
    candidate = candidate_of(session, actor)
    saved = saved_profile(session, candidate)
    profile = with_own_changes(saved, typed) if typed is not None else saved
    return OwnProfile(candidate.ref, profile, preview_of(session, candidate, profile if typed else None, lang),
                      candidate.paused_at is not None, candidate.paused_by_clock,
                      candidate.paused_at is None and question_open(asked_at=candidate.still_looking_asked_at,
                                                                    last_answer=candidate.still_looking_at))


def _record(session: Session, candidate: Candidate, actor: Actor, kind: str, notice: str,
            changes: dict | None = None, text: str = "") -> None:
    session.add(CandidateProfileChange(candidate_id=candidate.id, actor_id=actor.id, kind=kind,
                                       changes=changes or {}, message=text))
    notify(session, candidate.coach_id, f"profile.{kind}", notice, path("candidate_detail", id=candidate.id),
           ref=candidate.ref)


def update_own_profile(session: Session, actor: Actor, typed: ProfileInput) -> dict[str, list]:
    """Save the fields a candidate may change; returns what changed (nothing is written when nothing did)."""
    candidate = candidate_of(session, actor)
    saved = saved_profile(session, candidate)
    profile = with_own_changes(saved, typed)
    changes = profile_changes(saved, profile)
    if not changes:
        return {}
    save_profile(session, candidate, profile)
    _record(session, candidate, actor, "profile", N_("{ref} changed their own profile."), changes)
    return changes


def set_matching_paused(session: Session, actor: Actor, paused: bool) -> None:
    """Paused candidates leave the search index (through the outbox) until they resume."""
    candidate = candidate_of(session, actor)
    if (candidate.paused_at is not None) == paused:
        return
    candidate.paused_at = utcnow() if paused else None
    candidate.paused_by_clock = False
    if not paused:
        candidate.still_looking_at = utcnow()  # resuming answers "Still looking?" too
    candidate.updated_at = utcnow()
    session.add(candidate)
    enqueue(session, "candidates", candidate.id)
    if paused:
        _record(session, candidate, actor, "paused", N_("{ref} paused being matched with offers."))
    else:
        _record(session, candidate, actor, "resumed", N_("{ref} is open to offers again."))


def message_coach(session: Session, actor: Actor, message: str) -> None:
    """A request to the coach, e.g. to correct a name or address: identity stays the coach's to change."""
    candidate = candidate_of(session, actor)
    broken = message_violations(message)
    if broken:
        raise RuleBroken(broken)
    _record(session, candidate, actor, "message", N_("{ref} sent you a message about their details."),
            text=message.strip())


@dataclass(frozen=True)
class ProfileChangeView:
    at: datetime
    kind: str
    by: str
    changes: dict
    message: str


def profile_history(session: Session, actor: Actor, candidate_id: int, lang: str = "en") -> list[ProfileChangeView]:
    """For the candidate's own coaching service: what the candidate changed or asked, newest first.
    Skills are given as labels in ``lang``."""
    candidate = _own_candidate(session, actor, candidate_id)
    rows = session.exec(select(CandidateProfileChange, User.name)
                        .join(User, col(User.id) == CandidateProfileChange.actor_id, isouter=True)
                        .where(CandidateProfileChange.candidate_id == candidate.id)
                        .order_by(col(CandidateProfileChange.at).desc(), col(CandidateProfileChange.id).desc())).all()
    uris = {uri for row, _ in rows for side in row.changes.get("skills", []) for uri in side}
    labels = {s.uri: s.labels.get(lang) or s.labels.get("en", s.uri)
              for s in session.exec(select(Skill).where(col(Skill.uri).in_(uris))).all()} if uris else {}
    views = []
    for row, name in rows:
        changes = dict(row.changes)
        if "skills" in changes:
            changes["skills"] = [sorted(labels.get(uri, uri) for uri in side) for side in changes["skills"]]
        views.append(ProfileChangeView(row.at, row.kind, name or "", changes, row.message))
    return views


def paused_candidates(session: Session, candidate_ids: list[int]) -> set[int]:
    """Which of these candidates are out of matching (they stay out of the index): they paused, or a placement of
    theirs has started and not ended yet (issue 17: back in when it ends)."""
    if not candidate_ids:
        return set()
    paused = set(session.exec(select(Candidate.id).where(col(Candidate.id).in_(candidate_ids),
                                                         Candidate.paused_at != None)).all())  # noqa: E711
    placed = set(session.exec(select(Placement.candidate_id).where(col(Placement.candidate_id).in_(candidate_ids),
                                                                   Placement.state == PLACEMENT_ACTIVE)).all())
    return paused | placed
