"""Reading suggestions for pages and the API: counterparts loaded, rejected pairs hidden."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.models import Expert, ExpertSuggestion, Listing, ListingKind, ListingStatus, Match, MatchStatus


@dataclass(frozen=True)
class SuggestedListing:
    """A stored suggestion seen from one listing: the listing on the other side, score, reasons, status."""

    match: Match
    other: Listing


def suggestions_for(session: Session, listing: Listing, limit: int = 10) -> list[SuggestedListing]:
    """Published counterparts suggested for a listing (need → offers, offer → needs), best first."""
    mine, other = ((Match.need_id, Match.offer) if listing.kind is ListingKind.need
                   else (Match.offer_id, Match.need))
    stmt = (select(Match).where(mine == listing.id, Match.status != MatchStatus.rejected)
            .options(joinedload(other).joinedload(Listing.organization), joinedload(other).joinedload(Listing.locality))
            .order_by(Match.score.desc(), Match.id).limit(limit * 2))
    rows = []
    for match in session.scalars(stmt).unique():
        counterpart = match.offer if listing.kind is ListingKind.need else match.need
        if counterpart.status is ListingStatus.published:
            rows.append(SuggestedListing(match, counterpart))
    return rows[:limit]


def experts_for(session: Session, need: Listing, limit: int = 5) -> list[ExpertSuggestion]:
    """Public experts suggested for a need, best first."""
    if need.kind is not ListingKind.need:
        return []
    stmt = (select(ExpertSuggestion).join(Expert).where(ExpertSuggestion.need_id == need.id,
                                                         Expert.is_public.is_(True))
            .options(joinedload(ExpertSuggestion.expert)).order_by(ExpertSuggestion.score.desc()).limit(limit))
    return list(session.scalars(stmt))
