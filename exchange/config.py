"""Every setting of the exchange, declared once: name, default, help.

Values come from environment variables `EXCHANGE_<NAME>`; nothing is read at
import time. The README lists every setting (a test checks it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

ENVIRONMENTS = ("development", "test", "production")


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    default: str | None
    help: str

    @property
    def env_var(self) -> str:
        """The environment variable that sets it."""
        return f"EXCHANGE_{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting("ENV", "development", "development, test or production; only serving in production demands a secret key"),
    Setting("DATABASE_URL", None, "SQLAlchemy URL; default: SQLite file exchange.db in the instance folder"),
    Setting("INSTANCE_DIR", None, "folder for the SQLite database, index and uploads; default: ./instance"),
    Setting("INDEX_DIR", None, "folder of the search index and matching model; default: <instance>/index"),
    Setting("UPLOAD_DIR", None, "folder of listing attachments; default: <instance>/uploads"),
    Setting("SECRET_KEY", None, "session signing key; required to serve in production, never defaulted"),
    Setting("TIMEZONE", "Asia/Ho_Chi_Minh", "time zone in which timestamps are shown (stored in UTC)"),
    Setting("SUGGESTIONS_TOP_K", "10", "how many suggestions are kept per listing"),
    Setting("MATCH_THRESHOLD", "0.22", "score under which a suggestion is shown as 'no good match'"),
    Setting("MAX_UPLOAD_MB", "20", "largest accepted attachment, in megabytes"),
    Setting("BASE_URL", "http://127.0.0.1:5000", "public address of the site; every link in a mail is built from it"),
    Setting("SMTP_URL", None, "smtp://[user:pass@]host[:port] (STARTTLS when offered), smtp+starttls:// (STARTTLS "
                              "required) or smtps:// (TLS); unset: mails are written as .eml files under MAIL_DIR"),
    Setting("MAIL_FROM", "Sàn Giao dịch công nghệ <no-reply@sangiaodich.local>", "sender of every mail"),
    Setting("MAIL_DIR", None, "folder of the .eml files when no SMTP_URL is set; default: <instance>/mail"),
    Setting("QUEUE_URL", None, "task queue: redis://[:password@]host:port/db, or 'immediate' (run tasks in the "
                               "calling process, for tests); default: SQLite file queue.db in the instance folder"),
    Setting("TRUSTED_PROXIES", "", "comma-separated addresses or networks of reverse proxies whose "
                                   "X-Forwarded-For is believed; empty: none"),
    Setting("MFA_REQUIRED_ROLES", "", "comma-separated roles that must use a second factor (production: staff,broker)"),
    Setting("SESSION_IDLE_MINUTES", "120", "a browser session unused this long ends"),
    Setting("SESSION_MAX_HOURS", "12", "a browser session ends this long after sign-in, used or not"),
    Setting("API_TOKEN_DAYS", "30", "lifetime of an API token"),
    Setting("DIGEST_HOUR", "7", "local hour at which the daily digest mails are sent"),
)


def _env_values(environ: Mapping[str, str]) -> dict[str, str | None]:
    return {s.name: environ.get(s.env_var, s.default) for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Resolved settings of one process."""

    env: str
    database_url: str
    instance_dir: Path
    index_dir: Path
    upload_dir: Path
    secret_key: str | None
    timezone: str
    suggestions_top_k: int
    match_threshold: float
    max_upload_mb: int
    base_url: str
    smtp_url: str | None
    mail_from: str
    mail_dir: Path
    queue_url: str | None
    trusted_proxies: tuple[str, ...]
    mfa_required_roles: frozenset[str]
    session_idle_minutes: int
    session_max_hours: int
    api_token_days: int
    digest_hour: int

    @property
    def is_production(self) -> bool:
        """Serving for real: secure cookies, HSTS, no demo data."""
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Config":
        """Build the configuration from `EXCHANGE_*` variables, then apply overrides."""
        raw = _env_values(os.environ if environ is None else environ)
        raw.update({k.upper(): v for k, v in overrides.items() if v is not None})  # type: ignore[misc]
        env = str(raw["ENV"])
        if env not in ENVIRONMENTS:
            raise ValueError(f"EXCHANGE_ENV phải là một trong {', '.join(ENVIRONMENTS)}, không phải {env!r}")
        instance = Path(str(raw["INSTANCE_DIR"] or Path.cwd() / "instance")).resolve()
        return cls(
            env=env,
            database_url=str(raw["DATABASE_URL"] or f"sqlite:///{instance / 'exchange.db'}"),
            instance_dir=instance,
            index_dir=Path(str(raw["INDEX_DIR"] or instance / "index")),
            upload_dir=Path(str(raw["UPLOAD_DIR"] or instance / "uploads")),
            secret_key=raw["SECRET_KEY"] or None,
            timezone=str(raw["TIMEZONE"]),
            suggestions_top_k=int(str(raw["SUGGESTIONS_TOP_K"])),
            match_threshold=float(str(raw["MATCH_THRESHOLD"])),
            max_upload_mb=int(str(raw["MAX_UPLOAD_MB"])),
            base_url=str(raw["BASE_URL"]).rstrip("/"),
            smtp_url=raw["SMTP_URL"] or None,
            mail_from=str(raw["MAIL_FROM"]),
            mail_dir=Path(str(raw["MAIL_DIR"] or instance / "mail")),
            queue_url=raw["QUEUE_URL"] or None,
            trusted_proxies=_items(raw["TRUSTED_PROXIES"]),
            mfa_required_roles=frozenset(_items(raw["MFA_REQUIRED_ROLES"])),
            session_idle_minutes=int(str(raw["SESSION_IDLE_MINUTES"])),
            session_max_hours=int(str(raw["SESSION_MAX_HOURS"])),
            api_token_days=int(str(raw["API_TOKEN_DAYS"])),
            digest_hour=int(str(raw["DIGEST_HOUR"])),
        )


def _items(value: str | None) -> tuple[str, ...]:
    """The non-empty items of a comma-separated setting."""
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())
