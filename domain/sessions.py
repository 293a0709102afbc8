"""When a signed-in session stops being valid. Pure Python.

The browser's cookie carries a random id; the server keeps only its hash, so a stolen database
cannot be replayed as a cookie, and ending a session on the server ends it for every copy of the cookie.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

DEFAULT_IDLE = timedelta(hours=8)
ABSOLUTE_LIFETIME = timedelta(days=7)
# last_seen is written at most this often, so reading pages does not write on every request
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_expired(created_at: datetime, last_seen_at: datetime, now: datetime,
                    idle: timedelta = DEFAULT_IDLE, absolute: timedelta = ABSOLUTE_LIFETIME) -> str | None:
    """Why the session has run out ("idle" or "absolute"), or None while it is valid."""
    if now - created_at >= absolute:
        return "absolute"
    if now - last_seen_at >= idle:
        return "idle"
    return None


def device_label(user_agent: str) -> str:
    """A short, identity-free description of the browser for the account page."""
    ua = user_agent or ""
    browser = next((name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                                           ("Safari/", "Safari")) if key in ua), "")
    system = next((name for key, name in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                          ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux"))
                   if key in ua), "")
    return " · ".join(part for part in (browser, system) if part)[:60]
