"""Telling a listing's organization what happened to it (approved, sent back, expiring, …)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import Listing, NotificationKind, Role, User
from exchange.notifications.services import notify_all


def owners(session: Session, listing: Listing) -> list[User]:
    """The active enterprise members of the listing's organization (the poster first)."""
    if listing.organization_id is None:
        return [listing.created_by] if listing.created_by is not None else []
    members = list(session.scalars(select(User).where(User.organization_id == listing.organization_id,
                                                      User.role == Role.enterprise, User.is_active.is_(True))
                                   .order_by(User.id)))
    return members


def notify_owners(session: Session, listing: Listing, kind: NotificationKind, **params: Any) -> int:
    """One notification to each member of the listing's organization, linking to its page on "Tin của tôi"."""
    return notify_all(session, users=owners(session, listing), kind=kind,
                      params={"title": listing.title, "listing_id": listing.id, **params},
                      link=f"/tin/{listing.id}")
