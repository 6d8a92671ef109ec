"""Listing status rules shared by import and the listing services."""
from __future__ import annotations

from datetime import timedelta

from exchange.db import utcnow
from exchange.i18n import N_
from exchange.models import Listing, ListingStatus

# A publication (approval, renewal, import --publish) lasts this long.
LIFETIME = timedelta(days=365)
STATUS_LABELS = {ListingStatus.draft: N_("Bản nháp"), ListingStatus.submitted: N_("Chờ duyệt"),
                 ListingStatus.published: N_("Đang công bố"), ListingStatus.rejected: N_("Bị từ chối"),
                 ListingStatus.closed: N_("Đã đóng"), ListingStatus.expired: N_("Hết hạn")}

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
    """Set a status and the timestamps that go with it.

    Publishing (approval, renewal, republication, import --publish) sets published_at and
    expires_at (a year later); first_published_at is set by the first publication only.
    """
    listing.status = status
    now = utcnow()
    if status is ListingStatus.submitted and listing.submitted_at is None:
        listing.submitted_at = now
    if status is ListingStatus.published:
        listing.submitted_at = listing.submitted_at or now
        listing.published_at = now
        listing.expires_at = now + LIFETIME
        listing.expiry_warned_at = None
        if listing.first_published_at is None:
            listing.first_published_at = now
