"""What visitors may see of a listing: published only, contact and confidential details never."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.errors import NotFound
from exchange.i18n import N_, Msg
from exchange.models import Listing, ListingStatus


def get_published_listing(session: Session, listing_id: int) -> Listing:
    """A published listing with organization, locality and field loaded; NotFound otherwise."""
    stmt = (select(Listing).where(Listing.id == listing_id, Listing.status == ListingStatus.published)
            .options(joinedload(Listing.organization), joinedload(Listing.locality), joinedload(Listing.field)))
    listing = session.scalar(stmt)
    if listing is None:
        raise NotFound(Msg(N_("Không có tin số %(id)s đang công bố."), id=listing_id))
    return listing
