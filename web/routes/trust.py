"""The pages that say who runs Opstap and how it treats people: privacy, accessibility, cookies, contact."""

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from web.templating import render

PAGES = ("privacy", "accessibility", "cookies", "contact")
REVIEWED = date(2026, 12, 4)  # the accessibility statement's last review


async def trust_page(request: Request):
    page = request.path_params["page"]
    if page not in PAGES:
        raise HTTPException(404)
    return render(request, f"trust/{page}.html", {"page": page, "review_date": REVIEWED,
                                                  "expiry_days": request.app.state.settings.interest_expiry_days})


async def favicon(request: Request):
    return RedirectResponse(request.url_for("static", path="favicon.svg"), status_code=301)


routes = [
    Route("/about/{page}", trust_page, name="trust_page"),
    Route("/favicon.ico", favicon, name="favicon"),
]
