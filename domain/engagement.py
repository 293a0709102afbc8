"""Engaged employers and what came of their offers (SPEC §6). Pure: no I/O.

One definition drives the directory, an employer's page and the network's dashboard: an offer
*counts* when it is open now, was first published in the last 12 months, or had a placement in that
time (planned or active now, or created, started or ended since). An employer is *engaged* when at
least one of its offers counts. Every figure is taken over the offers that count.

A figure that counts people (interest requests, placements, hires) and is 1 to 4 is never shown as
a number: it becomes "fewer than 5", so that no one is recognisable from a small group. Offers and
mentors' training are the employer's own facts and are shown as they are.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.offers import OfferStatus, OfferType
from domain.placement import END_REASON_LABELS
from domain.suppression import Order, Relation, suppress
from domain.validation import N_

WINDOW = timedelta(days=365)
MIN_GROUP = 5
LIVE_OFFER_STATUSES = frozenset({OfferStatus.PUBLISHED, OfferStatus.FILLED})
LIVE_PLACEMENT_STATES = frozenset({"planned", "active"})
STARTED_PLACEMENT_STATES = frozenset({"active", "completed"})  # a planned placement can be called off (ended early)


@dataclass(frozen=True)
class Figure:
    """A count of people as a sector network may see it; ``value`` is None for 1 to 4 people."""

    value: int | None
    complementary: bool = False  # hidden so that a small figure elsewhere cannot be worked out by subtraction

    @property
    def withheld(self) -> bool:
        return self.value is None


def disclosed(count: int) -> Figure:
    """``count`` itself, unless it is 1 to 4: then withheld ("fewer than 5")."""
    return Figure(None if 0 < count < MIN_GROUP else count)


# --- the facts the rules work on (read by domain/services/engagement.py) ---------------------------

@dataclass(frozen=True)
class OfferFact:
    id: int
    organisation_id: int
    type: str
    sector: str
    status: str
    published_at: datetime | None


@dataclass(frozen=True)
class InterestFact:
    offer_id: int
    state: str  # requested | accepted | declined | withdrawn | expired


@dataclass(frozen=True)
class PlacementFact:
    id: int
    offer_id: int
    state: str  # planned | active | completed | ended_early
    outcome: str | None  # hired | further_training | no_hire
    contract_recorded: bool  # a follow-up employment contract was recorded
    end_reason: str
    created_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def started(self) -> bool:
        return self.started_at is not None or self.state in STARTED_PLACEMENT_STATES


@dataclass(frozen=True)
class MentorFact:
    placement_id: int
    person: str  # tells one mentor of two placements from two mentors (the e-mail address, lower-cased)
    training_completed: bool


def placement_recent(placement: PlacementFact, since: datetime) -> bool:
    if placement.state in LIVE_PLACEMENT_STATES:
        return True
    return any(moment is not None and moment >= since
               for moment in (placement.created_at, placement.started_at, placement.ended_at))


def offer_live(offer: OfferFact) -> bool:
    return offer.status in LIVE_OFFER_STATUSES


def counting_offers(offers: Iterable[OfferFact], placements: Iterable[PlacementFact], now: datetime) -> list[OfferFact]:
    """The offers that count now (module docstring); drafts never do."""
    since = now - WINDOW
    with_recent_placement = {p.offer_id for p in placements if placement_recent(p, since)}
    return [o for o in offers if o.published_at is not None
            and (offer_live(o) or o.published_at >= since or o.id in with_recent_placement)]


def last_engaged_at(offers: Iterable[OfferFact], placements: Iterable[PlacementFact]) -> datetime | None:
    """The latest moment of engagement: a first publication, or a placement created, started or ended."""
    moments = [o.published_at for o in offers if o.published_at is not None]
    moments += [m for p in placements for m in (p.created_at, p.started_at, p.ended_at) if m is not None]
    return max(moments, default=None)


def engaged_now(offers: Iterable[OfferFact], placements: Iterable[PlacementFact]) -> bool:
    """Engaged whatever the date: an offer open or a placement planned or active."""
    return any(offer_live(o) for o in offers) or any(p.state in LIVE_PLACEMENT_STATES for p in placements)


def main_sector(own_sector: str, offers: Iterable[OfferFact]) -> str:
    """The employer's own sector, else the sector most of its offers are in (alphabetical on a tie)."""
    if own_sector:
        return own_sector
    counts = Counter(o.sector for o in offers if o.sector)
    return min(counts, key=lambda s: (-counts[s], s)) if counts else ""


# --- an employer's evidence of engagement ----------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    offers: int  # offers that count
    open_offers: int
    placements_started: Figure
    placements_completed: Figure
    hires: Figure
    ibo_with_contract: Figure  # work-based trainings completed with the follow-up contract recorded
    mentors_nominated: Figure  # mentors are people too: 1 to 4 is "fewer than 5"
    mentors_trained: Figure

    @property
    def has_trained_mentors(self) -> bool:
        return self.mentors_trained.withheld or self.mentors_trained.value > 0


def evidence(offers: list[OfferFact], placements: Iterable[PlacementFact], mentors: Iterable[MentorFact],
             disclose=disclosed) -> Evidence:
    """The evidence over ``offers`` (the offers that count) and their placements and mentors."""
    offer_type = {o.id: o.type for o in offers}
    ours = [p for p in placements if p.offer_id in offer_type]
    placement_ids = {p.id for p in ours}
    our_mentors = [m for m in mentors if m.placement_id in placement_ids]
    return Evidence(
        offers=len(offers),
        open_offers=sum(1 for o in offers if o.status == OfferStatus.PUBLISHED),
        placements_started=disclose(sum(1 for p in ours if p.started)),
        placements_completed=disclose(sum(1 for p in ours if p.state == "completed")),
        hires=disclose(sum(1 for p in ours if p.outcome == "hired")),
        ibo_with_contract=disclose(sum(1 for p in ours if p.state == "completed" and p.contract_recorded
                                        and offer_type[p.offer_id] == OfferType.WORK_BASED_TRAINING)),
        mentors_nominated=disclose(len({m.person for m in our_mentors})),
        mentors_trained=disclose(len({m.person for m in our_mentors if m.training_completed})),
    )


# --- the placement funnel --------------------------------------------------------------------------

FUNNEL_STAGES = (
    ("offers", N_("Offers")),
    ("interest_requests", N_("Interest requests")),
    ("accepted", N_("Accepted")),
    ("active", N_("Started")),
    ("completed", N_("Completed")),
    ("hired", N_("Hired")),
)


@dataclass(frozen=True)
class Funnel:
    """One group's funnel (``key``: "" for all, a NACE section or an offer type), a figure per stage."""

    key: str
    stages: tuple[Figure, ...]  # in FUNNEL_STAGES order; offers are never withheld

    def figure(self, stage: str) -> Figure:
        return self.stages[[key for key, _label in FUNNEL_STAGES].index(stage)]


def funnel(key: str, offers: list[OfferFact], interests: Iterable[InterestFact],
           placements: Iterable[PlacementFact], disclose=disclosed) -> Funnel:
    """``disclose=Figure`` keeps the raw counts, for ``protected_dashboard`` to suppress together."""
    ids = {o.id for o in offers}
    requests = [i for i in interests if i.offer_id in ids]
    ours = [p for p in placements if p.offer_id in ids]
    return Funnel(key, (
        Figure(len(offers)),
        disclose(len(requests)),
        disclose(sum(1 for i in requests if i.state == "accepted")),
        disclose(sum(1 for p in ours if p.started)),
        disclose(sum(1 for p in ours if p.state == "completed")),
        disclose(sum(1 for p in ours if p.outcome == "hired")),
    ))


def funnels_by(attribute: str, offers: list[OfferFact], interests: list[InterestFact],
               placements: list[PlacementFact], disclose=disclosed) -> list[Funnel]:
    """A funnel per value of ``attribute`` ("sector" or "type") that has offers, in key order."""
    groups: dict[str, list[OfferFact]] = {}
    for offer in offers:
        groups.setdefault(getattr(offer, attribute), []).append(offer)
    return [funnel(key, groups[key], interests, placements, disclose) for key in sorted(groups)]


PERSON_STAGES = tuple(key for key, _label in FUNNEL_STAGES if key != "offers")


def dashboard_relations(total: Funnel, by_sector: list[Funnel], by_type: list[Funnel],
                        reasons: list[tuple[str, Figure]]) -> tuple[dict, list[Relation]]:
    """Every published person count of the dashboard as a cell, and the sums that tie them together:
    per stage, the total is the sum of the sectors and the sum of the offer types; the placements ended
    early are the sum of their reasons."""
    values, relations = {}, []
    for stage in PERSON_STAGES:
        values[("total", stage)] = total.figure(stage).value
        for group, funnels in (("sector", by_sector), ("type", by_type)):
            for f in funnels:
                values[(group, f.key, stage)] = f.figure(stage).value
            relations.append(Relation(("total", stage), tuple((group, f.key, stage) for f in funnels)))
    values[("ended_early",)] = sum(figure.value for _reason, figure in reasons)
    for reason, figure in reasons:
        values[("reason", reason)] = figure.value
    relations.append(Relation(("ended_early",), tuple(("reason", reason) for reason, _ in reasons)))
    return values, relations


def protected_dashboard(total: Funnel, by_sector: list[Funnel], by_type: list[Funnel],
                        reasons: list[tuple[str, Figure]]):
    """The dashboard's raw figures with primary and complementary suppression applied together:
    (total, by_sector, by_type, reasons, ended_early)."""
    values, relations = dashboard_relations(total, by_sector, by_type, reasons)
    hidden = suppress(values, relations)

    def fig(cell) -> Figure:
        if cell in hidden:
            return Figure(None, complementary=hidden[cell] == "complementary")
        return Figure(values[cell])

    def shielded(group: str, f: Funnel) -> Funnel:
        cells = [("total", s) if group == "total" else (group, f.key, s) for s in PERSON_STAGES]
        return Funnel(f.key, (f.stages[0], *(fig(c) for c in cells)))

    return (shielded("total", total), [shielded("sector", f) for f in by_sector],
            [shielded("type", f) for f in by_type], [(r, fig(("reason", r))) for r, _ in reasons],
            fig(("ended_early",)))


# Why a placement ended early, as the placement records it: a key of END_REASON_LABELS
# (domain/placement.py). Anything else counts as "other"; free text is never shown to a sector network.


def end_reasons(offers: list[OfferFact], placements: Iterable[PlacementFact],
                disclose=disclosed) -> list[tuple[str, Figure]]:
    """Why placements on ``offers`` ended early: (reason, figure), most frequent first."""
    ids = {o.id for o in offers}
    counts = Counter(p.end_reason if p.end_reason in END_REASON_LABELS else "other"
                     for p in placements if p.offer_id in ids and p.state == "ended_early")
    return [(reason, disclose(n)) for reason, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


# --- one protected table for every publication (issues 14 and 17) ---------------------------------------------------
# The dashboard, each employer's page, the directory's CSV export and the employer's own page all publish counts of
# the same people: the employers' figures add up to the dashboard's totals, and an employer's offers in a sector add
# up to part of that sector's figure. Suppressing each publication on its own would let a reader combine two of them
# (the dashboard's total minus the CSV's rows gives a hidden row back). So every figure is computed once, as cells of
# one table with every sum and order that ties them, suppressed together; each publication reads from it.

EVIDENCE_STAGES = {"placements_started": "active", "placements_completed": "completed", "hires": "hired"}
EMPLOYER_FIGURES = ("interest_requests", "accepted", "active", "completed", "hired",
                    "ibo_with_contract", "mentors_nominated", "mentors_trained")


@dataclass(frozen=True)
class EmployerCounts:
    """One engaged employer's raw figures, and the same per sector and per offer type of its offers (never
    published themselves; they tie the employer to the dashboard's sectors and types)."""

    organisation_id: int
    listed: bool  # in the directory: its figures are published to networks
    figures: dict[str, int]  # EMPLOYER_FIGURES
    by_sector: dict[str, Funnel]
    by_type: dict[str, Funnel]


def employer_counts(organisation_id: int, listed: bool, offers: list[OfferFact], interests: list[InterestFact],
                    placements: list[PlacementFact], mentors: list[MentorFact]) -> EmployerCounts:
    raw = evidence(offers, placements, mentors, disclose=Figure)
    total = funnel("", offers, interests, placements, Figure)
    figures = {stage: total.figure(stage).value for stage in PERSON_STAGES}
    figures.update(ibo_with_contract=raw.ibo_with_contract.value, mentors_nominated=raw.mentors_nominated.value,
                   mentors_trained=raw.mentors_trained.value)
    return EmployerCounts(organisation_id, listed, figures,
                          {f.key: f for f in funnels_by("sector", offers, interests, placements, Figure)},
                          {f.key: f for f in funnels_by("type", offers, interests, placements, Figure)})


def engagement_relations(total: Funnel, by_sector: list[Funnel], by_type: list[Funnel],
                         reasons: list[tuple[str, Figure]], employers: list[EmployerCounts]):
    """(values, relations, orders, unpublished): the dashboard's cells and relations, each employer's cells, and
    the unpublished employer-by-sector and employer-by-type cells that tie them together."""
    values, relations = dashboard_relations(total, by_sector, by_type, reasons)
    orders: list[Order] = []
    unpublished: list = []
    stages = list(PERSON_STAGES)
    for later, earlier in zip(stages[1:], stages[:-1], strict=True):
        orders.append(Order(("total", later), ("total", earlier)))
    for employer in employers:
        e = employer.organisation_id
        for name, value in employer.figures.items():
            values[("employer", e, name)] = value
            if not employer.listed:
                unpublished.append(("employer", e, name))
        for later, earlier in zip(stages[1:], stages[:-1], strict=True):
            orders.append(Order(("employer", e, later), ("employer", e, earlier)))
        orders += [Order(("employer", e, "ibo_with_contract"), ("employer", e, "completed")),
                   Order(("employer", e, "mentors_trained"), ("employer", e, "mentors_nominated"))]
        for group, split in (("sector", employer.by_sector), ("type", employer.by_type)):
            for key, f in split.items():
                for stage in stages:
                    cell = ("split", e, group, key, stage)
                    values[cell] = f.figure(stage).value
                    unpublished.append(cell)
            for stage in stages:
                relations.append(Relation(("employer", e, stage),
                                          tuple(("split", e, group, key, stage) for key in split)))
    for stage in stages:
        relations.append(Relation(("total", stage), tuple(("employer", emp.organisation_id, stage)
                                                          for emp in employers)))
        for group, funnels in (("sector", by_sector), ("type", by_type)):
            for f in funnels:
                relations.append(Relation((group, f.key, stage), tuple(
                    ("split", emp.organisation_id, group, f.key, stage) for emp in employers
                    if f.key in (emp.by_sector if group == "sector" else emp.by_type))))
    return values, relations, orders, unpublished


@dataclass(frozen=True)
class ProtectedEngagement:
    """Every person count of the dashboard and the employers' pages, suppressed together."""

    total: Funnel
    by_sector: list[Funnel]
    by_type: list[Funnel]
    end_reasons: list[tuple[str, Figure]]
    ended_early: Figure
    employers: dict[int, dict[str, Figure]]

    def shield(self, organisation_id: int, raw: Evidence) -> Evidence:
        """``raw`` with its person counts as the protected table publishes them."""
        figures = self.employers.get(organisation_id)
        if figures is None:
            return raw
        return Evidence(raw.offers, raw.open_offers, figures["active"], figures["completed"], figures["hired"],
                        figures["ibo_with_contract"], figures["mentors_nominated"], figures["mentors_trained"])


def protected_engagement(total: Funnel, by_sector: list[Funnel], by_type: list[Funnel],
                         reasons: list[tuple[str, Figure]], employers: list[EmployerCounts]) -> ProtectedEngagement:
    values, relations, orders, unpublished = engagement_relations(total, by_sector, by_type, reasons, employers)
    hidden = suppress(values, relations, MIN_GROUP, orders, unpublished)

    def fig(cell) -> Figure:
        if cell in hidden:
            return Figure(None, complementary=hidden[cell] != "primary")
        return Figure(values[cell])

    def shielded(group: str, f: Funnel) -> Funnel:
        cells = [("total", s) if group == "total" else (group, f.key, s) for s in PERSON_STAGES]
        return Funnel(f.key, (f.stages[0], *(fig(c) for c in cells)))

    return ProtectedEngagement(
        shielded("total", total), [shielded("sector", f) for f in by_sector], [shielded("type", f) for f in by_type],
        [(r, fig(("reason", r))) for r, _ in reasons], fig(("ended_early",)),
        {emp.organisation_id: {name: fig(("employer", emp.organisation_id, name)) for name in EMPLOYER_FIGURES}
         for emp in employers})
