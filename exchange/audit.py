"""Recording who did what: every domain write adds one AuditEvent."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from exchange.models import AuditEvent, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor, such as the command line or a scheduled job."""

    label: str


Actor = User | SystemActor


def actor_label(actor: Actor) -> str:
    """How the actor is named in the audit log."""
    return actor.email if isinstance(actor, User) else actor.label


def record(session: Session, actor: Actor, action: str, object_type: str, object_id: object = None,
           **detail: Any) -> AuditEvent:
    """Add an audit event for a write the actor made (flushed with the rest of the unit of work)."""
    event = AuditEvent(actor_id=actor.id if isinstance(actor, User) else None, actor_label=actor_label(actor),
                       action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id), detail=detail)
    session.add(event)
    log.info("%s %s %s %s %s", actor_label(actor), action, object_type, object_id or "", detail or "")
    return event
