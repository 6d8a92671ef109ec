"""Editing a listing: in place while the public does not see it; a revision for staff once it is published.

A revision holds the whole record as the poster's door takes it (`lookups.record_values`),
validated when proposed and again when applied. While it waits, the public keeps seeing
the listing as it was; a second edit replaces the waiting revision.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.audit import Actor, record
from exchange.brokering.pending import request_refresh
from exchange.db import utcnow
from exchange.errors import Conflict, NotFound, PermissionDenied, ValidationError
from exchange.i18n import N_, Msg
from exchange.listings.lookups import POSTER_KEYS, canonical_record, record_values
from exchange.listings.notices import notify_owners
from exchange.listings.permissions import (
    is_staff,
    owns,
    require_owner_or_staff,
    require_staff,
)
from exchange.listings.services import (
    INVALID,
    apply_attrs,
    get_listing,
    validated_attrs,
)
from exchange.models import (
    Listing,
    ListingRevision,
    ListingStatus,
    NotificationKind,
    RevisionStatus,
    Role,
    User,
)
from exchange.notifications.kinds import marked

NO_REASON = N_("Cần nêu lý do từ chối để người đăng biết cần sửa gì.")


def merged_record(listing: Listing, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The listing's record with the given keys replaced (None clears a key): what a PATCH means."""
    return {**record_values(listing), **changes}


def update_listing(session: Session, *, actor: Actor, listing_id: int,
                   data: Mapping[str, Any]) -> Listing | ListingRevision:
    """Edit a listing with a whole record; a published one gets a revision instead (returned).

    The kind of a listing never changes. Editing an expired or closed listing puts it back to
    draft: it is reviewed again before it returns.
    """
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    if data.get("kind") not in (None, listing.kind.value):
        raise ValidationError(INVALID, {"kind": N_("Không đổi được loại tin (chào bán / tìm mua); hãy đăng tin mới.")})
    payload = {**data, "kind": listing.kind.value}
    if listing.status is ListingStatus.published:
        return propose_revision(session, actor=actor, listing=listing, data=payload)
    _, attrs = validated_attrs(session, payload, ref=listing.ref)
    apply_attrs(session, listing, attrs)
    if listing.status in (ListingStatus.expired, ListingStatus.closed):
        listing.status = ListingStatus.draft
    session.flush()
    record(session, actor, "update_listing", "listing", listing.id)
    return listing


def pending_revision(session: Session, listing_id: int) -> ListingRevision | None:
    """The revision of this listing waiting for review, if any."""
    return session.scalar(select(ListingRevision).where(ListingRevision.listing_id == listing_id,
                                                        ListingRevision.status == RevisionStatus.pending))


def propose_revision(session: Session, *, actor: Actor, listing: Listing,
                     data: Mapping[str, Any]) -> ListingRevision | Listing:
    """Keep an edit of a published listing for review (replacing one already waiting).

    An "edit" that leaves the published record as it is makes no revision (and withdraws a waiting
    one: the poster went back to what is published); the listing is returned unchanged.
    """
    kind, attrs = validated_attrs(session, data, ref=listing.ref)
    values = canonical_record(session, kind, attrs)
    revision = pending_revision(session, listing.id)
    if values == record_values(listing):
        if revision is not None:
            session.delete(revision)
            session.flush()
            record(session, actor, "withdraw_revision", "listing", listing.id, revision_id=revision.id)
        return listing
    if revision is None:
        revision = ListingRevision(listing_id=listing.id, status=RevisionStatus.pending)
        session.add(revision)
    revision.data = values
    revision.submitted_by_id = actor.id if isinstance(actor, User) else None
    revision.created_at = utcnow()
    session.flush()
    record(session, actor, "propose_revision", "listing", listing.id, revision_id=revision.id)
    return revision


def get_revision(session: Session, revision_id: int) -> ListingRevision:
    """A revision with its listing, or NotFound."""
    revision = session.scalar(select(ListingRevision).where(ListingRevision.id == revision_id)
                              .options(joinedload(ListingRevision.listing)))
    if revision is None:
        raise NotFound(Msg(N_("Không có bản sửa số %(id)s."), id=revision_id))
    return revision


def visible_revision(session: Session, actor: Actor, revision_id: int) -> ListingRevision:
    """A revision for its listing's organization and staff; brokers 403 (they know the listing, not its
    unreviewed edits); NotFound for anyone else (another organization's edits stay unknown)."""
    revision = get_revision(session, revision_id)
    if isinstance(actor, User) and actor.role is Role.broker:
        raise PermissionDenied(N_("Chỉ tổ chức đăng tin và cán bộ Sở xem được bản sửa."))
    if not (is_staff(actor) or owns(actor, revision.listing)):
        raise NotFound(Msg(N_("Không có bản sửa số %(id)s."), id=revision_id))
    return revision


def _waiting(revision: ListingRevision) -> None:
    if revision.status is not RevisionStatus.pending:
        raise Conflict(N_("Bản sửa này đã được xử lý."), {"status": revision.status.value})
    if revision.listing.status is not ListingStatus.published:
        raise Conflict(N_("Tin không còn công bố; bản sửa không áp dụng được nữa."),
                       {"status": revision.listing.status.value})


def approve_revision(session: Session, *, actor: Actor, revision_id: int) -> ListingRevision:
    """Staff apply a waiting revision: the public sees it, search and suggestions follow."""
    require_staff(actor)
    revision = get_revision(session, revision_id)
    _waiting(revision)
    listing = revision.listing
    _, attrs = validated_attrs(session, revision.data, ref=listing.ref)
    apply_attrs(session, listing, attrs)
    _decide(revision, actor, RevisionStatus.approved, None)
    request_refresh(session, [listing.id])
    notify_owners(session, listing, NotificationKind.revision_decided,
                  **marked(decision=N_("đã được duyệt và công bố")))
    session.flush()
    record(session, actor, "approve_revision", "listing", listing.id, revision_id=revision.id)
    return revision


def reject_revision(session: Session, *, actor: Actor, revision_id: int, reason: str) -> ListingRevision:
    """Staff refuse a waiting revision with a reason; the listing stays as it was."""
    require_staff(actor)
    revision = get_revision(session, revision_id)
    _waiting(revision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(NO_REASON, {"reason": N_("Bắt buộc.")})
    if len(reason) > 2000:
        raise ValidationError(NO_REASON, {"reason": Msg(N_("Tối đa %(max)s ký tự."), max=2000)})
    _decide(revision, actor, RevisionStatus.rejected, reason)
    notify_owners(session, revision.listing, NotificationKind.revision_decided, decision=reason)
    session.flush()
    record(session, actor, "reject_revision", "listing", revision.listing_id, revision_id=revision.id, reason=reason)
    return revision


def _decide(revision: ListingRevision, actor: Actor, status: RevisionStatus, note: str | None) -> None:
    revision.status = status
    revision.note = note
    revision.decided_by_id = actor.id if isinstance(actor, User) else None
    revision.decided_at = utcnow()


@dataclass(frozen=True)
class FieldChange:
    """One record key of a revision beside the published value."""

    key: str
    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        """Whether the revision changes this key (blank and missing count as the same)."""
        return _blank(self.old) != _blank(self.new)


def _blank(value: Any) -> Any:
    return None if value in (None, "", []) else value


def revision_changes(revision: ListingRevision) -> list[FieldChange]:
    """Every record key, published value beside the revision's, in the record's order."""
    current = record_values(revision.listing)
    return [FieldChange(key, current.get(key), revision.data.get(key)) for key in POSTER_KEYS]


def list_revisions(session: Session, *, actor: Actor, status: RevisionStatus) -> list[ListingRevision]:
    """Revisions in a status, oldest first: staff see all, an enterprise member its organization's (403 else)."""
    stmt = (select(ListingRevision).join(Listing).where(ListingRevision.status == status)
            .options(joinedload(ListingRevision.listing)).order_by(ListingRevision.created_at, ListingRevision.id))
    if not is_staff(actor):
        if not (isinstance(actor, User) and actor.role is Role.enterprise and actor.organization_id is not None):
            raise PermissionDenied(N_("Chỉ tổ chức đăng tin và cán bộ Sở xem được bản sửa."))
        stmt = stmt.where(Listing.organization_id == actor.organization_id)
    return list(session.scalars(stmt))


def pending_revisions(session: Session, *, actor: Actor) -> list[ListingRevision]:
    """Revisions waiting for review, oldest first (staff)."""
    require_staff(actor)
    stmt = (select(ListingRevision).where(ListingRevision.status == RevisionStatus.pending)
            .options(joinedload(ListingRevision.listing).joinedload(Listing.organization),
                     joinedload(ListingRevision.submitted_by))
            .order_by(ListingRevision.created_at, ListingRevision.id))
    return list(session.scalars(stmt))
