"""Telling owners about new suggestions: one notification per listing per refresh, not one per pair."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.models import Listing, ListingStatus, Match, MatchSource, NotificationKind, Role, User
from exchange.notifications.services import notify_all


def _members(session: Session, organization_id: int | None) -> list[User]:
    if organization_id is None:
        return []
    return list(session.scalars(select(User).where(User.organization_id == organization_id,
                                                   User.role == Role.enterprise, User.is_active.is_(True))))


def notify_new_suggestions(session: Session, *, since: datetime, threshold: float) -> int:
    """Notify the members of each listing that got suggestions scoring at least `threshold` since `since`."""
    rows = session.scalars(select(Match).options(joinedload(Match.need), joinedload(Match.offer)).where(
        Match.created_at >= since, Match.source == MatchSource.auto, Match.score >= threshold)).all()
    counts: Counter[int] = Counter()
    listings: dict[int, Listing] = {}
    for match in rows:
        for side in (match.need, match.offer):
            if side.status is ListingStatus.published:
                counts[side.id] += 1
                listings[side.id] = side
    notified = 0
    for listing_id, count in counts.items():
        listing = listings[listing_id]
        notified += notify_all(session, users=_members(session, listing.organization_id),
                               kind=NotificationKind.new_suggestion,
                               params={"count": count, "title": listing.title, "listing_id": listing.id},
                               link=f"/tin/{listing.id}")
    return notified
