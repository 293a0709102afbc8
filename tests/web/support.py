"""Helpers for the web tests: reading forms and messages off pages, the offer form, fresh rows."""

import re
from datetime import timedelta

from sqlmodel import Session, select
from starlette.testclient import TestClient

from domain.tables import Offer, Organisation, utcnow
from tests.conftest import csrf_of

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
HX_TOKEN_RE = re.compile(r'hx-headers=\'\{"X-CSRF-Token": "([^"]+)"\}\'')


def token_in(html: str) -> str:
    """The CSRF token of a rendered page (from a form field)."""
    match = TOKEN_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def error_of(html: str, field: str) -> str:
    """The text of the message element next to ``field`` (``<p id="error-FIELD">``)."""
    match = re.search(rf'<p class="field-error" id="error-{re.escape(field)}"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error element for {field}"
    return match.group(1).strip()


def input_value(html: str, field: str) -> str | None:
    """The ``value`` of ``<input name=FIELD>``, or None when there is no such input."""
    match = re.search(rf'<input[^>]*\bname="{re.escape(field)}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def selected_option(html: str, select_name: str) -> str | None:
    match = re.search(rf'<select[^>]*\bname="{re.escape(select_name)}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {select_name}"
    chosen = re.search(r'<option value="([^"]*)"\s+selected', match.group(1))
    return chosen.group(1) if chosen else None


def offer_form(csrf_token: str, **overrides) -> dict:
    """A valid paid traineeship as the browser would submit it; ``None`` leaves a field out."""
    today = utcnow().date()
    form = {
        "csrf_token": csrf_token, "type": "paid_traineeship", "title": "Trainee lab technician",
        "description": "Run the analyses with a mentor.", "duration_value": "12", "monthly_pay_eur": "1850",
        "followup_contract_months": "", "places": "2", "sector": "Q", "occupation_uri": "",
        "language_nl": "B1", "language_fr": "", "language_en": "", "language_de": "",
        "education_min": "bachelor", "field_of_study": "Biomedical science", "postcode": "9000",
        "days_per_week": "4", "hours_per_week": "30", "remote_days": "0",
        "start_from": (today + timedelta(days=10)).isoformat(),
        "start_until": (today + timedelta(days=60)).isoformat(), "accessibility_notes": "Step-free entrance.",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def offer_id_from(response) -> int:
    assert response.status_code == 303, response.text
    match = re.search(r"/offers/(\d+)$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def fresh_offer(session: Session, offer_id: int) -> Offer:
    """The offer as the database has it now (the app wrote it through its own session)."""
    return session.exec(select(Offer).where(Offer.id == offer_id).execution_options(populate_existing=True)).one()


def fresh_organisation(session: Session, organisation_id: int) -> Organisation:
    return session.exec(select(Organisation).where(Organisation.id == organisation_id)
                        .execution_options(populate_existing=True)).one()


def page_token(client: TestClient, path: str = "/") -> str:
    return csrf_of(client, path)
