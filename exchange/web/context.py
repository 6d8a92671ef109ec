"""Per-app state and the per-request database session (the request owns the transaction)."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from exchange.brokering.model_store import ModelStore
from exchange.config import Config
from exchange.search import SearchBackend, SearchDocument, SearchUnavailable, open_backend
from exchange.search.backend import DocKey


@dataclass
class SearchHolder:
    """Opens the search backend on first use, once per process, and keeps it."""

    folder: str
    _backend: SearchBackend | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> SearchBackend:
        """The backend; SearchUnavailable when the index folder cannot be opened."""
        with self._lock:
            if self._backend is None:
                try:
                    self._backend = open_backend(self.folder)
                except OSError as exc:
                    raise SearchUnavailable(str(exc)) from exc
            return self._backend

    def index(self, docs: Iterable[SearchDocument]) -> None:
        """Index documents in the live backend (used by the commit-following sync)."""
        self.get().index(docs)

    def delete(self, keys: Iterable[DocKey]) -> None:
        """Remove documents from the live backend."""
        self.get().delete(keys)

    def close(self) -> None:
        """Release the index files."""
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None


@dataclass(frozen=True)
class ExchangeState:
    """What the app keeps for its lifetime: configuration, engine, sessions, search and the matching model."""

    config: Config
    engine: Engine
    session_factory: sessionmaker[Session]
    search: SearchHolder
    models: ModelStore


def state() -> ExchangeState:
    """The exchange state of the current app."""
    return current_app.extensions["exchange"]


def db_session() -> Session:
    """The request's session, opened on first use; views commit, teardown rolls back what was not."""
    if "db_session" not in g:
        g.db_session = state().session_factory()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Roll back anything uncommitted and close the request's session."""
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
