"""The Alembic migrations build exactly the schema the models declare, and init-db is repeatable."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from exchange.db import Base, make_engine
from exchange.schema import current_revision, head_revision, upgrade_schema


def test_migrated_database_matches_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_database_is_at_the_head_revision(engine):
    assert current_revision(engine) == head_revision()


def test_upgrade_on_an_empty_sqlite_file_then_again_is_a_no_op(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert current_revision(engine) is None
    assert upgrade_schema(engine) == head_revision()
    assert upgrade_schema(engine) == head_revision()
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_a_commit_inside_db_session_is_still_rolled_back_after_the_test(engine):
    """The SAVEPOINT fixture must hold on SQLite too (pysqlite needs the BEGIN recipe)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from exchange.models import Plan

    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    session.add(Plan(year=2999, title="Kế hoạch thử"))
    session.commit()
    session.close()
    outer.rollback()
    connection.close()
    with Session(engine) as check:
        assert check.scalar(select(func.count()).select_from(Plan).where(Plan.year == 2999)) == 0
