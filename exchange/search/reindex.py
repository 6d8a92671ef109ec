"""Database-wide operations: every searchable document, full rebuild, and search-check."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.models import Expert, Listing
from exchange.models.enums import ListingStatus
from exchange.search.backend import DOC_TYPES, DocKey, SearchBackend, SearchDocument
from exchange.search.convert import expert_document, listing_document
from exchange.search.rebuild import rebuild

logger = logging.getLogger(__name__)

BATCH = 500


def searchable_documents(session: Session) -> Iterator[SearchDocument]:
    """Documents of every published listing and public expert, streamed in batches."""
    listings = (select(Listing).where(Listing.status == ListingStatus.published)
                .options(selectinload(Listing.organization)).order_by(Listing.id)
                .execution_options(yield_per=BATCH))
    for listing in session.scalars(listings):
        yield listing_document(listing)
    experts = (select(Expert).where(Expert.is_public.is_(True)).order_by(Expert.id)
               .execution_options(yield_per=BATCH))
    for expert in session.scalars(experts):
        yield expert_document(expert)


def rebuild_index(session: Session, base_dir: Path | str, progress: Callable[[int], None] | None = None) -> str:
    """Rebuild the index under base_dir from the database; returns the new generation."""
    return rebuild(base_dir, searchable_documents(session), progress=progress)


@dataclass(frozen=True)
class IndexCheck:
    """Differences between the database and the index, as (doc_type, doc_id) keys."""

    missing: list[DocKey] = field(default_factory=list)
    stale: list[DocKey] = field(default_factory=list)
    extra: list[DocKey] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        """Nothing missing, stale or extra."""
        return not (self.missing or self.stale or self.extra)


def check_index(session: Session, backend: SearchBackend) -> IndexCheck:
    """Compare each searchable row's version with the indexed one (search-check)."""
    expected = {doc.key: doc.version for doc in searchable_documents(session)}
    indexed = {(doc_type, doc_id): version for doc_type in DOC_TYPES
               for doc_id, version in backend.versions(doc_type).items()}
    return IndexCheck(
        missing=sorted(key for key in expected if key not in indexed),
        stale=sorted(key for key, version in expected.items() if key in indexed and indexed[key] != version),
        extra=sorted(key for key in indexed if key not in expected),
    )
