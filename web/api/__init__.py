"""JSON API v1 for other systems: the same services and rules as the pages, behind bearer tokens."""

from starlette.routing import Mount

from web.api import candidates, interest, matches, misc, offers, openapi

routes = [Mount("/api/v1", routes=[*openapi.routes, *offers.routes, *candidates.routes, *matches.routes,
                                   *misc.routes, *interest.routes])]
