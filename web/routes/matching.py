"""Ranked, explained matches: an offer's candidates, a candidate's offers."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.interest import INTEREST_STATE_LABELS
from domain.match_filters import FILTERABLE_LANGUAGES, MatchFilters, parse_filters
from domain.offers import CEFR_LEVELS, OFFER_TYPE_LABELS, EducationLevel, OfferType
from domain.proposals import PROPOSAL_STATUS_LABELS
from domain.services.candidates import candidate_for_matching
from domain.services.interest import interest_by_candidate, interest_on_match_list
from domain.services.match_cards import card_labels, programme_choices
from domain.services.offers import offer_for_matching, skill_labels
from domain.services.proposals import history, offer_history, shortlist
from domain.validation import RuleBroken
from search.matching import CandidatePage, SearchUnavailable, match_candidates_page, match_offers
from web.auth import current_actor, requires
from web.db import call
from web.i18n import field_errors
from web.templating import language, render

COMPARE_MIN, COMPARE_MAX = 2, 4


def filters_of(request: Request) -> tuple[MatchFilters, dict[str, str]]:
    """The filters in the URL, and a message per wrong field (those fields are left out, the rest apply)."""
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    try:
        return parse_filters(params), {}
    except RuleBroken as broken:
        errors = field_errors(broken.violations, language(request))
        return parse_filters({k: v for k, v in params.items() if k not in errors}), errors


def card_uris(matches) -> tuple[list[str], list[str]]:
    """(skill URIs, occupation URIs) the cards of ``matches`` name."""
    skills: set[str] = set()
    occupations: set[str] = set()
    for match in matches:
        e = match.explanation
        skills.update(e.essential_covered + e.essential_missing + e.optional_covered + e.optional_missing
                      + tuple(held for _, held in e.essential_related) + e.learning_plan)
        occupations.update(x["occupation"] for x in match.facts.get("experience", ()))
    return sorted(skills), sorted(occupations)


async def card_labels_of(request: Request, matches) -> dict[str, str]:
    return await call(request, card_labels, *card_uris(matches), language(request))


def filter_choices() -> dict:
    return {"filter_languages": FILTERABLE_LANGUAGES, "cefr_levels": CEFR_LEVELS,
            "education_levels": [e.value for e in EducationLevel], "offer_types": [t.value for t in OfferType]}


async def skill_labels_of(request: Request, matches, *extra: str) -> dict[str, str]:
    uris = set(extra)
    for match in matches:
        e = match.explanation
        uris.update(getattr(getattr(match, "offer", None), "taught", ()))  # an offer's own "learned here" skills
        uris.update(e.essential_covered + e.essential_missing + e.optional_covered + e.optional_missing
                    + tuple(held for _, held in e.essential_related) + e.learning_plan)
    return await call(request, skill_labels, sorted(uris), language(request))


async def matches_or_unavailable(request: Request, matcher, *args, **kwargs):
    """(matches, unavailable): search being down is a message on the page, never an error."""
    search = request.app.state.search
    if search is None:
        return [], True
    try:
        return await run_in_threadpool(matcher, search, *args, **kwargs), False
    except SearchUnavailable:
        return [], True


@requires(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_matches(request: Request):
    actor = await current_actor(request)
    offer = await call(request, offer_for_matching, actor, request.path_params["id"])
    service = actor.organisation_id if actor.role == Role.COACH else None
    filters, filter_errors = filters_of(request)
    page, unavailable = await matches_or_unavailable(request, match_candidates_page, offer, filters,
                                                     coaching_service_id=service)
    page = page or CandidatePage([], None)
    matches = page.matches
    ids = [m.candidate_id for m in matches]
    skills, occupations = card_uris(matches)
    lang = language(request)

    def beside_the_matches(session) -> dict:
        """What the list shows beside the matches, read in one unit of work (one thread hop, one transaction)."""
        context = {"labels": card_labels(session, skills, occupations, lang),
                   "programmes": programme_choices(session)}
        if service is not None:  # the coach's shortlist beside the matches, and who said "no" before
            context |= {"shortlist": shortlist(session, actor, offer.id), "history": history(session, offer.id, ids),
                        "offer_id": offer.id, "errors": {}, "note": "", "sent": False,
                        "proposal_statuses": PROPOSAL_STATUS_LABELS}
        if actor.role == Role.EMPLOYER:  # where the employer's interest in each candidate stands
            context |= {"interest": interest_on_match_list(session, actor, offer.id, ids),
                        "interest_states": INTEREST_STATE_LABELS}
        return context

    return render(request, "matching/candidates.html", {
        "offer": offer, "matches": matches, "unavailable": unavailable,
        "types": OFFER_TYPE_LABELS, "own_caseload": service is not None, **await call(request, beside_the_matches),
        "filters": filters, "filter_errors": filter_errors, "next_offset": page.next_offset,
        "query": request.query_params, **filter_choices(),
    }, block="matches")


@requires(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_compare(request: Request):
    """2 to 4 of the offer's matches side by side: skills and facts as rows, then an interest request."""
    actor = await current_actor(request)
    offer = await call(request, offer_for_matching, actor, request.path_params["id"])
    service = actor.organisation_id if actor.role == Role.COACH else None
    filters, _ = filters_of(request)
    refs = list(dict.fromkeys(r.strip() for r in request.query_params.getlist("ref") if r.strip()))
    wanted = MatchFilters(filters.languages, filters.education_min, filters.max_km, filters.eligible_for,
                          filters.available_by, filters.offer_type, "fit", 100, 0)
    page, unavailable = await matches_or_unavailable(request, match_candidates_page, offer, wanted,
                                                     coaching_service_id=service)
    by_ref = {m.ref: m for m in (page.matches if page else [])}
    chosen = [by_ref[r] for r in refs if r in by_ref][:COMPARE_MAX]
    labels = await card_labels_of(request, chosen)
    employer = {}
    if actor.role == Role.EMPLOYER:
        employer = {"interest": await call(request, interest_by_candidate, actor, offer.id),
                    "interest_states": INTEREST_STATE_LABELS}
    skills = [(uri, True) for uri in offer.essential] + [(uri, False) for uri in offer.optional]
    return render(request, "matching/compare.html", {
        "offer": offer, "chosen": chosen, "labels": labels, "unavailable": unavailable, "skills": skills,
        "too_few": len(chosen) < COMPARE_MIN, "too_many": len(refs) > COMPARE_MAX, "filters": filters,
        "types": OFFER_TYPE_LABELS, **employer,
    })


@requires(Role.COACH)
async def candidate_offers(request: Request):
    actor = await current_actor(request)
    candidate = await call(request, candidate_for_matching, actor, request.path_params["id"])
    matches, unavailable = await matches_or_unavailable(request, match_offers, candidate, limit=20)
    labels = await skill_labels_of(request, matches, *candidate.skills)
    past = await call(request, offer_history, actor, candidate.id, [m.offer_id for m in matches])
    return render(request, "matching/offers.html", {
        "candidate": candidate, "matches": matches, "labels": labels, "unavailable": unavailable,
        "types": OFFER_TYPE_LABELS, "history": past, "proposal_statuses": PROPOSAL_STATUS_LABELS,
    })


routes = [
    Route("/offers/{id:id}/matches", offer_matches, name="offer_matches"),
    Route("/offers/{id:id}/matches/compare", offer_compare, name="offer_compare"),
    Route("/candidates/{id:id}/offers", candidate_offers, name="candidate_offers"),
]
