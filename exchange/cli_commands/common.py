"""What every command needs: a session, the CLI actor, Vietnamese failure messages."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click
from sqlalchemy.orm import Session

from exchange.accounts.users import find_user
from exchange.audit import Actor, SystemActor
from exchange.errors import DomainError
from exchange.web.context import state

CLI_ACTOR = SystemActor("cli")


@contextmanager
def transaction() -> Iterator[Session]:
    """A session committed when the block ends normally, rolled back otherwise."""
    with state().session_factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_only() -> Iterator[Session]:
    """A session that is always rolled back (validation, reports)."""
    with state().session_factory() as session:
        try:
            yield session
        finally:
            session.rollback()


def resolve_actor(session: Session, email: str | None) -> Actor:
    """The user named by --as, or the CLI's system actor."""
    if not email:
        return CLI_ACTOR
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"Không có tài khoản {email}")
    return user


def fail(exc: DomainError) -> click.ClickException:
    """A ClickException carrying the domain error, its fields and its detail lines."""
    lines = [exc.message] + [f"  {name}: {why}" for name, why in exc.fields.items()]
    lines += [f"  {line}" for line in exc.details]
    return click.ClickException("\n".join(lines))
