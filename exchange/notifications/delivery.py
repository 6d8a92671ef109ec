"""Sending what the outbox holds: claim a row, render, send, record; failures wait longer each time.

A row is claimed with one UPDATE (pending and due, or claimed long ago by a worker that
died), so two workers or a task and the periodic sweep never send the same mail twice
at once. Delivery is at least once: a worker killed after sending but before recording
sends again after CLAIM_TIMEOUT.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from exchange.db import utcnow
from exchange.models import MailStatus, Notification, OutgoingMail, User
from exchange.notifications.kinds import notification_text
from exchange.notifications.mail import MailBackend, MailSettings, render, to_message, translations
from exchange.notifications.outbox import queue_mail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # 1, 2, 4 … 256 minutes, then 6 hours twice: about a day before a mail is given up
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
CLAIM_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True)
class Mailer:
    """Everything delivery needs: sessions, the backend, rendering settings."""

    factory: sessionmaker[Session]
    backend: MailBackend
    settings: MailSettings


def retry_wait(attempts: int) -> timedelta:
    """The wait before the next attempt after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 20)), LONGEST_WAIT)


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(and_(OutgoingMail.status == MailStatus.pending, OutgoingMail.next_attempt_at <= now),
               and_(OutgoingMail.status == MailStatus.sending, OutgoingMail.claimed_at < now - CLAIM_TIMEOUT))


def _claim(session: Session, mail_id: int, now: datetime) -> bool:
    claimed = session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id, _claimable(now))
                              .values(status=MailStatus.sending, claimed_at=now))
    return claimed.rowcount == 1


def _digest_items(session: Session, mail: OutgoingMail, settings: MailSettings) -> dict:
    """The notifications a digest lists, rendered in the mail's language."""
    ids = [int(i) for i in mail.params.get("notification_ids", [])]
    rows = session.scalars(select(Notification).where(Notification.id.in_(ids)).order_by(Notification.created_at))
    gettext = translations(mail.language).gettext
    zone = ZoneInfo(settings.timezone)
    return {"items": [{"text": notification_text(n.kind, n.params, gettext),
                       "link": f"{settings.base_url}{n.link}" if n.link else None,
                       "when": n.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")} for n in rows]}


def deliver(mailer: Mailer, mail_id: int, now: datetime | None = None) -> bool:
    """Send one mail if it is due and nobody else holds it; True when it was sent now.

    A mail that cannot be rendered or sent counts as a failed attempt (never an exception that
    would stop the sweep at the same row every minute).
    """
    now = now or utcnow()
    with mailer.factory.begin() as session:
        if not _claim(session, mail_id, now):
            return False
        attempts = session.get(OutgoingMail, mail_id).attempts + 1
    try:
        with mailer.factory() as session:
            mail = session.get(OutgoingMail, mail_id)
            extra = _digest_items(session, mail, mailer.settings) if mail.kind == "digest" else None
            rendered = render(kind=mail.kind, params=mail.params, to=mail.to_address, language=mail.language,
                              settings=mailer.settings, extra=extra)
        mailer.backend.send(to_message(rendered, mailer.settings, now), mail_id)
    except Exception as exc:  # any rendering or transport failure: record it and wait longer
        _record_failure(mailer, mail_id, attempts, f"{type(exc).__name__}: {exc}", now)
        return False
    with mailer.factory.begin() as session:
        session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(
            status=MailStatus.sent, sent_at=utcnow(), attempts=attempts, last_error=None))
    log.info("mail %s (%s) sent to %s", mail_id, rendered.subject, rendered.to)
    return True


def _record_failure(mailer: Mailer, mail_id: int, attempts: int, error: str, now: datetime) -> None:
    status = MailStatus.failed if attempts >= MAX_ATTEMPTS else MailStatus.pending
    with mailer.factory.begin() as session:
        session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(
            status=status, attempts=attempts, last_error=error[:2000], claimed_at=None,
            next_attempt_at=now + retry_wait(attempts)))
    log.warning("mail %s not sent (attempt %s%s): %s", mail_id, attempts,
                ", given up" if status is MailStatus.failed else "", error)


def due_mail_ids(session: Session, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Mails waiting to be sent (or held too long by a dead worker), oldest first."""
    return list(session.scalars(select(OutgoingMail.id).where(_claimable(now or utcnow()))
                                .order_by(OutgoingMail.id).limit(limit)))


def deliver_due(mailer: Mailer, now: datetime | None = None) -> int:
    """The periodic sweep: send every due mail; returns how many were sent."""
    with mailer.factory() as session:
        ids = due_mail_ids(session, now)
    return sum(deliver(mailer, mail_id, now) for mail_id in ids)


def write_digests(session: Session) -> int:
    """One digest mail per user with notifications waiting for it; they are marked digested.

    Each user's rows are taken with one UPDATE … RETURNING, so two workers at the digest hour
    never put the same notification in two mails.
    """
    users = session.scalars(select(Notification.user_id).where(Notification.is_digest_pending.is_(True))
                            .distinct()).all()
    written = 0
    for user_id in users:
        taken = session.scalars(update(Notification).where(Notification.user_id == user_id,
                                                           Notification.is_digest_pending.is_(True))
                                .values(is_digest_pending=False, digested_at=utcnow())
                                .returning(Notification.id)).all()
        user = session.get(User, user_id)
        if taken and user is not None and user.is_active:
            queue_mail(session, to=user.email, kind="digest", user=user, params={"notification_ids": sorted(taken)})
            written += 1
    session.flush()
    return written
