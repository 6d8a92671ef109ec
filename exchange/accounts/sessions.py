"""Browser sessions: a random key in the signed cookie, its hash and the user's session version in the database.

A copied cookie stops working when its session ends (sign-out), when the user's session
version moves (sign-out everywhere, password change or reset, deactivation, role change),
after SESSION_IDLE_MINUTES without use and SESSION_MAX_HOURS after sign-in.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.audit import record
from exchange.db import utcnow
from exchange.models import ApiToken, LoginSession, User

# last_seen_at is written at most this often: the idle timeout is exact to within this.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Client:
    """Where a request comes from (for the audit log and the brute-force counters)."""

    address: str
    user_agent: str | None = None

    @property
    def short_agent(self) -> str | None:
        """The user agent, cut to the column size."""
        return self.user_agent[:300] if self.user_agent else None


@dataclass(frozen=True)
class SessionLimits:
    """How long a browser session lives unused and at most."""

    idle: timedelta
    absolute: timedelta


def key_hash(key: str) -> str:
    """The stored form of a session key or token."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start_session(session: Session, *, user: User, client: Client) -> str:
    """A new browser session for a user who proved who they are; returns the key for the cookie."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(user_id=user.id, key_hash=key_hash(key), session_version=user.session_version,
                             client_address=client.address, user_agent=client.short_agent,
                             created_at=now, last_seen_at=now))
    user.last_login_at = now
    session.flush()
    record(session, user, "login", "user", user.id, address=client.address, user_agent=client.short_agent)
    return key


def resolve_session(session: Session, *, key: str, limits: SessionLimits,
                    now: datetime | None = None) -> tuple[User, LoginSession] | None:
    """The user and session of a cookie's key while the session is still valid, else None."""
    row = session.scalar(select(LoginSession).where(LoginSession.key_hash == key_hash(key)))
    now = now or utcnow()
    if row is None or row.ended_at is not None:
        return None
    user = row.user
    if (not user.is_active or row.session_version != user.session_version
            or now - row.created_at > limits.absolute or now - row.last_seen_at > limits.idle):
        return None
    return user, row


def needs_touch(row: LoginSession, now: datetime | None = None) -> bool:
    """Whether last_seen_at is old enough to be written again."""
    return (now or utcnow()) - row.last_seen_at >= TOUCH_EVERY


def touch_session(session: Session, *, session_id: int, now: datetime | None = None) -> None:
    """Record that a session was used (bookkeeping of the idle timeout)."""
    session.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=now or utcnow()))


def end_session(session: Session, *, key: str, client: Client | None = None) -> None:
    """Sign out this browser only."""
    row = session.scalar(select(LoginSession).where(LoginSession.key_hash == key_hash(key)))
    if row is None or row.ended_at is not None:
        return
    row.ended_at = utcnow()
    session.flush()
    record(session, row.user, "logout", "user", row.user_id, address=client.address if client else None)


def end_all_sessions(session: Session, *, user: User) -> None:
    """End every browser session and revoke every API token of the user (one version step)."""
    now = utcnow()
    user.session_version = (user.session_version or 1) + 1
    session.execute(update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
                    .values(ended_at=now))
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.flush()


def sign_out_everywhere(session: Session, *, user: User, client: Client | None = None) -> None:
    """The user ends all its sessions and tokens."""
    end_all_sessions(session, user=user)
    record(session, user, "logout_everywhere", "user", user.id, address=client.address if client else None)
