"""Keeping token caches current: only rows segmented by an older pipeline are segmented again."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from exchange.experts.services import expert_text
from exchange.models import Expert, Listing
from exchange.text import pipeline_version, tokenize_many

log = logging.getLogger(__name__)


def _stale(model: type, version: str):  # type: ignore[no-untyped-def]
    return select(model).where(or_(model.tokens_version.is_(None), model.tokens_version != version))


def refresh_stale_tokens(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Segment again every listing and expert whose cached tokens come from another pipeline version."""
    version = pipeline_version()
    listings = list(session.scalars(_stale(Listing, version)))
    experts = list(session.scalars(_stale(Expert, version)))
    items = [(l.title, l.keywords or [], l.description) for l in listings]
    items += [expert_text({"specialties": e.specialties, "bio": e.bio}) for e in experts]
    for row, tokens in zip([*listings, *experts], tokenize_many(items, progress=progress)):
        row.store_tokens(tokens, version)
    session.flush()
    if items:
        log.info("re-segmented %d listings and %d experts for pipeline %s", len(listings), len(experts), version)
    return len(items)


def count_stale_tokens(session: Session) -> int:
    """How many listings and experts would be segmented again."""
    version = pipeline_version()
    return sum(session.scalar(select(func.count()).select_from(_stale(model, version).subquery())) or 0
               for model in (Listing, Expert))
