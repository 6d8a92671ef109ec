"""Jobs asked for inside a transaction run only once it commits (never for a rolled-back one).

A service calls ``after_commit(session, "send_mail", mail_id)``; the request (or CLI
command) commits; the installed listener then enqueues each job. Tasks carry ids only.
What a job needs is already in the database, so a crash between the commit and the
enqueue loses nothing: the periodic sweeps find what is still pending.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
SESSION_KEY = "jobs_after_commit"


class Enqueuer(Protocol):
    """What the listener hands jobs to (the JobQueue)."""

    def enqueue(self, name: str, *args: Any) -> None:
        """Queue one job."""


def after_commit(session: Session, name: str, *args: Any) -> None:
    """Ask for a job to run once this session's transaction commits."""
    jobs: list[tuple[str, tuple[Any, ...]]] = session.info.setdefault(SESSION_KEY, [])
    if (name, args) not in jobs:
        jobs.append((name, args))


def pending_jobs(session: Session) -> list[tuple[str, tuple[Any, ...]]]:
    """The jobs this session will enqueue when it commits."""
    return list(session.info.get(SESSION_KEY, []))


class JobSync:
    """Session event handlers: enqueue on commit, forget on rollback."""

    def __init__(self, queue: Enqueuer):
        self.queue = queue

    def install(self, target: Any) -> None:
        """Listen to the session events of target (a sessionmaker or Session class)."""
        event.listen(target, "after_commit", self.after_commit)
        event.listen(target, "after_rollback", self.after_rollback)
        event.listen(target, "after_transaction_end", self.after_transaction_end)

    def after_commit(self, session: Session) -> None:
        """Enqueue what the committed transaction asked for (no SQL here)."""
        for name, args in session.info.pop(SESSION_KEY, []):
            try:
                self.queue.enqueue(name, *args)
            except Exception:  # the commit is done; the periodic sweep picks the work up
                log.exception("could not enqueue %s%r; the periodic sweep will retry", name, args)

    def after_rollback(self, session: Session) -> None:
        """Forget the jobs of a rolled-back transaction."""
        session.info.pop(SESSION_KEY, None)

    def after_transaction_end(self, session: Session, transaction: Any) -> None:
        """Forget what an outermost transaction that ended without a commit asked for (a close())."""
        if transaction.parent is None:
            session.info.pop(SESSION_KEY, None)
