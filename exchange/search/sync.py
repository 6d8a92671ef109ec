"""Keep the index in step with committed database changes (SQLAlchemy session events).

``after_flush`` records, in ``session.info["search_changes"]``, the document of
every published listing / public expert that changed (captured right then, so no
SQL is needed later) and the key of every one that was unpublished or deleted.
``after_commit`` applies them; a rollback drops them, so the index never shows a
document whose transaction did not commit. A failed index update is logged, never
raised: the commit already happened, and ``exchange search-check`` / ``reindex``
repair the index.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, inspect

from exchange.models import Expert, Listing
from exchange.search.backend import DocKey, SearchBackend, SearchDocument
from exchange.search.convert import (expert_document, is_expert_searchable, is_listing_searchable,
                                     listing_document)

logger = logging.getLogger(__name__)

SESSION_KEY = "search_changes"
EVENTS = ("after_flush", "after_commit", "after_rollback", "after_soft_rollback")


def _was_searchable(row: Any, attribute: str, searchable_value: Any) -> bool:
    """Whether the attribute held the searchable value before this flush."""
    history = inspect(row).attrs[attribute].history
    return any(getattr(old, "value", old) == searchable_value for old in history.deleted or ())


def row_change(row: Any) -> tuple[DocKey, SearchDocument | None] | None:
    """(key, document to index) or (key, None) to delete, for a new or changed row; None if irrelevant."""
    if isinstance(row, Listing):
        if is_listing_searchable(row):
            return ("listing", row.id), listing_document(row)
        return (("listing", row.id), None) if _was_searchable(row, "status", "published") else None
    if isinstance(row, Expert):
        if is_expert_searchable(row):
            return ("expert", row.id), expert_document(row)
        return (("expert", row.id), None) if _was_searchable(row, "is_public", True) else None
    return None


def deleted_key(row: Any) -> DocKey | None:
    """The index key of a deleted listing or expert."""
    if isinstance(row, Listing):
        return ("listing", row.id)
    if isinstance(row, Expert):
        return ("expert", row.id)
    return None


class SearchSync:
    """Session event handlers bound to one backend; install on a sessionmaker or Session class."""

    def __init__(self, backend: SearchBackend):
        self.backend = backend

    def install(self, target: Any) -> None:
        """Listen to the session events of target."""
        for name in EVENTS:
            event.listen(target, name, getattr(self, name))

    def uninstall(self, target: Any) -> None:
        """Stop listening."""
        for name in EVENTS:
            event.remove(target, name, getattr(self, name))

    def after_flush(self, session, flush_context) -> None:
        """Record the index changes of this flush (last change of a key wins)."""
        changes: dict[DocKey, SearchDocument | None] = session.info.setdefault(SESSION_KEY, {})
        for row in list(session.new) + list(session.dirty):
            change = row_change(row)
            if change is not None:
                changes[change[0]] = change[1]
        for row in session.deleted:
            key = deleted_key(row)
            if key is not None:
                changes[key] = None

    def after_commit(self, session) -> None:
        """Apply the recorded changes to the index (no SQL here)."""
        changes = session.info.pop(SESSION_KEY, None)
        if changes:
            self.apply(changes)

    def apply(self, changes: dict[DocKey, SearchDocument | None]) -> None:
        """Delete and index; failures are logged for search-check / reindex to repair."""
        deletes = [key for key, doc in changes.items() if doc is None]
        docs = [doc for doc in changes.values() if doc is not None]
        try:
            if deletes:
                self.backend.delete(deletes)
            if docs:
                self.backend.index(docs)
        except Exception:  # the commit is done; the index is repaired by search-check/reindex
            logger.exception("search index update failed for %d documents; run exchange reindex", len(changes))
            return
        logger.info("search index: %d indexed, %d removed", len(docs), len(deletes))

    def after_rollback(self, session) -> None:
        """Forget changes of a rolled-back transaction."""
        session.info.pop(SESSION_KEY, None)

    def after_soft_rollback(self, session, previous_transaction) -> None:
        """Forget changes on any rollback, savepoints included: a missing document is
        repaired by search-check, a ghost one would be shown to visitors."""
        session.info.pop(SESSION_KEY, None)
