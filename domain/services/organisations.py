"""Reading and editing an organisation's profile."""

from dataclasses import asdict, dataclass

from sqlmodel import Session

from domain.accounts import Actor
from domain.organisations import OrganisationProfileInput, validate_profile
from domain.places import locate
from domain.services.outbox import enqueue
from domain.tables import Organisation
from domain.validation import NotFound, RuleBroken


@dataclass(frozen=True)
class OrganisationView:
    id: int
    kind: str
    name: str
    sector: str
    postcode: str
    municipality: str
    region: str
    size: str
    workplace_languages: list[str]
    engagement_statement: str
    in_directory: bool

    def as_input(self) -> OrganisationProfileInput:
        fields = {k: v for k, v in asdict(self).items() if k in OrganisationProfileInput.__dataclass_fields__}
        return OrganisationProfileInput(**fields)


def _own_organisation(session: Session, actor: Actor) -> Organisation:
    organisation = session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    if organisation is None:
        raise NotFound()
    return organisation


def _view(o: Organisation) -> OrganisationView:
    return OrganisationView(o.id, o.kind, o.name, o.sector, o.postcode, o.municipality, o.region, o.size,
                            list(o.workplace_languages), o.engagement_statement, o.in_directory)


def own_organisation(session: Session, actor: Actor) -> OrganisationView:
    return _view(_own_organisation(session, actor))


def update_profile(session: Session, actor: Actor, profile: OrganisationProfileInput) -> OrganisationView:
    organisation = _own_organisation(session, actor)
    location = locate(profile.postcode) if profile.postcode.strip() else None
    broken = validate_profile(profile, postcode_known=location is not None)
    if broken:
        raise RuleBroken(broken)
    organisation.name = profile.name.strip()
    organisation.sector = profile.sector
    organisation.postcode = location.postcode if location else profile.postcode.strip()
    organisation.municipality = location.municipality if location else ""
    organisation.region = location.region if location else ""
    organisation.size = profile.size
    organisation.workplace_languages = list(profile.workplace_languages)
    organisation.engagement_statement = profile.engagement_statement.strip()
    organisation.in_directory = profile.in_directory
    session.add(organisation)
    enqueue(session, "employers", organisation.id)
    return _view(organisation)
