"""Pickers for ESCO skills and occupations (Meilisearch; occupations fall back to the database when search
is down), the occupation-first skill checklist, and the postcode lookup (htmx)."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.offers import SkillRequirement
from domain.places import locate
from domain.services.offers import describe_skills
from domain.services.reference import occupation_skills, pick_occupations
from search.matching import SearchUnavailable
from search.skills import find_occupations, find_skills
from web.auth import requires
from web.db import call
from web.templating import language, render_block

FORM = "offers/form.html"
CANDIDATE_FORM = "candidates/form.html"


def _plain(request: Request) -> bool:
    """``row=plain``: a candidate's skill row, without the offer's essential/optional choice."""
    return request.query_params.get("row") == "plain"


@requires()
async def skills(request: Request):
    q = request.query_params.get("skill_q", "")
    chosen = frozenset(request.query_params.getlist("skill"))  # the form's chosen skills: not proposed again
    try:
        results = await run_in_threadpool(find_skills, request.app.state.search, q, language(request), 10, chosen)
    except SearchUnavailable:
        return render_block(request, FORM, "skill_results", {"results": [], "q": q, "unavailable": True,
                                                             "plain": _plain(request)})
    return render_block(request, FORM, "skill_results", {"results": results, "q": q, "plain": _plain(request)})


@requires()
async def skill_row(request: Request):
    uri = request.query_params.get("uri", "")
    if uri in request.query_params.getlist("skill"):  # already chosen: a skill is never added twice
        return Response(status_code=204)
    found = await call(request, describe_skills, [SkillRequirement(uri, True)], language(request))
    if not found:
        return Response(status_code=204)
    return render_block(request, FORM, "skill_row", {"skill": found[0], "plain": _plain(request)})


@requires()
async def occupations(request: Request):
    q = request.query_params.get("occupation_q", "")
    try:
        results = await run_in_threadpool(find_occupations, request.app.state.search, q, language(request))
    except SearchUnavailable:
        results = await call(request, pick_occupations, q, language(request))
    row = "experience" if request.query_params.get("row") == "experience" else ""
    return render_block(request, FORM, "occupation_results", {"occupation_results": results, "q": q, "row": row})


@requires()
async def occupation(request: Request):
    """Occupation first: the chosen occupation with its ESCO skills as a checklist (an offer: essential skills
    ticked; a work experience: nothing ticked, the coach ticks what the person really has)."""
    found = await call(request, occupation_skills, request.query_params.get("uri"), language(request))
    if request.query_params.get("row") == "experience":  # a candidate's work experience: a row with years
        if found is None:
            return Response(status_code=204)
        return render_block(request, CANDIDATE_FORM, "experience_row", {
            "experience": {"uri": found.occupation.uri, "label": found.occupation.label, "years": ""},
            "suggested": found, "chosen": set(request.query_params.getlist("skill"))})
    return render_block(request, FORM, "occupation_field", {"occupation": found.occupation if found else None,
                                                            "suggested": found,
                                                            "chosen": set(request.query_params.getlist("skill"))})


@requires()
async def postcode(request: Request):
    location = locate(request.query_params.get("postcode", ""), language(request))
    return render_block(request, FORM, "postcode_place", {"location": location, "looked_up": True})


routes = [
    Route("/pickers/skills", skills, name="pick_skills"),
    Route("/pickers/skills/row", skill_row, name="pick_skill_row"),
    Route("/pickers/occupations", occupations, name="pick_occupations"),
    Route("/pickers/occupations/choose", occupation, name="pick_occupation"),
    Route("/pickers/postcode", postcode, name="lookup_postcode"),
]
