"""A known world of engaged employers, offers, interest requests, placements and mentors, with every
figure the directory, the employer pages and the dashboard must show for it (see EXPECTED below).

Offers are made through the services; their dates, and the interest requests, placements and mentors,
are written as rows, because the figures depend on when things happened (12 months back and more) and
the services only ever write "now".
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from domain.accounts import Actor, Role
from domain.offers import OfferType
from domain.tables import InterestRequest, Mentor, Offer, Organisation, Placement, utcnow
from seed.builders import make_candidate, make_employer, make_offer, make_user

# Identity values nobody would type by chance: none of them may reach a network's page, CSV or index.
UNUSUAL_IDENTITIES = [
    dict(given_name="Zyxquorra", family_name="Vlumptonikh", email="zyx.vlump@nowhere-qq.be",
         phone="+32 499 87 65 43", nationality="KP", country_of_origin="TV", address="Qwertyplein 77, 9000 Gent"),
    dict(given_name="Ophrazel", family_name="Krundlebeck", email="ophra.krundle@nowhere-qq.be",
         phone="+32 488 11 22 33", nationality="TV", country_of_origin="KP", address="Plomsteeg 5, 1030 Schaarbeek"),
]
IDENTITY_VALUES = ("Zyxquorra", "Vlumptonikh", "zyx.vlump", "nowhere-qq", "499 87 65 43", "Qwertyplein",
                   "Ophrazel", "Krundlebeck", "ophra.krundle", "488 11 22 33", "Plomsteeg")
MENTOR_VALUES = ("Mentorina Flux", "mentor.flux@", "Tutorius Blank", "Guidora Wend")
FREE_TEXT_REASON = "Zyxquorra moved to Plomsteeg"


@dataclass
class World:
    care: Actor  # "Zorghuis Anemoon", Schaarbeek (Brussels), sector Q
    building: Actor  # "Bouwbedrijf Beton", Gent (East Flanders), sector F
    hidden: Actor  # "Verborgen Zorg", Antwerpen, sector Q, chose not to appear in the directory
    dormant: Actor  # "Slapend Atelier", Leuven: its only offer is two years old
    network: Actor
    offers: dict[str, int] = field(default_factory=dict)
    candidate_refs: list[str] = field(default_factory=list)


def _backdate(session: Session, offer_id: int, days: int, status: str | None = None) -> None:
    offer = session.get(Offer, offer_id)
    offer.published_at = utcnow() - timedelta(days=days)
    if status:
        offer.status = status
    session.add(offer)


def _placement(session: Session, offer_id: int, candidate_id: int, *, state: str, days_ago: int,
               started: bool = True, outcome: str | None = None, contract_type: str | None = None,
               contract_months: int | None = None, contract_open_ended: bool = False, end_reason: str = "",
               mentor: tuple[str, str, bool] | None = None) -> None:
    """An accepted interest request and its placement, created ``days_ago``; ``mentor``: (name, e-mail, trained)."""
    now = utcnow()
    created = now - timedelta(days=days_ago)
    offer = session.get(Offer, offer_id)
    request = InterestRequest(offer_id=offer_id, candidate_id=candidate_id, organisation_id=offer.organisation_id,
                              state="accepted", created_at=created, expires_at=created + timedelta(days=14),
                              decided_at=created)
    session.add(request)
    session.flush()
    ended = state in ("completed", "ended_early")
    placement = Placement(offer_id=offer_id, candidate_id=candidate_id, organisation_id=offer.organisation_id,
                          interest_request_id=request.id, state=state, outcome=outcome, contract_type=contract_type,
                          contract_months=contract_months, contract_open_ended=contract_open_ended,
                          end_reason=end_reason, created_at=created,
                          started_at=created + timedelta(days=3) if started else None,
                          ended_at=min(created + timedelta(days=40), now) if ended else None)
    session.add(placement)
    session.flush()
    if mentor:
        name, email, trained = mentor
        session.add(Mentor(placement_id=placement.id, organisation_id=offer.organisation_id, name=name,
                           role="Head nurse", email=email, languages=["nl"], training_completed=trained,
                           nominated_at=created))


def _interest(session: Session, offer_id: int, candidate_id: int, state: str, days_ago: int = 10) -> None:
    offer = session.get(Offer, offer_id)
    created = utcnow() - timedelta(days=days_ago)
    session.add(InterestRequest(offer_id=offer_id, candidate_id=candidate_id, organisation_id=offer.organisation_id,
                                state=state, created_at=created, expires_at=created + timedelta(days=14)))


def build_world(session: Session) -> World:
    care = make_employer(session, organisation="Zorghuis Anemoon", sector="Q", postcode="1030",
                         statement="We train newcomers as care assistants.", languages=("nl", "fr"))
    building = make_employer(session, organisation="Bouwbedrijf Beton", sector="F", postcode="9000")
    hidden = make_employer(session, organisation="Verborgen Zorg", sector="Q", postcode="2000")
    dormant = make_employer(session, organisation="Slapend Atelier", sector="C", postcode="3000")
    organisation = session.get(Organisation, hidden.organisation_id)
    organisation.in_directory = False
    session.add(organisation)
    network = make_user(session, role=Role.NETWORK, organisation="Zorgfederatie Test")
    coach = make_user(session, role=Role.COACH)
    candidates = [make_candidate(session, coach, identity=identity) for identity in UNUSUAL_IDENTITIES]
    c = [x.id for x in candidates]

    offers = {
        "A1": make_offer(session, care, publish=True, title="Zorgkundige (betaald)", postcode="1030"),
        "A2": make_offer(session, care, publish=True, title="Zorgkundige IBO", postcode="1030",
                         type=OfferType.WORK_BASED_TRAINING, duration_value=12, monthly_pay_eur=None,
                         followup_open_ended=True),
        "A3": make_offer(session, care, publish=True, title="Old getting-to-know", postcode="1030",
                         type=OfferType.GETTING_TO_KNOW, duration_value=5, monthly_pay_eur=None),
        "A4": make_offer(session, care, title="Still a draft", postcode="1030"),
        "B1": make_offer(session, building, publish=True, title="Kennismaking bouw", sector="F",
                         type=OfferType.GETTING_TO_KNOW, duration_value=5, monthly_pay_eur=None),
        "B2": make_offer(session, building, publish=True, title="Old paid traineeship", sector="F"),
        "C1": make_offer(session, hidden, publish=True, title="Hidden paid traineeship", postcode="2000"),
        "D1": make_offer(session, dormant, publish=True, title="Two years ago", sector="C", postcode="3000"),
    }
    _backdate(session, offers["A2"], 30, status="closed")
    _backdate(session, offers["A3"], 600, status="closed")
    _backdate(session, offers["B1"], 20)
    _backdate(session, offers["B2"], 500, status="closed")
    _backdate(session, offers["D1"], 730, status="closed")
    session.flush()

    a1, a2, a3, b1, b2, c1 = (offers[k] for k in ("A1", "A2", "A3", "B1", "B2", "C1"))
    flux, blank, wend = ("Mentorina Flux", "mentor.flux@anemoon.example", True), \
        ("Tutorius Blank", "tutorius@anemoon.example", False), ("Guidora Wend", "guidora@anemoon.example", True)
    # A1 (paid traineeship, Q): 10 requests, 9 accepted; 8 started, 3 completed, 2 hired, 4 ended early.
    _placement(session, a1, c[0], state="completed", days_ago=200, outcome="hired", contract_type="fixed_term",
               contract_months=12, mentor=flux)
    _placement(session, a1, c[1], state="completed", days_ago=150, outcome="hired", contract_type="open_ended",
               contract_open_ended=True, mentor=("Mentorina Flux", "Mentor.Flux@anemoon.example ", True))
    _placement(session, a1, c[0], state="completed", days_ago=120, outcome="no_hire", mentor=blank)
    for days in (90, 80, 70, 60):
        _placement(session, a1, c[1], state="ended_early", days_ago=days, end_reason="language")
    _placement(session, a1, c[0], state="active", days_ago=20, mentor=wend)
    _placement(session, a1, c[1], state="planned", days_ago=5, started=False)
    _interest(session, a1, c[0], "declined")
    # A2 (work-based training, Q): 5 requests, all accepted; 4 started, 3 completed with a contract, 3 hired.
    for days in (100, 90, 80):
        _placement(session, a2, c[0], state="completed", days_ago=days, outcome="hired", contract_type="open_ended",
                   contract_open_ended=True)
    _placement(session, a2, c[1], state="ended_early", days_ago=50, end_reason="language")
    _placement(session, a2, c[0], state="ended_early", days_ago=40, started=False, end_reason=FREE_TEXT_REASON)
    # A3 (published 600 days ago, closed): its placement ended 460 days ago and does not count.
    _placement(session, a3, c[1], state="completed", days_ago=500, outcome="hired", contract_type="open_ended",
               contract_open_ended=True)
    # B1 (getting to know, F): 2 requests, 1 accepted, active.  B2 (published 500 days ago, F): an early end
    # 100 days ago makes it count.
    _placement(session, b1, c[0], state="active", days_ago=10)
    _interest(session, b1, c[1], "requested")
    _placement(session, b2, c[1], state="ended_early", days_ago=140, end_reason="personal")
    # C1 (hidden employer, paid, Q): 3 requests, 2 accepted, both hired.
    for days in (200, 150):
        _placement(session, c1, c[0], state="completed", days_ago=days, outcome="hired", contract_type="fixed_term",
                   contract_months=6)
    _interest(session, c1, c[1], "expired")
    session.flush()
    return World(care, building, hidden, dormant, network, offers, [x.ref for x in candidates])


W = "fewer than 5"
H = "hidden"  # complementary suppression: shown so that a "fewer than 5" cannot be worked out by subtraction

# Every figure, as a network member sees it ("fewer than 5" for 1 to 4 people).
EXPECTED = {
    "care": {"offers": 2, "open_offers": 1, "placements_started": 12, "placements_completed": 6, "hires": 5,
             "ibo_with_contract": W, "mentors_nominated": W, "mentors_trained": W},
    "building": {"offers": 2, "open_offers": 1, "placements_started": W, "placements_completed": 0, "hires": 0,
                 "ibo_with_contract": 0, "mentors_nominated": 0, "mentors_trained": 0},
    "hidden": {"offers": 1, "open_offers": 1, "placements_started": W, "placements_completed": W, "hires": W,
               "ibo_with_contract": 0, "mentors_nominated": 0, "mentors_trained": 0},
    "dormant": {"offers": 0, "open_offers": 0, "placements_started": 0, "placements_completed": 0, "hires": 0,
                "ibo_with_contract": 0, "mentors_nominated": 0, "mentors_trained": 0},
    # funnels: offers, interest requests, accepted, started, completed, hired
    # the dashboard and the employers' pages are suppressed together (domain.engagement.protected_engagement), so
    # what the pages show decides what the dashboard must hide too
    "total": (5, 21, H, 16, 8, 7),
    "sector": {"F": (2, W, W, W, 0, 0), "Q": (3, H, H, H, 8, 7)},
    "type": {"getting_to_know": (1, W, W, W, 0, 0), "paid_traineeship": (3, 14, 12, 11, H, W),
             "work_based_training": (1, H, 5, W, W, W)},
    # interest requests sent and accepted, on the employer's page as a network sees it (issue 17)
    "interest": {"care": (15, 14), "building": (W, W)},
    "employers": 3,
    "ended_early": H,
    "end_reasons": [("language", H), ("other", W), ("personal", W)],
}
