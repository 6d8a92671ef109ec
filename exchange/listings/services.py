"""Listing services: create, edit, submit, approve (publish), reject, close."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from sqlalchemy.orm import Session

from exchange.audit import Actor, record
from exchange.db import utcnow
from exchange.errors import NotFound, PermissionDenied, ValidationError
from exchange.i18n import N_, Msg
from exchange.listings.lookups import listing_attrs, record_checks
from exchange.listings.permissions import is_staff, require_owner_or_staff, require_staff
from exchange.listings.records import RecordError, validate_record
from exchange.listings.status import stamp_status
from exchange.models import Listing, ListingKind, ListingStatus, User
from exchange.text import pipeline_version, tokenize_fields

log = logging.getLogger(__name__)
WEB_SOURCE = "web"
REF_PREFIX = {ListingKind.offer: "O", ListingKind.need: "N"}


def get_listing(session: Session, listing_id: int) -> Listing:
    """The listing with this id, or NotFound."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(Msg(N_("Không có tin số %(id)s."), id=listing_id))
    return listing


def _validated_attrs(session: Session, data: Mapping[str, Any], ref: str) -> tuple[ListingKind, dict[str, Any]]:
    try:
        rec = validate_record({**data, "ref": ref}, checks=record_checks(session))
    except RecordError as exc:
        raise ValidationError(N_("Tin chưa hợp lệ, vui lòng sửa các mục được đánh dấu."), exc.problems) from None
    return rec.kind, listing_attrs(rec)


def _tokenize(listing: Listing) -> None:
    listing.store_tokens(tokenize_fields(listing.title, listing.keywords or [], listing.description),
                         pipeline_version())


def create_listing(session: Session, *, actor: User, data: Mapping[str, Any], submit: bool = False) -> Listing:
    """A new listing of the actor's organization (draft, or submitted for approval); ref O-<id> / N-<id>."""
    if actor.organization_id is None and not is_staff(actor):
        raise PermissionDenied(N_("Tài khoản của bạn chưa thuộc tổ chức nào nên chưa đăng tin được."))
    kind, attrs = _validated_attrs(session, data, ref="pending")
    # The ref needs the id, which the insert gives: a unique placeholder first, the real ref after flush.
    listing = Listing(source=WEB_SOURCE, ref=f"pending-{utcnow().timestamp()}", kind=kind,
                      organization_id=actor.organization_id, created_by_id=actor.id, **attrs)
    _tokenize(listing)
    session.add(listing)
    session.flush()
    listing.ref = f"{REF_PREFIX[kind]}-{listing.id}"
    if submit:
        stamp_status(listing, ListingStatus.submitted)
    session.flush()
    record(session, actor, "create_listing", "listing", listing.id, ref=listing.ref, status=listing.status.value)
    return listing


def update_listing(session: Session, *, actor: Actor, listing_id: int, data: Mapping[str, Any]) -> Listing:
    """Edit a listing in place (its kind stays); text changes are segmented again."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    if listing.status is ListingStatus.published and not is_staff(actor):
        raise PermissionDenied(N_("Tin đã công bố: bản sửa phải được cán bộ Sở duyệt."))
    kind, attrs = _validated_attrs(session, {**data, "kind": listing.kind.value}, ref=listing.ref)
    for key, value in attrs.items():
        setattr(listing, key, value)
    _tokenize(listing)
    session.flush()
    record(session, actor, "update_listing", "listing", listing.id)
    return listing


def _move(session: Session, actor: Actor, listing: Listing, allowed: set[ListingStatus],
          target: ListingStatus, action: str, **detail: Any) -> Listing:
    if listing.status not in allowed:
        raise ValidationError(Msg(N_("Không thể chuyển tin từ trạng thái '%(old)s' sang '%(new)s'."),
                                  old=listing.status.value, new=target.value),
                              {"status": listing.status.value})
    stamp_status(listing, target)
    session.flush()
    record(session, actor, action, "listing", listing.id, status=target.value, **detail)
    return listing


def submit_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """Send a draft (or a rejected listing, after edits) for approval."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    return _move(session, actor, listing, {ListingStatus.draft, ListingStatus.rejected}, ListingStatus.submitted,
                 "submit_listing")


def approve_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """Staff publish a submitted listing; search and suggestions follow after commit."""
    require_staff(actor)
    listing = get_listing(session, listing_id)
    return _move(session, actor, listing, {ListingStatus.submitted, ListingStatus.draft}, ListingStatus.published,
                 "approve_listing")


def reject_listing(session: Session, *, actor: Actor, listing_id: int, reason: str) -> Listing:
    """Staff send a listing back with a reason."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(N_("Cần nêu lý do từ chối."), {"reason": N_("Bắt buộc.")})
    listing = get_listing(session, listing_id)
    return _move(session, actor, listing, {ListingStatus.submitted}, ListingStatus.rejected, "reject_listing",
                 reason=reason.strip())


def close_listing(session: Session, *, actor: Actor, listing_id: int) -> Listing:
    """The owner or staff take a listing off the exchange (it leaves the search index)."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    return _move(session, actor, listing, {ListingStatus.published, ListingStatus.submitted, ListingStatus.draft},
                 ListingStatus.closed, "close_listing")
