"""What one process of the exchange keeps for its lifetime: configuration, database, search, model, queue, mail.

The web app, the CLI and the worker all build the same Runtime, so a task runs against
exactly what a request would see.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from exchange.brokering.model_store import ModelStore
from exchange.config import Config
from exchange.db import make_engine, make_session_factory
from exchange.jobs.hooks import JobSync
from exchange.jobs.queue import JobQueue, make_huey
from exchange.jobs.tasks import register_tasks
from exchange.notifications.delivery import Mailer
from exchange.notifications.mail import MailSettings, backend_for
from exchange.search import SearchBackend, SearchDocument, SearchUnavailable, open_backend
from exchange.search.backend import DocKey
from exchange.search.sync import SearchSync


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
class Runtime:
    """Configuration, engine, sessions, search, the matching model, the task queue and the mailer."""

    config: Config
    engine: Engine
    session_factory: sessionmaker[Session]
    search: SearchHolder
    models: ModelStore
    queue: JobQueue
    mailer: Mailer

    def close(self) -> None:
        """Release the index files and database connections."""
        self.search.close()
        self.engine.dispose()


def build_runtime(config: Config) -> Runtime:
    """Wire everything of one process; sessions follow commits into the index and the queue."""
    engine = make_engine(config.database_url)
    factory = make_session_factory(engine)
    search = SearchHolder(str(config.index_dir / "search"))
    queue = JobQueue(make_huey(config.queue_url, config.instance_dir))
    # Committed changes to published listings and public experts reach the index; rollbacks never do.
    SearchSync(search).install(factory)  # type: ignore[arg-type]
    # Jobs asked for inside a transaction are queued once it commits.
    JobSync(queue).install(factory)
    mailer = Mailer(factory=factory, backend=backend_for(config.smtp_url, config.mail_dir),
                    settings=MailSettings(base_url=config.base_url, sender=config.mail_from,
                                          timezone=config.timezone))
    runtime = Runtime(config=config, engine=engine, session_factory=factory, search=search,
                      models=ModelStore.under(config.index_dir), queue=queue, mailer=mailer)
    register_tasks(runtime)
    return runtime
