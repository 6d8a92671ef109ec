"""Notifying users, reading and marking notifications, and each user's mail preference per kind."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from exchange.db import utcnow
from exchange.errors import ValidationError
from exchange.i18n import N_, Msg
from exchange.models import Delivery, Notification, NotificationKind, NotificationPreference, User
from exchange.notifications.kinds import PREFERENCE_KINDS
from exchange.notifications.outbox import queue_mail

MAX_PER_PAGE = 100


def delivery_for(session: Session, user: User, kind: NotificationKind) -> Delivery:
    """How the user wants this kind by mail (immediately unless said otherwise)."""
    chosen = session.scalar(select(NotificationPreference.delivery).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    return chosen or Delivery.immediately


def notify(session: Session, *, user: User, kind: NotificationKind, params: Mapping[str, Any],
           link: str | None = None) -> Notification | None:
    """Tell one active user something; a mail follows now, in the daily digest, or never, as the user chose."""
    if not user.is_active:
        return None
    delivery = delivery_for(session, user, kind)
    note = Notification(user_id=user.id, kind=kind, params=dict(params), link=link,
                        is_digest_pending=delivery is Delivery.daily)
    session.add(note)
    session.flush()
    if delivery is Delivery.immediately:
        queue_mail(session, to=user.email, kind=kind.value, user=user,
                   params={**params, "link": link, "notification_id": note.id})
    return note


def notify_all(session: Session, *, users: Iterable[User], kind: NotificationKind, params: Mapping[str, Any],
               link: str | None = None) -> int:
    """Notify several users (each once); returns how many were notified."""
    seen: set[int] = set()
    for user in users:
        if user.id not in seen and notify(session, user=user, kind=kind, params=params, link=link) is not None:
            seen.add(user.id)
    return len(seen)


@dataclass(frozen=True)
class NotificationPage:
    """One page of a user's notifications, newest first, and the unread count."""

    results: list[Notification]
    total: int
    unread: int
    page: int
    per_page: int


def unread_count(session: Session, user: User) -> int:
    """How many of the user's notifications are unread (the bell)."""
    return int(session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0)


def list_notifications(session: Session, *, user: User, page: int = 1, per_page: int = 20,
                       unread_only: bool = False) -> NotificationPage:
    """The user's notifications, newest first."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 1)
    where = [Notification.user_id == user.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    total = int(session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0)
    rows = session.scalars(select(Notification).where(*where).order_by(Notification.created_at.desc(),
                                                                       Notification.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return NotificationPage(list(rows), total, unread_count(session, user), page, per_page)


def mark_read(session: Session, *, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with ids None, all) of the user's notifications read; others' ids are ignored."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        wanted = [int(i) for i in ids]
        if not wanted:
            return 0
        stmt = stmt.where(Notification.id.in_(wanted))
    return session.execute(stmt.values(read_at=utcnow())).rowcount or 0


def preferences(session: Session, user: User) -> dict[NotificationKind, Delivery]:
    """The user's delivery choice for every kind."""
    rows = session.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                           .where(NotificationPreference.user_id == user.id))
    chosen = {kind: delivery for kind, delivery in rows}
    return {kind: chosen.get(kind, Delivery.immediately) for kind in PREFERENCE_KINDS}


def set_preferences(session: Session, *, user: User, choices: Mapping[str, str]) -> dict[NotificationKind, Delivery]:
    """Save delivery choices (kind → immediately / daily / never); an unknown kind or choice changes nothing."""
    problems: dict[str, str] = {}
    parsed: dict[NotificationKind, Delivery] = {}
    for key, value in choices.items():
        try:
            parsed[NotificationKind(key)] = Delivery(value)
        except ValueError:
            problems[key] = Msg(N_("Chỉ nhận: %(values)s."), values=", ".join(d.value for d in Delivery))
    if problems:
        raise ValidationError(N_("Lựa chọn không hợp lệ."), problems)
    existing = {p.kind: p for p in session.scalars(select(NotificationPreference)
                                                  .where(NotificationPreference.user_id == user.id))}
    for kind, delivery in parsed.items():
        if kind in existing:
            existing[kind].delivery = delivery
        else:
            session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
    session.flush()
    return preferences(session, user)
