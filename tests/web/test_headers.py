"""Security headers on every page of the route table, signed in or not; HSTS only when HTTPS-only is set."""

import dataclasses
import re
from pathlib import Path

from starlette.routing import Route
from starlette.testclient import TestClient

from tests.conftest import log_in
from web.app import create_app

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"


def _get_paths(app) -> list[str]:
    return [r.path for r in app.routes if isinstance(r, Route) and "GET" in (r.methods or ()) and "{" not in r.path]


def _check(response) -> None:
    csp = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'" and "unsafe-inline" not in script_src and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "camera=()" in response.headers["permissions-policy"]


def test_every_page_carries_the_headers_anonymous_and_signed_in(app, client, employer):
    paths = _get_paths(app)
    assert len(paths) > 10
    for path in paths:
        _check(client.get(path, follow_redirects=False))
    log_in(client, employer.email)
    for path in paths:
        response = client.get(path, follow_redirects=False)
        _check(response)
        assert "strict-transport-security" not in response.headers


def test_hsts_when_https_only(settings, connection, shared_search):
    app = create_app(dataclasses.replace(settings, https_only=True), db=connection, search=shared_search)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/login").headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_or_event_handlers():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\s(on[a-z]+|hx-on[:\w-]*)=", text), template
