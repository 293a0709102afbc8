"""Settings are read once, here, into one object passed to ``create_app``. Nothing else reads os.environ."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    meili_url: str | None = None
    meili_api_key: str | None = field(default=None, repr=False)
    meili_index_prefix: str = ""
    smtp_url: str | None = None
    ibo_max_weeks: int = 26
    interest_expiry_days: int = 14
    https_only: bool = False
    api_requests_per_minute: int = 600
    operator_name: str = "Opstap"
    operator_url: str | None = None
    beta: bool = True
    public_url: str = "http://127.0.0.1:8000"  # the base of links in e-mails the background jobs send
    still_looking_weeks: int = 6
    session_idle_hours: float = 8
    threads: int = 8  # per worker process, for the requests' blocking work

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("OPSTAP_DATA_DIR", "var")).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'opstap.sqlite3'}",
            secret_key=env.get("OPSTAP_SECRET_KEY") or _stored_secret(data_dir / "secret_key"),
            meili_url=env.get("MEILI_URL") or None,
            meili_api_key=env.get("MEILI_API_KEY") or None,
            meili_index_prefix=env.get("MEILI_INDEX_PREFIX", ""),
            smtp_url=env.get("SMTP_URL") or None,
            ibo_max_weeks=int(env.get("OPSTAP_IBO_MAX_WEEKS", "26")),
            interest_expiry_days=int(env.get("OPSTAP_INTEREST_EXPIRY_DAYS", "14")),
            https_only=env.get("OPSTAP_HTTPS_ONLY", "") == "1",
            api_requests_per_minute=int(env.get("OPSTAP_API_REQUESTS_PER_MINUTE", "600")),
            operator_name=env.get("OPSTAP_OPERATOR_NAME") or "Opstap",
            operator_url=env.get("OPSTAP_OPERATOR_URL") or None,
            beta=env.get("OPSTAP_BETA", "1") != "0",
            public_url=env.get("OPSTAP_PUBLIC_URL", "http://127.0.0.1:8000"),
            still_looking_weeks=int(env.get("OPSTAP_STILL_LOOKING_WEEKS", "6")),
            session_idle_hours=float(env.get("OPSTAP_SESSION_IDLE_HOURS", "8")),
            threads=int(env.get("OPSTAP_THREADS", "8")),
        )


def _stored_secret(path: Path) -> str:
    """A secret generated on first start and kept in the data directory (mode 600)."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
