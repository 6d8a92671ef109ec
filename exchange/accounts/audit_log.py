"""Reading the audit log: staff filter it by user and action."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.permissions import require_staff
from exchange.audit import Actor
from exchange.models import AuditEvent


def audit_actions(session: Session, *, actor: Actor) -> list[str]:
    """Every action that appears in the log (for the filter)."""
    require_staff(actor)
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def list_events(session: Session, *, actor: Actor, user: str = "", action: str = "", page: int = 1,
                per_page: int = 50) -> tuple[list[AuditEvent], int]:
    """Events newest first; `user` matches the actor's label (e-mail) or the e-mail the event is about."""
    require_staff(actor)
    stmt = select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if user.strip():
        stmt = stmt.where(func.lower(AuditEvent.actor_label).like(f"%{user.strip().lower()}%"))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                           .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), int(total)
