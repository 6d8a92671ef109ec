"""What visitors may see of a listing: published only, contact and confidential details never."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.errors import NotFound
from exchange.models import Listing, ListingStatus


def get_published_listing(session: Session, listing_id: int) -> Listing:
    """A published listing with organization, locality and field loaded; NotFound otherwise."""
    stmt = (select(Listing).where(Listing.id == listing_id, Listing.status == ListingStatus.published)
            .options(joinedload(Listing.organization), joinedload(Listing.locality), joinedload(Listing.field)))
    listing = session.scalar(stmt)
    if listing is None:
        raise NotFound(f"Không có tin số {listing_id} đang công bố.")
    return listing


def serialize_listing(listing: Listing) -> dict[str, Any]:
    """The public JSON of a listing (no contact fields, no confidential details)."""
    def value(member: Any) -> Any:
        return getattr(member, "value", member)

    return {
        "id": listing.id, "ref": listing.ref, "kind": listing.kind.value, "status": listing.status.value,
        "title": listing.title, "summary": listing.summary, "description": listing.description,
        "field": listing.field_code, "keywords": listing.keywords or [],
        "organization": listing.organization.name if listing.organization else None,
        "locality": listing.locality.name if listing.locality else None,
        "product_type": value(listing.product_type), "trl": listing.trl, "ip_status": value(listing.ip_status),
        "transfer_modes": listing.transfer_modes or [], "price_min_vnd": listing.price_min_vnd,
        "price_max_vnd": listing.price_max_vnd, "origin": listing.origin, "specifications": listing.specifications,
        "advantages": listing.advantages, "requires_nda": listing.requires_nda,
        "published_at": listing.published_at.isoformat() if listing.published_at else None,
    }
