"""Brute-force limits on sign-in, counted from LoginAttempt rows (shared by every server process).

- 5 failures for one (e-mail, address) within 15 minutes → that pair waits (429).
- 30 failures from one address within 15 minutes → that address waits.
- Failures on one e-mail from many addresses (a spray) slow that e-mail's attempts from
  addresses it never signed in from: one attempt every few seconds, growing with the
  failures, at most a minute. Its owner is never locked out: the addresses it signed in
  from before are not slowed, and any other can still try after the short wait.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.sessions import Client
from exchange.audit import SystemActor, record
from exchange.db import utcnow
from exchange.errors import RateLimited
from exchange.i18n import N_, Msg
from exchange.models import LoginAttempt

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5
ADDRESS_LIMIT = 30
SPRAY_FAILURES = 10
SPRAY_ADDRESSES = 2
MAX_SPRAY_WAIT = 60
KNOWN_ADDRESS_DAYS = 90


def _failures(session: Session, since: datetime, **where: str) -> tuple[int, datetime | None]:
    """How many failed attempts match, and the earliest of them."""
    conditions = [LoginAttempt.is_success.is_(False), LoginAttempt.created_at > since]
    conditions += [getattr(LoginAttempt, name) == value for name, value in where.items()]
    count, first = session.execute(select(func.count(), func.min(LoginAttempt.created_at)).where(*conditions)).one()
    return int(count), first


def _last_success(session: Session, email: str, address: str | None = None) -> datetime | None:
    conditions = [LoginAttempt.is_success.is_(True), LoginAttempt.email == email]
    if address is not None:
        conditions.append(LoginAttempt.client_address == address)
    return session.scalar(select(func.max(LoginAttempt.created_at)).where(*conditions))


def _refuse(wait: float) -> RateLimited:
    seconds = max(1, math.ceil(wait))
    if seconds < 60:
        message = Msg(N_("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau %(seconds)s giây."),
                      seconds=seconds)
    else:
        message = Msg(N_("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
                      minutes=math.ceil(seconds / 60))
    return RateLimited(message, retry_after=seconds)


def check_throttle(session: Session, *, email: str, client: Client, now: datetime | None = None) -> None:
    """Raise RateLimited when this attempt must wait (nothing is written)."""
    now = now or utcnow()
    since = now - WINDOW
    pair_since = max(since, _last_success(session, email, client.address) or since)
    count, first = _failures(session, pair_since, email=email, client_address=client.address)
    if count >= PAIR_LIMIT and first is not None:
        raise _refuse((first + WINDOW - now).total_seconds())
    count, first = _failures(session, since, client_address=client.address)
    if count >= ADDRESS_LIMIT and first is not None:
        raise _refuse((first + WINDOW - now).total_seconds())
    _check_spray(session, email, client, now)


def _check_spray(session: Session, email: str, client: Client, now: datetime) -> None:
    since = now - WINDOW
    failures, addresses, last = session.execute(
        select(func.count(), func.count(func.distinct(LoginAttempt.client_address)), func.max(LoginAttempt.created_at))
        .where(LoginAttempt.email == email, LoginAttempt.is_success.is_(False), LoginAttempt.created_at > since)).one()
    if failures < SPRAY_FAILURES or addresses < SPRAY_ADDRESSES or last is None:
        return
    known = _last_success(session, email, client.address)
    if known is not None and now - known < timedelta(days=KNOWN_ADDRESS_DAYS):
        return
    wait = min(2 ** ((failures - SPRAY_FAILURES) // 5 + 1), MAX_SPRAY_WAIT)
    remaining = wait - (now - last).total_seconds()
    if remaining > 0:
        raise _refuse(remaining)


def record_attempt(session: Session, *, email: str, client: Client, is_success: bool, step: str = "password") -> None:
    """Keep one attempt; a failure is also an audit event (a success is audited as the login itself)."""
    session.add(LoginAttempt(email=email, client_address=client.address, user_agent=client.short_agent,
                             is_success=is_success))
    if not is_success:
        record(session, SystemActor(email), "login_failed", "user", None, email=email, address=client.address,
               user_agent=client.short_agent, step=step)
    session.flush()
