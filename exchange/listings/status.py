"""Listing status rules shared by import and the listing services."""
from __future__ import annotations

from exchange.db import utcnow
from exchange.models import Listing, ListingStatus

# Import and resubmission may only move a listing forward along this path.
_FORWARD = (ListingStatus.draft, ListingStatus.submitted, ListingStatus.published)


def status_after_import(current: ListingStatus | None, publish: bool) -> ListingStatus:
    """The status an imported listing ends in: never lower than the one it has."""
    wanted = ListingStatus.published if publish else ListingStatus.submitted
    if current is None:
        return wanted
    if current not in _FORWARD:
        return current
    return max(current, wanted, key=_FORWARD.index)


def stamp_status(listing: Listing, status: ListingStatus) -> None:
    """Set a status and the timestamp that goes with it."""
    listing.status = status
    now = utcnow()
    if status is ListingStatus.submitted and listing.submitted_at is None:
        listing.submitted_at = now
    if status is ListingStatus.published:
        listing.submitted_at = listing.submitted_at or now
        listing.published_at = now
