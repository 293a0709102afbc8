"""Signed, expiring, single-purpose links (itsdangerous, with the app's secret key), and the in-app paths
that notifications and e-mails point to.

Each purpose has its own salt, so a mentor's check-in link never opens another purpose's page. Login
and password-reset links are not signed but random, single-use and stored hashed
(domain/services/account_links.py). Pure: no I/O.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

MENTOR_CHECK_IN = "opstap.mentor-check-in"
STILL_LOOKING = "opstap.still-looking"
STILL_LOOKING_LINK_VALIDITY = timedelta(days=120)
MENTOR_LINK_VALIDITY = timedelta(days=180)

# The pages links point to; web/routes registers the same paths.
PATHS = {
    "login_link": "/login/link/{token}",
    "password_reset": "/password/reset/{token}",
    "mentor": "/mentor/{token}",
    "portal": "/me",
    "portal_request": "/me/requests/{id}",
    "placement": "/placements/{id}",
    "placements": "/placements",
    "offer_interest": "/offers/{id}/interest",
    "coach_interest": "/interest-requests",
    "candidate_detail": "/candidates/{id}",
    "invitation": "/invitations/{token}",
    "still_looking": "/still-looking/{token}",
    "offer_detail": "/offers/{id}",
}


def path(name: str, **params) -> str:
    return PATHS[name].format(**params)


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@dataclass(frozen=True)
class Links:
    secret: str = field(repr=False)
    base_url: str = ""

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=salt)

    def url(self, name: str, **params) -> str:
        return self.base_url.rstrip("/") + path(name, **params)

    def mentor_link(self, mentor_id: int, nonce: str) -> str:
        return self.url("mentor", token=self._serializer(MENTOR_CHECK_IN).dumps({"m": mentor_id, "n": nonce}))

    def read_mentor_token(self, token: str, max_age: timedelta = MENTOR_LINK_VALIDITY) -> tuple[int, str] | None:
        data = self._load(MENTOR_CHECK_IN, token, max_age)
        if not (isinstance(data, dict) and isinstance(data.get("m"), int) and isinstance(data.get("n"), str)):
            return None
        return data["m"], data["n"]

    def still_looking_link(self, candidate_id: int, asked_at: datetime, answer: str) -> str:
        """The one-click answer to "Still looking?" (``answer``: yes | no), for the question asked at ``asked_at``."""
        data = {"c": candidate_id, "t": int(asked_at.timestamp()), "a": answer}
        return self.url("still_looking", token=self._serializer(STILL_LOOKING).dumps(data))

    def read_still_looking_token(self, token: str, max_age: timedelta = STILL_LOOKING_LINK_VALIDITY
                                 ) -> tuple[int, datetime, str] | None:
        data = self._load(STILL_LOOKING, token, max_age)
        if not (isinstance(data, dict) and isinstance(data.get("c"), int) and isinstance(data.get("t"), int)
                and data.get("a") in ("yes", "no")):
            return None
        return data["c"], datetime.fromtimestamp(data["t"], UTC), data["a"]

    def _load(self, salt: str, token: str, max_age: timedelta):
        try:
            return self._serializer(salt).loads(token, max_age=max_age.total_seconds())
        except BadSignature:  # also SignatureExpired
            return None


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
