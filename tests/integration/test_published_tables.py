"""Small numbers stay hidden under subtraction, across publications (issues 14 and 17).

Every published table of person counts is enumerated: the network's dashboard, each listed employer's page as a
network sees it, the directory's CSV export, and fairness monitoring. What a reader of all of them together can see
is written down here as sums and orders, and each hidden cell's possible values are solved exactly
(``tests/suppression_proof.py``): none can be worked out. The API publishes no counts of people at all.
"""

import random

import pytest

from domain.engagement import PERSON_STAGES, Figure, employer_counts, end_reasons
from domain.fairness import FUNNEL, K, Person, fairness_relations, fairness_tables, reached_counts
from domain.services.engagement import (
    _counting,
    _load,
    directory_rows,
    directory_table,
    employer_engagement,
    network_dashboard,
)
from domain.suppression import suppress
from domain.tables import utcnow
from tests.engagement_data import build_world
from tests.suppression_proof import assert_undetermined

EVIDENCE = {"placements_started": "active", "placements_completed": "completed", "hires": "hired",
            "ibo_with_contract": "ibo_with_contract", "mentors_nominated": "mentors_nominated",
            "mentors_trained": "mentors_trained"}
PAGE = {"interest_sent": "interest_requests", "interest_accepted": "accepted"}


def _publish(cells: dict, shown: dict, hidden: dict, cell, figure) -> None:
    """Record one published figure; the same cell published twice must read the same everywhere."""
    kind = None if not figure.withheld else ("complementary" if figure.complementary else "primary")
    if cell in cells:
        assert cells[cell] == (kind, figure.value), f"{cell} differs between publications"
    cells[cell] = (kind, figure.value)
    if kind is None:
        shown[cell] = figure.value
    else:
        hidden[cell] = kind


def test_dashboard_employer_pages_and_csv_together_give_no_hidden_count_away(session):
    world = build_world(session)
    now = utcnow()
    loaded = _load(session, None)
    counting = {e: _counting(loaded, e, now) for e in loaded.offers}
    employers = {e: employer_counts(e, loaded.organisations[e].in_directory, offers, loaded.interests,
                                    loaded.placements, loaded.mentors) for e, offers in counting.items() if offers}
    cells, shown, hidden = {}, {}, {}

    dashboard = network_dashboard(session, world.network)
    for stage in PERSON_STAGES:
        _publish(cells, shown, hidden, ("total", stage), dashboard.total.figure(stage))
        for group, funnels in (("sector", dashboard.by_sector), ("type", dashboard.by_type)):
            for f in funnels:
                _publish(cells, shown, hidden, (group, f.key, stage), f.figure(stage))
    for reason, figure in dashboard.end_reasons:
        _publish(cells, shown, hidden, ("reason", reason), figure)
    _publish(cells, shown, hidden, ("ended_early",), dashboard.ended_early)

    listed = [e for e, counts in employers.items() if counts.listed]
    assert len(listed) >= 2 and len(employers) > len(listed)  # an employer outside the directory is part of it
    for e in listed:
        page = employer_engagement(session, world.network, e)
        for name, figure_key in EVIDENCE.items():
            _publish(cells, shown, hidden, ("employer", e, figure_key), getattr(page.evidence, name))
        for name, figure_key in PAGE.items():
            _publish(cells, shown, hidden, ("employer", e, figure_key), getattr(page, name))

    rows = directory_table(directory_rows(session, world.network, listed), lambda text: text)
    header = rows[0]
    names = {loaded.organisations[e].name: e for e in listed}
    for row in rows[1:]:
        e = names[row[header.index("name")]]
        for name, figure_key in EVIDENCE.items():
            kind, value = cells[("employer", e, figure_key)]
            expected = str(value) if kind is None else ("<5" if kind == "primary" else "x")
            assert row[header.index(name)] == expected, (e, name)  # the CSV suppresses exactly what the pages do

    truth = {}
    for stage in PERSON_STAGES:
        truth[("total", stage)] = sum(c.figures[stage] for c in employers.values())
    sums, orders = [], []
    for stage in PERSON_STAGES:
        for group in ("sector", "type"):
            keys = sorted({key for c in employers.values() for key in getattr(c, f"by_{group}")})
            for key in keys:
                parts = []
                for e, c in employers.items():
                    split = getattr(c, f"by_{group}")
                    if key in split:
                        cell = ("split", e, group, key, stage)
                        truth[cell] = split[key].figure(stage).value
                        hidden[cell] = "unpublished"
                        parts.append(cell)
                truth[(group, key, stage)] = sum(truth[p] for p in parts)
                sums.append(((group, key, stage), parts))
            sums.append((("total", stage), [(group, key, stage) for key in keys]))
            for e, c in employers.items():
                sums.append((("employer", e, stage), [("split", e, group, key, stage) for key in getattr(c, f"by_{group}")]))
        sums.append((("total", stage), [("employer", e, stage) for e in employers]))
    for e, c in employers.items():
        for name, value in c.figures.items():
            truth[("employer", e, name)] = value
            if ("employer", e, name) not in cells:
                hidden[("employer", e, name)] = "unpublished"
        orders += [(("employer", e, later), ("employer", e, earlier))
                   for earlier, later in zip(PERSON_STAGES, PERSON_STAGES[1:], strict=False)]
        orders += [(("employer", e, "ibo_with_contract"), ("employer", e, "completed")),
                   (("employer", e, "mentors_trained"), ("employer", e, "mentors_nominated"))]
    orders += [(("total", later), ("total", earlier)) for earlier, later in zip(PERSON_STAGES, PERSON_STAGES[1:],
                                                                                  strict=False)]
    all_counting = [o for offers in counting.values() for o in offers]
    for reason, figure in end_reasons(all_counting, loaded.placements, Figure):
        truth[("reason", reason)] = figure.value
    truth[("ended_early",)] = sum(truth[("reason", r)] for r, _f in dashboard.end_reasons)
    sums.append((("ended_early",), [("reason", r) for r, _f in dashboard.end_reasons]))
    checked = assert_undetermined(truth, shown, hidden, sums, orders, 5)
    assert checked >= 5 and any(kind == "primary" for kind in hidden.values())


def _random_pool(rng: random.Random) -> list[Person]:
    pool = []
    for _ in range(rng.randint(15, 60)):
        groups = {"region": rng.choice(["145", "014", "034", "unknown"]), "education": rng.choice(["bachelor", "master"]),
                  "gender": rng.choice(["woman", "man", "not_stated", "another"])}
        pool.append(Person(groups, rng.choice([0, 0, 1, 1, 2, 3, 4, 5])))
    return pool


@pytest.mark.parametrize("seed", range(30))
def test_fairness_tables_give_no_hidden_count_away(seed):
    """Every count fairness monitoring rests on, over three groupings that share the totals: a hidden count
    (fewer than 10, or hidden beside one) keeps two possible values given every shown count, sum and order."""
    pool = _random_pool(random.Random(seed))
    dimensions = ["region", "education", "gender"]
    truth = reached_counts(pool, dimensions)
    tables, people = fairness_tables(pool, dimensions)
    shown, hidden = {}, {}
    relations, orders = fairness_relations(truth)
    kinds = suppress(truth, relations, K, orders)
    for table in tables:  # what the page shows: the entered and passed count of each cell
        for column in table.columns:
            step = FUNNEL.index(column.step)
            for cell in column.cells:
                for at, value in ((step - 1, cell.entered), (step, cell.passed)):
                    key = (table.dimension, cell.group, at)
                    if value is None:
                        hidden[key] = kinds[key]
                    else:
                        shown[key] = value
            for at, value in ((step - 1, column.total_entered), (step, column.total_passed)):
                if value is None:
                    hidden[("total", at)] = kinds[("total", at)]
                else:
                    shown[("total", at)] = value
    assert people == shown.get(("total", 0))
    sums = [(r.total, list(r.parts)) for r in relations]
    assert_undetermined(truth, shown, hidden, sums, [(o.small, o.large) for o in orders], K)
    for cell, value in shown.items():
        assert value == 0 or value >= K, cell  # no shown count is below 10


def test_the_api_publishes_no_counts_of_people(app):
    """The API (for employers and coaches' systems) has no aggregate endpoint: nothing there to subtract from."""
    api = next(route for route in app.routes if getattr(route, "path", "") == "/api/v1")
    paths = [route.path for route in api.routes]
    assert paths and not [p for p in paths if any(word in p for word in
                                                  ("dashboard", "fairness", "engagement", "directory", "employers"))]


def _random_employers(rng: random.Random):
    from domain.engagement import EmployerCounts, Funnel

    employers, sectors, types = [], ["F", "Q"], ["paid_traineeship", "work_based_training"]
    for e in range(rng.randint(2, 4)):
        by_sector, by_type = {}, {}
        own_sectors = rng.sample(sectors, rng.randint(1, 2))
        for key in own_sectors:
            counts = sorted((rng.choice([0, 1, 2, 3, 6, 8]) for _ in PERSON_STAGES), reverse=True)
            by_sector[key] = Funnel(key, (Figure(1), *(Figure(v) for v in counts)))
        totals = [sum(f.figure(stage).value for f in by_sector.values()) for stage in PERSON_STAGES]
        first = [rng.randint(0, t) for t in totals]
        first = [min(first[i], first[i - 1]) if i else first[0] for i in range(len(first))]
        second = [t - f for t, f in zip(totals, first, strict=True)]
        if all(b >= a for a, b in zip(second[1:], second, strict=False)):
            by_type = {types[0]: Funnel(types[0], (Figure(1), *(Figure(v) for v in first))),
                       types[1]: Funnel(types[1], (Figure(1), *(Figure(v) for v in second)))}
        else:
            by_type = {types[0]: Funnel(types[0], (Figure(1), *(Figure(v) for v in totals)))}
        figures = dict(zip(PERSON_STAGES, totals, strict=True))
        figures.update(ibo_with_contract=min(figures["completed"], rng.choice([0, 1, 5])),
                       mentors_nominated=rng.choice([0, 2, 6]), mentors_trained=0)
        employers.append(EmployerCounts(e, rng.random() < 0.75, figures, by_sector, by_type))
    return employers


@pytest.mark.parametrize("seed", range(20))
def test_random_engagement_worlds_give_no_hidden_count_away(seed):
    """The dashboard and the employers' figures suppressed together, on random worlds: every hidden figure keeps
    two possible values given everything published anywhere (relations as the module states them, solved
    exactly rather than by its interval propagation)."""
    from domain.engagement import Funnel, engagement_relations, protected_engagement

    rng = random.Random(seed)
    employers = _random_employers(rng)

    def merged(group: str) -> list:
        keys = sorted({k for emp in employers for k in getattr(emp, f"by_{group}")})
        return [Funnel(k, (Figure(1), *(Figure(sum(getattr(emp, f"by_{group}")[k].figure(s).value
                                                   for emp in employers if k in getattr(emp, f"by_{group}")))
                                         for s in PERSON_STAGES))) for k in keys]

    by_sector, by_type = merged("sector"), merged("type")
    total = Funnel("", (Figure(1), *(Figure(sum(e.figures[s] for e in employers)) for s in PERSON_STAGES)))
    reasons = [("language", Figure(rng.choice([1, 3, 6])))]
    values, relations, orders, unpublished = engagement_relations(total, by_sector, by_type, reasons, employers)
    published = protected_engagement(total, by_sector, by_type, reasons, employers)
    shown, hidden = {}, {cell: "unpublished" for cell in unpublished}
    figures = {("total", s): published.total.figure(s) for s in PERSON_STAGES}
    for group, funnels in (("sector", published.by_sector), ("type", published.by_type)):
        figures.update({(group, f.key, s): f.figure(s) for f in funnels for s in PERSON_STAGES})
    figures.update({("reason", r): f for r, f in published.end_reasons})
    figures[("ended_early",)] = published.ended_early
    for emp in employers:
        if emp.listed:
            figures.update({("employer", emp.organisation_id, n): f
                            for n, f in published.employers[emp.organisation_id].items()})
    for cell, figure in figures.items():
        if figure.withheld:
            hidden[cell] = "complementary" if figure.complementary else "primary"
        else:
            shown[cell] = figure.value
    assert_undetermined(values, shown, hidden, [(r.total, r.parts) for r in relations],
                        [(o.small, o.large) for o in orders], 5)
