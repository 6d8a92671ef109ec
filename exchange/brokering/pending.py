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
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from exchange.brokering.live import refresh_listings
from exchange.brokering.model_store import ModelStore, refit
from exchange.brokering.suggestions import RefreshReport
from exchange.db import READ_ONLY, utcnow
from exchange.jobs.hooks import after_commit
from exchange.models import SuggestionRefresh

log = logging.getLogger(__name__)
TASK = "refresh_suggestions"


def request_refresh(session: Session, listing_ids: Iterable[int]) -> None:
    """Record that these listings' suggestions must be recomputed; the worker is woken after the commit.

    An upsert, not read-then-write: a run deleting the row it served at the same moment cannot make
    this request fail or vanish (the row is simply written again).
    """
    ids = sorted(set(listing_ids))
    if not ids:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    stmt = insert(SuggestionRefresh).values([{"listing_id": i, "requested_at": now} for i in ids])
    session.execute(stmt.on_conflict_do_update(index_elements=["listing_id"], set_={"requested_at": now}))
    after_commit(session, TASK)


def is_refresh_pending(session: Session, listing_id: int) -> bool:
    """Whether the suggestions of this listing are still being recomputed."""
    return session.get(SuggestionRefresh, listing_id) is not None


def run_pending_refreshes(factory: sessionmaker[Session], store: ModelStore, top_k: int,
                          threshold: float | None) -> RefreshReport:
    """Serve every waiting refresh in one refit; rows requested again meanwhile stay for the next run.

    The refit (seconds at 10,000 listings) only reads, in a transaction of its own. The writing
    transaction starts by deleting the rows it serves, so it holds the write lock from its first
    statement: on SQLite a transaction that read first and wrote later is refused outright whenever
    someone else wrote in between (a page saving a notification was enough).
    """
    with factory() as session:
        session.connection(execution_options={READ_ONLY: True})  # reads only: it need not hold the write lock
        waiting = {row.listing_id: row.requested_at for row in session.scalars(select(SuggestionRefresh))}
        if not waiting:
            return RefreshReport(0, 0, 0)
        model = refit(session, store)
    with factory.begin() as session:
        for listing_id, requested_at in waiting.items():
            session.execute(delete(SuggestionRefresh).where(SuggestionRefresh.listing_id == listing_id,
                                                            SuggestionRefresh.requested_at <= requested_at))
        report = refresh_listings(session, model, sorted(waiting), top_k, threshold)
    log.info("suggestions refreshed for %d listings: %d matches", len(waiting), report.matches)
    return report
