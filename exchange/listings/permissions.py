"""Who may do what with a listing; checked in services, never in templates alone."""
from __future__ import annotations

from exchange.audit import Actor, SystemActor
from exchange.errors import PermissionDenied
from exchange.models import Listing, ListingStatus, Role, User


def is_staff(actor: Actor) -> bool:
    """Staff of the Sở, or a system actor (CLI, jobs)."""
    return isinstance(actor, SystemActor) or (actor.role is Role.staff and actor.is_active)


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


def require_owner_or_staff(actor: Actor, listing: Listing) -> None:
    """Raise PermissionDenied unless the actor owns the listing or is staff."""
    if not (is_staff(actor) or owns(actor, listing)):
        raise PermissionDenied("Chỉ tổ chức đăng tin hoặc cán bộ Sở mới được sửa tin này.")


def require_staff(actor: Actor) -> None:
    """Raise PermissionDenied unless the actor is staff."""
    if not is_staff(actor):
        raise PermissionDenied("Chỉ cán bộ Sở mới được duyệt tin.")
