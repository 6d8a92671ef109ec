"""Alembic environment: runs on the connection that `exchange init-db` hands over."""
from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import types

import exchange.models  # noqa: F401  (registers every table on Base.metadata)
from exchange.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our TypeDecorators as their plain implementation so migrations import nothing of ours."""
    if type_ == "type" and isinstance(obj, types.TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations(connection: Any) -> None:
    """Configure the context on a live connection and upgrade."""
    context.configure(connection=connection, target_metadata=target_metadata, render_item=render_item,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        run_migrations(conn)
