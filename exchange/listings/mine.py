""""Tin của tôi": an organization's listings by status, with what its members may do with each."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from exchange.audit import Actor
from exchange.errors import PermissionDenied
from exchange.i18n import N_
from exchange.models import (
    Listing,
    ListingRevision,
    ListingStatus,
    Match,
    MatchStatus,
    RevisionStatus,
    User,
)

# What the owner may do in each status (the services enforce the same rules).
ACTIONS: dict[ListingStatus, tuple[str, ...]] = {
    ListingStatus.draft: ("edit", "submit", "attach", "close"),
    ListingStatus.submitted: ("edit", "attach", "close"),
    ListingStatus.rejected: ("edit", "submit", "attach", "close"),
    ListingStatus.published: ("edit", "attach", "renew", "close"),
    ListingStatus.expired: ("renew", "edit", "close"),
    ListingStatus.closed: ("edit",),
}


@dataclass(frozen=True)
class MyListing:
    """One listing of the organization, its current suggestions count and whether an edit waits for review."""

    listing: Listing
    suggestions: int
    pending_revision: ListingRevision | None

    @property
    def actions(self) -> tuple[str, ...]:
        """What the owner may do with it now."""
        return ACTIONS[self.listing.status]


def _suggestion_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Current suggestions per listing, counted as the listing page shows them (published counterparts)."""
    if not ids:
        return {}
    counts: dict[int, int] = {}
    for column, other in ((Match.need_id, Match.offer_id), (Match.offer_id, Match.need_id)):
        stmt = (select(column, func.count()).join(Listing, Listing.id == other)
                .where(column.in_(ids), Match.status != MatchStatus.rejected,
                       Listing.status == ListingStatus.published)
                .group_by(column))
        for listing_id, n in session.execute(stmt):
            counts[listing_id] = counts.get(listing_id, 0) + n
    return counts


def my_listings(session: Session, *, actor: Actor, status: ListingStatus | None = None) -> list[MyListing]:
    """The listings of the actor's organization, newest change first (optionally of one status)."""
    if not isinstance(actor, User) or actor.organization_id is None:
        raise PermissionDenied(N_("Tài khoản của bạn chưa thuộc tổ chức nào."))
    stmt = (select(Listing).where(Listing.organization_id == actor.organization_id)
            .options(joinedload(Listing.field), joinedload(Listing.locality))
            .order_by(Listing.updated_at.desc(), Listing.id.desc()))
    if status is not None:
        stmt = stmt.where(Listing.status == status)
    listings = list(session.scalars(stmt))
    ids = [l.id for l in listings]
    counts = _suggestion_counts(session, ids)
    revisions = {r.listing_id: r for r in session.scalars(
        select(ListingRevision).where(ListingRevision.listing_id.in_(ids),
                                      ListingRevision.status == RevisionStatus.pending))} if ids else {}
    return [MyListing(l, counts.get(l.id, 0), revisions.get(l.id)) for l in listings]


def status_counts(session: Session, *, actor: Actor) -> dict[ListingStatus, int]:
    """How many listings of the actor's organization are in each status."""
    if not isinstance(actor, User) or actor.organization_id is None:
        return {status: 0 for status in ListingStatus}
    rows = session.execute(select(Listing.status, func.count()).where(Listing.organization_id == actor.organization_id)
                           .group_by(Listing.status))
    counts = {status: 0 for status in ListingStatus}
    counts.update({status: n for status, n in rows})
    return counts
