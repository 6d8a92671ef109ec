"""Suggestion refreshes that wait for the worker, kept in the database.

A service that publishes, edits, closes or expires a listing calls `request_refresh` inside
its own transaction: a `SuggestionRefresh` row per listing commits (or rolls back) with the
change, and the worker is woken once the commit is done. The worker runs every waiting
refresh and removes only the rows it has served, so a request made while it ran stays,
and a crash anywhere (before the enqueue, inside the job) leaves the rows for the next run
(the worker also sweeps them every minute).
"""
from __future__ import annotations

import logging
from typing import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from exchange.brokering.live import after_listing_changes
from exchange.brokering.model_store import ModelStore
from exchange.brokering.suggestions import RefreshReport
from exchange.db import utcnow
from exchange.jobs.hooks import after_commit
from exchange.models import SuggestionRefresh

log = logging.getLogger(__name__)
TASK = "refresh_suggestions"


def request_refresh(session: Session, listing_ids: Iterable[int]) -> None:
    """Record that these listings' suggestions must be recomputed; the worker is woken after the commit."""
    now = utcnow()
    for listing_id in set(listing_ids):
        row = session.get(SuggestionRefresh, listing_id)
        if row is None:
            session.add(SuggestionRefresh(listing_id=listing_id, requested_at=now))
        else:
            row.requested_at = now
    after_commit(session, TASK)


def is_refresh_pending(session: Session, listing_id: int) -> bool:
    """Whether the suggestions of this listing are still being recomputed."""
    return session.get(SuggestionRefresh, listing_id) is not None


def run_pending_refreshes(factory: sessionmaker[Session], store: ModelStore, top_k: int,
                          threshold: float | None) -> RefreshReport:
    """Serve every waiting refresh in one refit; rows requested again meanwhile stay for the next run."""
    with factory() as session:
        waiting = {row.listing_id: row.requested_at for row in session.scalars(select(SuggestionRefresh))}
    if not waiting:
        return RefreshReport(0, 0, 0)
    with factory.begin() as session:
        report = after_listing_changes(session, store, sorted(waiting), top_k, threshold)
        for listing_id, requested_at in waiting.items():
            session.execute(delete(SuggestionRefresh).where(SuggestionRefresh.listing_id == listing_id,
                                                            SuggestionRefresh.requested_at <= requested_at))
    log.info("suggestions refreshed for %d listings: %d matches", len(waiting), report.matches)
    return report
