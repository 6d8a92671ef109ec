"""What follows a publication, an edit or a closing: refit the live model and refresh suggestions.

With a threshold, the owners of listings that got new suggestions scoring at least that
much are notified (one notification per listing per refresh).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy.orm import Session

from exchange.brokering.model_store import ModelStore, refit
from exchange.brokering.notices import notify_new_suggestions
from exchange.brokering.suggestions import RefreshReport, refresh_all, refresh_for_listing
from exchange.db import utcnow
from exchange.matching import MatchModel
from exchange.models import Listing


def after_listing_changes(session: Session, store: ModelStore, listing_ids: Iterable[int], top_k: int,
                          threshold: float | None = None) -> RefreshReport:
    """Refit on the committed state, then recompute the suggestions of each listing in both directions."""
    return refresh_listings(session, refit(session, store), listing_ids, top_k, threshold)


def refresh_listings(session: Session, model: MatchModel, listing_ids: Iterable[int], top_k: int,
                     threshold: float | None = None) -> RefreshReport:
    """Recompute, with a fitted model, the suggestions of each listing in both directions."""
    started = utcnow()
    reports = [refresh_for_listing(session, model, listing, top_k)
               for listing in (session.get(Listing, i) for i in listing_ids) if listing is not None]
    if threshold is not None:
        notify_new_suggestions(session, since=started, threshold=threshold)
    return RefreshReport(sum(r.needs for r in reports), sum(r.matches for r in reports),
                         sum(r.experts for r in reports))


def rebuild_suggestions(session: Session, store: ModelStore, top_k: int,
                        threshold: float | None = None) -> RefreshReport:
    """Refit and rank every published need again (exchange reindex, demo, import --publish)."""
    started = utcnow()
    report = refresh_all(session, refit(session, store), top_k)
    if threshold is not None:
        notify_new_suggestions(session, since=started, threshold=threshold)
    return report
