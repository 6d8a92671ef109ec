"""The outbox: a mail is a row written in the same transaction as its cause; after commit it is queued.

Nothing is lost between the commit and the queue: a mail whose task never ran is found by
the periodic sweep (exchange.notifications.delivery.deliver_due) and sent then.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from exchange.jobs.hooks import after_commit
from exchange.models import OutgoingMail, User
from exchange.notifications.kinds import MAIL_KINDS

DEFAULT_LANGUAGE = "vi"


def queue_mail(session: Session, *, to: str, kind: str, params: dict[str, Any],
               user: User | None = None) -> OutgoingMail:
    """Add a mail to send (in the recipient's language) and ask for its delivery after commit."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    mail = OutgoingMail(to_address=to, kind=kind, params=params, user_id=user.id if user else None,
                        language=(user.language if user and user.language else DEFAULT_LANGUAGE))
    session.add(mail)
    session.flush()
    after_commit(session, "send_mail", mail.id)
    return mail
