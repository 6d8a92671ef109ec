"""Listing services of the poster: create, submit, close, renew.

Edits live in `editing.py`, staff decisions in `moderation.py`; every door (pages, API, import)
validates through `records.validate_record`.
"""
from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any, Mapping

from sqlalchemy.orm import Session

from exchange.audit import Actor, record
from exchange.brokering.pending import request_refresh
from exchange.db import utcnow
from exchange.errors import Conflict, NotFound, PermissionDenied, ValidationError
from exchange.i18n import N_, Msg
from exchange.listings.lookups import listing_attrs, record_checks
from exchange.listings.permissions import (
    can_view,
    require_owner_or_staff,
)
from exchange.listings.records import IMPORT_ONLY, RecordError, validate_record
from exchange.listings.status import STATUS_LABELS, stamp_status
from exchange.models import Field, Listing, ListingKind, ListingStatus, Locality, Organization, User
from exchange.text import pipeline_version, tokenize_fields

log = logging.getLogger(__name__)
WEB_SOURCE = "web"
REF_PREFIX = {ListingKind.offer: "O", ListingKind.need: "N"}
INVALID = N_("Tin chưa hợp lệ, vui lòng sửa các mục được đánh dấu.")


def get_listing(session: Session, listing_id: int) -> Listing:
    """The listing with this id, or NotFound."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(Msg(N_("Không có tin số %(id)s."), id=listing_id))
    return listing


def visible_listing(session: Session, actor: Actor | None, listing_id: int) -> Listing:
    """The listing if the actor may read it; NotFound otherwise (a hidden draft does not reveal it exists)."""
    listing = session.get(Listing, listing_id)
    if listing is None or not can_view(actor, listing):
        raise NotFound(Msg(N_("Không có tin số %(id)s."), id=listing_id))
    return listing


def validated_attrs(session: Session, data: Mapping[str, Any], ref: str) -> tuple[ListingKind, dict[str, Any]]:
    """The Listing columns of a poster's record (web or API); ValidationError naming each bad field."""
    refused = {key: N_("Trường này do sàn tự gán, không được gửi.") for key in data if key in IMPORT_ONLY}
    try:
        rec = validate_record({k: v for k, v in data.items() if k not in IMPORT_ONLY} | {"ref": ref},
                              checks=record_checks(session))
    except RecordError as exc:
        raise ValidationError(INVALID, {**exc.problems, **refused}) from None
    if refused:
        raise ValidationError(INVALID, refused)
    return rec.kind, listing_attrs(rec)


def apply_attrs(session: Session, listing: Listing, attrs: Mapping[str, Any]) -> None:
    """Set validated columns on a listing and segment its text again; relationships follow the new codes."""
    for key, value in attrs.items():
        setattr(listing, key, value)
    tokenize(listing)
    session.flush()
    session.expire(listing, ["locality", "field"])  # loaded before the change, they would show the old codes


def tokenize(listing: Listing) -> None:
    """Segment the listing's text again (the token cache that search and matching read)."""
    listing.store_tokens(tokenize_fields(listing.title, listing.keywords or [], listing.description),
                         pipeline_version())


def require_can_post(actor: Actor | None) -> None:
    """Listings are posted by members of an organization (brokers and staff have none): else 403."""
    if not isinstance(actor, User) or actor.organization_id is None or not actor.is_active:
        raise PermissionDenied(N_("Tài khoản của bạn chưa thuộc tổ chức nào nên chưa đăng tin được."))


def editable_listing(session: Session, actor: Actor, listing_id: int) -> Listing:
    """A listing the actor may change: 404 while it is hidden from the actor, 403 when visible but not theirs."""
    listing = visible_listing(session, actor, listing_id)
    require_owner_or_staff(actor, listing)
    return listing


def create_listing(session: Session, *, actor: User, data: Mapping[str, Any], submit: bool = False) -> Listing:
    """A new listing of the actor's organization (draft, or submitted for approval); ref O-<id> / N-<id>."""
    require_can_post(actor)
    kind, attrs = validated_attrs(session, data, ref="pending")
    # The ref needs the id, which the insert gives: a unique placeholder first, the real ref after flush.
    listing = Listing(source=WEB_SOURCE, ref=f"pending-{utcnow().timestamp()}", kind=kind,
                      organization_id=actor.organization_id, created_by_id=actor.id, **attrs)
    tokenize(listing)
    session.add(listing)
    session.flush()
    listing.ref = f"{REF_PREFIX[kind]}-{listing.id}"
    if submit:
        stamp_status(listing, ListingStatus.submitted)
    session.flush()
    record(session, actor, "create_listing", "listing", listing.id, ref=listing.ref, status=listing.status.value)
    return listing


def preview_listing(session: Session, *, actor: Actor | None, data: Mapping[str, Any],
                    listing: Listing | None = None) -> SimpleNamespace:
    """What a save would publish, validated like one and written nowhere: a listing-shaped object for the
    pages (with the id of the listing being edited, so it is not its own near duplicate)."""
    kind, attrs = validated_attrs(session, {**data, "kind": listing.kind.value if listing else data.get("kind")},
                                  ref="preview")
    organization_id = listing.organization_id if listing else getattr(actor, "organization_id", None)
    return SimpleNamespace(
        **attrs, id=listing.id if listing else None, kind=kind, ref=listing.ref if listing else None,
        status=listing.status if listing else ListingStatus.draft, published_at=None,
        locality=session.get(Locality, attrs["locality_code"]) if attrs["locality_code"] else None,
        field=session.get(Field, attrs["field_code"]) if attrs["field_code"] else None,
        organization=session.get(Organization, organization_id) if organization_id else None)


def require_status(listing: Listing, allowed: set[ListingStatus], action: str) -> None:
    """Conflict (409) unless the listing is in one of the allowed statuses."""
    if listing.status not in allowed:
        raise Conflict(Msg(N_("Không thể %(action)s tin đang ở trạng thái “%(status)s”."),
                           action=Msg(action), status=Msg(STATUS_LABELS[listing.status])),
                       {"status": listing.status.value})


def submit_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """Send a draft (or a rejected listing, after edits) for review."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    require_status(listing, {ListingStatus.draft, ListingStatus.rejected}, N_("gửi duyệt"))
    stamp_status(listing, ListingStatus.submitted)
    listing.submitted_at = utcnow()
    session.flush()
    record(session, actor, "submit_listing", "listing", listing.id)
    return listing


def close_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """The owner or staff take a listing off the exchange: out of search and suggestions at once."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    require_status(listing, set(ListingStatus) - {ListingStatus.closed}, N_("đóng"))
    was_published = listing.status is ListingStatus.published
    listing.status = ListingStatus.closed
    if was_published:
        request_refresh(session, [listing.id])
    session.flush()
    record(session, actor, "close_listing", "listing", listing.id)
    return listing


def renew_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """Another year for a published (expiring) or expired listing, without a new review."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    require_status(listing, {ListingStatus.published, ListingStatus.expired}, N_("gia hạn"))
    was_expired = listing.status is ListingStatus.expired
    stamp_status(listing, ListingStatus.published)
    if was_expired:
        request_refresh(session, [listing.id])
    session.flush()
    record(session, actor, "renew_listing", "listing", listing.id, expires_at=listing.expires_at.isoformat())
    return listing
