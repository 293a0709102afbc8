"""The signed links of this app, for the request being served (its secret key and its address)."""

from starlette.requests import Request

from domain.links import Links


def links_for(request: Request) -> Links:
    return Links(request.app.state.settings.secret_key, str(request.base_url))
