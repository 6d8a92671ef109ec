"""The app's Runtime and the per-request database session (the request owns the transaction)."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from exchange.runtime import Runtime


def state() -> Runtime:
    """The runtime of the current app."""
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
