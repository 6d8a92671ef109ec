"""Role checks of the account services (the listing rules live in exchange.listings.permissions)."""
from __future__ import annotations

from exchange.audit import Actor, SystemActor
from exchange.errors import PermissionDenied
from exchange.i18n import N_
from exchange.models import Role, User


def is_staff(actor: Actor | None) -> bool:
    """Staff of the Sở, or a system actor (CLI, jobs)."""
    return isinstance(actor, SystemActor) or (isinstance(actor, User) and actor.role is Role.staff and actor.is_active)


def require_staff(actor: Actor | None) -> None:
    """Raise PermissionDenied unless the actor is staff."""
    if not is_staff(actor):
        raise PermissionDenied(N_("Chỉ cán bộ Sở mới được làm việc này."))
