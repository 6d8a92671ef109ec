"""Listings expire a year after publication: warned 14 days before, expired when the day comes.

The worker runs `expire_listings` every hour; `exchange expire-listings` runs it by hand.
Running it twice changes nothing the second time (each warning is sent once per expiry date).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import Actor, SystemActor, record
from exchange.brokering.pending import request_refresh
from exchange.db import utcnow
from exchange.listings.notices import notify_owners
from exchange.models import Listing, ListingStatus, NotificationKind

WARNING = timedelta(days=14)
EXPIRY_ACTOR = SystemActor("hết hạn tự động")


@dataclass(frozen=True)
class ExpiryReport:
    """What one run did."""

    warned: int
    expired: int


def expire_listings(session: Session, *, actor: Actor, now: datetime | None = None,
                    timezone: str = "Asia/Ho_Chi_Minh") -> ExpiryReport:
    """Expire published listings past their date (out of search and suggestions); warn those within 14 days."""
    now = now or utcnow()
    due = list(session.scalars(select(Listing).where(Listing.status == ListingStatus.published,
                                                     Listing.expires_at <= now)))
    for listing in due:
        listing.status = ListingStatus.expired
        notify_owners(session, listing, NotificationKind.listing_expired)
    if due:
        request_refresh(session, [listing.id for listing in due])
    soon = list(session.scalars(select(Listing).where(Listing.status == ListingStatus.published,
                                                      Listing.expires_at <= now + WARNING,
                                                      Listing.expiry_warned_at.is_(None))))
    zone = ZoneInfo(timezone)
    for listing in soon:
        listing.expiry_warned_at = now
        notify_owners(session, listing, NotificationKind.listing_expiring,
                      date=listing.expires_at.astimezone(zone).strftime("%d/%m/%Y"))
    session.flush()
    if due or soon:
        record(session, actor, "expire_listings", "listing", None, expired=[l.id for l in due],
               warned=[l.id for l in soon])
    return ExpiryReport(warned=len(soon), expired=len(due))
