"""Schemathesis against the running app: every documented operation, as an employer and as a coach.

No 5xx, and every response matches the OpenAPI document (status codes, content types, schemas).
``positive_data_acceptance`` is left out: business rules (a paid traineeship lasts 4 to 26 weeks,
a postcode must exist) are beyond JSON Schema, and their 422 answers are documented.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from domain.accounts import Role
from domain.db import session_scope
from domain.services.api_tokens import create_token
from seed.builders import make_employer, make_offer, make_user


@pytest.fixture(scope="module")
def tokens(engine):
    with session_scope(engine) as session:
        employer = make_employer(session)
        make_offer(session, employer, publish=True)
        coach = make_user(session, role=Role.COACH)
        return {"employer": create_token(session, employer, "schemathesis"),
                "coach": create_token(session, coach, "schemathesis")}


@pytest.mark.parametrize("role", ["employer", "coach"])
def test_the_api_keeps_its_openapi_contract(live_server, tokens, role, tmp_path):
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_server}/api/v1/openapi.json",
               "--header", f"Authorization: Bearer {tokens[role]}", "--checks", "all",
               "--exclude-checks", "positive_data_acceptance", "--max-examples", "10", "--workers", "1",
               "--seed", "20261124", "--no-color"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
