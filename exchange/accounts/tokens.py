"""Bearer tokens of the JSON API: only a SHA-256 is kept; they die with the user's session version."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.accounts.sessions import Client, key_hash
from exchange.audit import record
from exchange.db import utcnow
from exchange.models import ApiToken, User

PREFIX = "sgd_"
TOUCH_EVERY = timedelta(minutes=1)


def create_token(session: Session, *, user: User, days: int, client: Client) -> tuple[str, ApiToken]:
    """A new token for a user who proved who they are; the plain token is returned once, never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=key_hash(plain), session_version=user.session_version,
                   expires_at=utcnow() + timedelta(days=days))
    session.add(row)
    session.flush()
    record(session, user, "create_token", "api_token", row.id, address=client.address)
    return plain, row


def resolve_token(session: Session, plain: str, now: datetime | None = None) -> tuple[User, ApiToken] | None:
    """The user of a live token (not revoked, not expired, same session version, active user), else None."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == key_hash(plain)))
    now = now or utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not row.user.is_active or row.session_version != row.user.session_version:
        return None
    return row.user, row


def needs_touch(row: ApiToken, now: datetime | None = None) -> bool:
    """Whether last_used_at is old enough to be written again."""
    return row.last_used_at is None or (now or utcnow()) - row.last_used_at >= TOUCH_EVERY


def touch_token(session: Session, *, token_id: int) -> None:
    """Record that a token was used."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def revoke_token(session: Session, *, user: User, token: ApiToken) -> None:
    """Revoke one token (DELETE /api/tokens/current)."""
    token.revoked_at = utcnow()
    session.flush()
    record(session, user, "revoke_token", "api_token", token.id)
