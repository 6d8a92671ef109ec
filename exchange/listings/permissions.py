"""Who may do what with a listing; checked in services, never in templates alone."""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from exchange.accounts.permissions import is_staff
from exchange.audit import Actor
from exchange.errors import PermissionDenied
from exchange.i18n import N_
from exchange.models import (
    ContactRequest,
    ContactStatus,
    Listing,
    ListingStatus,
    Role,
    User,
)

__all__ = ["can_read_private", "can_view", "is_accepted_counterpart", "is_staff", "owns", "require_owner_or_staff",
           "require_staff"]
# A contact the owner accepted, and every later step of it (the negotiation issue moves it on).
ACCEPTED_CONTACT = (ContactStatus.accepted, ContactStatus.negotiating, ContactStatus.agreement)


def owns(actor: Actor, listing: Listing) -> bool:
    """The actor is a member of the listing's organization."""
    return (isinstance(actor, User) and actor.is_active and actor.organization_id is not None
            and actor.organization_id == listing.organization_id)


def can_view(actor: Actor | None, listing: Listing) -> bool:
    """Published listings are public; others only to their organization, brokers and staff."""
    if listing.status is ListingStatus.published:
        return True
    if actor is None:
        return False
    return is_staff(actor) or owns(actor, listing) or (isinstance(actor, User) and actor.role is Role.broker)


def can_read_private(actor: Actor | None, listing: Listing) -> bool:
    """Contact and confidential fields, the NDA text and the reviewer's note: the owner and staff only."""
    return actor is not None and (is_staff(actor) or owns(actor, listing))


def require_owner_or_staff(actor: Actor, listing: Listing) -> None:
    """Raise PermissionDenied unless the actor owns the listing or is staff."""
    if not (is_staff(actor) or owns(actor, listing)):
        raise PermissionDenied(N_("Chỉ tổ chức đăng tin hoặc cán bộ Sở mới được sửa tin này."))


def require_staff(actor: Actor) -> None:
    """Raise PermissionDenied unless the actor is staff."""
    if not is_staff(actor):
        raise PermissionDenied(N_("Chỉ cán bộ Sở mới được duyệt tin."))


def is_accepted_counterpart(session: Session, actor: Actor, listing: Listing) -> bool:
    """The actor's organization asked to contact the listing's and the owner accepted."""
    if not (isinstance(actor, User) and actor.is_active and actor.organization_id is not None):
        return False
    return bool(session.scalar(select(exists().where(
        ContactRequest.listing_id == listing.id, ContactRequest.requester_organization_id == actor.organization_id,
        ContactRequest.status.in_(ACCEPTED_CONTACT)))))
