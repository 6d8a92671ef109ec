"""Read-side queries of listings; they load what pages need so templates trigger no queries."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from exchange.models import Expert, Listing, ListingKind, ListingStatus


def newest_published(session: Session, kind: ListingKind, limit: int = 8) -> list[Listing]:
    """The newest published listings of one kind, with organization, locality and field loaded."""
    stmt = (select(Listing)
            .where(Listing.kind == kind, Listing.status == ListingStatus.published)
            .options(joinedload(Listing.organization), joinedload(Listing.locality), joinedload(Listing.field))
            .order_by(Listing.published_at.desc(), Listing.id.desc())
            .limit(limit))
    return list(session.scalars(stmt))


def count_published(session: Session) -> dict[str, int]:
    """How many published listings of each kind."""
    stmt = (select(Listing.kind, func.count()).where(Listing.status == ListingStatus.published)
            .group_by(Listing.kind))
    counts = {kind.value: 0 for kind in ListingKind}
    counts.update({kind.value: n for kind, n in session.execute(stmt)})
    return counts


def count_searchable(session: Session) -> int:
    """Published listings plus public experts: what a full index rebuild writes."""
    listings = session.scalar(select(func.count()).select_from(Listing)
                              .where(Listing.status == ListingStatus.published)) or 0
    return listings + (session.scalar(select(func.count()).select_from(Expert).where(Expert.is_public.is_(True))) or 0)
