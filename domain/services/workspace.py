"""The coach's page for one candidate: identity, profile and its employer preview, screenings,
coaching log and proposals, read in one unit of work."""

from dataclasses import dataclass

from sqlmodel import Session

from domain.accounts import Actor
from domain.services.audit import record_identity_view
from domain.services.candidates import CandidateView, ProfilePreview, candidate_view, profile_preview
from domain.services.coaching import LogEntryView, coaching_log
from domain.services.proposals import CandidateProposal, candidate_proposals
from domain.services.screening import ProgrammeChoice, ScreeningView, programmes, screenings


@dataclass(frozen=True)
class Workspace:
    candidate: CandidateView
    preview: ProfilePreview
    programmes: list[ProgrammeChoice]
    screenings: list[ScreeningView]
    log: list[LogEntryView]
    proposals: list[CandidateProposal]

    @property
    def latest_screenings(self) -> list[ScreeningView]:
        """The newest screening per programme: what counts now."""
        seen, latest = set(), []
        for screening in self.screenings:
            if screening.programme_key not in seen:
                seen.add(screening.programme_key)
                latest.append(screening)
        return latest


def candidate_workspace(session: Session, actor: Actor, candidate_id: int, lang: str = "en") -> Workspace:
    """The coach's page shows the candidate's identity: each view is written to the audit log."""
    workspace = Workspace(
        candidate=candidate_view(session, actor, candidate_id),
        preview=profile_preview(session, actor, candidate_id, None, lang),
        programmes=programmes(session),
        screenings=screenings(session, actor, candidate_id),
        log=coaching_log(session, actor, candidate_id),
        proposals=candidate_proposals(session, actor, candidate_id),
    )
    record_identity_view(session, actor, candidate_id)
    return workspace
