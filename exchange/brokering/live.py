"""What follows a publication, an edit or a closing: refit the live model and refresh suggestions."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy.orm import Session

from exchange.brokering.model_store import ModelStore, refit
from exchange.brokering.suggestions import RefreshReport, refresh_all, refresh_for_listing
from exchange.models import Listing


def after_listing_changes(session: Session, store: ModelStore, listing_ids: Iterable[int], top_k: int
                          ) -> RefreshReport:
    """Refit on the committed state, then recompute the suggestions of each listing in both directions."""
    model = refit(session, store)
    reports = [refresh_for_listing(session, model, listing, top_k)
               for listing in (session.get(Listing, i) for i in listing_ids) if listing is not None]
    return RefreshReport(sum(r.needs for r in reports), sum(r.matches for r in reports),
                         sum(r.experts for r in reports))


def rebuild_suggestions(session: Session, store: ModelStore, top_k: int) -> RefreshReport:
    """Refit and rank every published need again (exchange reindex, demo, import --publish)."""
    return refresh_all(session, refit(session, store), top_k)
