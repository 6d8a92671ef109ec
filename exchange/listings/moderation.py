"""Staff review of submitted listings: the queue, approval (publication) and rejection with a reason."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from exchange.audit import Actor, record
from exchange.brokering.pending import request_refresh
from exchange.db import utcnow
from exchange.errors import ValidationError
from exchange.i18n import N_, Msg
from exchange.listings.notices import notify_owners
from exchange.listings.permissions import require_staff
from exchange.listings.services import get_listing, require_status
from exchange.listings.status import stamp_status
from exchange.models import Listing, ListingKind, ListingRevision, ListingStatus, NotificationKind, RevisionStatus, User

REASON_LIMIT = 2000


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue shows: kind, field, locality, waiting at least `min_days`, new organizations only."""

    kind: ListingKind | None = None
    field_code: str | None = None
    locality_code: str | None = None
    min_days: int | None = None
    new_organization: bool = False


def _is_new_organization():  # type: ignore[no-untyped-def]
    """No listing of the organization was ever published (its first listing on the exchange)."""
    other = aliased(Listing)
    return ~exists().where(other.organization_id == Listing.organization_id, other.first_published_at.is_not(None))


def review_queue(session: Session, *, actor: Actor, filters: QueueFilter = QueueFilter()) -> list[tuple[Listing, bool]]:
    """Submitted listings, oldest first, each with whether its organization is new to the exchange."""
    require_staff(actor)
    is_new = _is_new_organization().label("is_new")
    stmt = (select(Listing, is_new).where(Listing.status == ListingStatus.submitted)
            .options(joinedload(Listing.organization), joinedload(Listing.locality), joinedload(Listing.field))
            .order_by(Listing.submitted_at, Listing.id))
    if filters.kind is not None:
        stmt = stmt.where(Listing.kind == filters.kind)
    if filters.field_code:
        stmt = stmt.where(Listing.field_code == filters.field_code)
    if filters.locality_code:
        stmt = stmt.where(Listing.locality_code == filters.locality_code)
    if filters.min_days:
        stmt = stmt.where(Listing.submitted_at <= utcnow() - timedelta(days=filters.min_days))
    if filters.new_organization:
        stmt = stmt.where(_is_new_organization())
    return [(listing, bool(new)) for listing, new in session.execute(stmt)]


def count_waiting(session: Session) -> int:
    """How many listings and revisions wait for review (the menu badge of staff)."""
    listings = session.scalar(select(func.count()).select_from(Listing)
                              .where(Listing.status == ListingStatus.submitted)) or 0
    revisions = session.scalar(select(func.count()).select_from(ListingRevision)
                               .where(ListingRevision.status == RevisionStatus.pending)) or 0
    return listings + revisions


def approve_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """Publish a submitted listing for a year; search follows the commit, suggestions the worker."""
    require_staff(actor)
    listing = get_listing(session, listing_id)
    require_status(listing, {ListingStatus.submitted}, N_("duyệt"))
    stamp_status(listing, ListingStatus.published)
    _reviewed(listing, actor, None)
    request_refresh(session, [listing.id])
    notify_owners(session, listing, NotificationKind.listing_approved)
    session.flush()
    record(session, actor, "approve_listing", "listing", listing.id, expires_at=listing.expires_at.isoformat())
    return listing


def reject_listing(session: Session, *, actor: Actor, listing_id: int, reason: str) -> Listing:
    """Send a submitted listing back with a required reason, kept on the listing and sent to the poster."""
    require_staff(actor)
    listing = get_listing(session, listing_id)
    require_status(listing, {ListingStatus.submitted}, N_("từ chối"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(N_("Cần nêu lý do từ chối để người đăng biết cần sửa gì."), {"reason": N_("Bắt buộc.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(N_("Lý do quá dài."), {"reason": Msg(N_("Tối đa %(max)s ký tự."), max=REASON_LIMIT)})
    listing.status = ListingStatus.rejected
    _reviewed(listing, actor, reason)
    notify_owners(session, listing, NotificationKind.listing_rejected, reason=reason)
    session.flush()
    record(session, actor, "reject_listing", "listing", listing.id, reason=reason)
    return listing


def _reviewed(listing: Listing, actor: Actor, note: str | None) -> None:
    listing.review_note = note
    listing.reviewed_by_id = actor.id if isinstance(actor, User) else None
    listing.reviewed_at = utcnow()
