"""Every migration runs forward over real data and back, on SQLite and on PostgreSQL."""
from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy import Engine, text

from exchange.db import make_engine
from exchange.schema import current_revision, head_revision, migrate
from tests.conftest import _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A database of its own, without any table."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'migrations.db'}"])
    else:
        urls = _postgres_database()
    engine = make_engine(next(urls))
    yield engine
    engine.dispose()
    next(urls, None)


def _seed_0001(engine: Engine) -> None:
    """Rows as the first schema held them: an organization, a member and a notification."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organization (name, type, created_at) "
                          "VALUES ('CÔNG TY  Quế Trà My', 'enterprise', CURRENT_TIMESTAMP)"))
        org_id = conn.execute(text("SELECT id FROM organization")).scalar_one()
        conn.execute(text("INSERT INTO user_account (email, password_hash, role, organization_id, is_active, "
                          "created_at) VALUES ('a@b.vn', 'x', 'enterprise', :org, :yes, CURRENT_TIMESTAMP)"),
                     {"org": org_id, "yes": True})


def test_accounts_migration_keeps_existing_rows_and_fills_the_new_columns(empty_engine):
    migrate(empty_engine, "0001")
    _seed_0001(empty_engine)
    migrate(empty_engine, "head")
    with empty_engine.connect() as conn:
        org = conn.execute(text("SELECT name, name_key, is_verified FROM organization")).one()
        user = conn.execute(text("SELECT email, session_version, totp_secret FROM user_account")).one()
    assert org.name == "CÔNG TY  Quế Trà My" and org.name_key == "công ty quế trà my" and org.is_verified
    assert tuple(user) == ("a@b.vn", 1, None)
    assert current_revision(empty_engine) == head_revision()


def test_every_migration_goes_down_to_the_first_schema_and_up_again(empty_engine):
    migrate(empty_engine, "head")
    migrate(empty_engine, "0001", down=True)
    assert current_revision(empty_engine) == "0001"
    _seed_0001(empty_engine)
    migrate(empty_engine, "head")
    assert current_revision(empty_engine) == head_revision()


def test_posting_migration_stamps_the_first_publication_and_makes_old_attachments_public(empty_engine):
    migrate(empty_engine, "0002")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO listing (source, ref, kind, status, title, description, keywords, "
                          "transfer_modes, requires_nda, created_at, updated_at, published_at) VALUES "
                          "('test', 'O-1', 'offer', 'published', 'Máy sấy bơm nhiệt', 'Sấy xoài, chuối.', '[]', "
                          "'[]', :no, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '2024-03-05 08:30:00')"),
                     {"no": False})
        conn.execute(text("INSERT INTO listing (source, ref, kind, status, title, description, keywords, "
                          "transfer_modes, requires_nda, created_at, updated_at) VALUES "
                          "('test', 'N-2', 'need', 'draft', 'Cần máy bóc vỏ hạt điều', 'Bóc vỏ hạt điều.', '[]', "
                          "'[]', :no, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"no": False})
        listing_id = conn.execute(text("SELECT id FROM listing WHERE ref = 'O-1'")).scalar_one()
        conn.execute(text("INSERT INTO attachment (listing_id, stored_name, original_name, mime_type, size, sha256, "
                          "created_at) VALUES (:id, 'ab/ab12.pdf', 'thong-so-may-say.pdf', 'application/pdf', 1024, "
                          ":sha, CURRENT_TIMESTAMP)"), {"id": listing_id, "sha": "0" * 64})
    migrate(empty_engine, "head")
    with empty_engine.connect() as conn:
        rows = {row.ref: row for row in conn.execute(text("SELECT ref, published_at, first_published_at FROM listing"))}
        visibility = conn.execute(text("SELECT visibility FROM attachment")).scalar_one()
    assert rows["O-1"].first_published_at == rows["O-1"].published_at and rows["O-1"].published_at is not None
    assert rows["N-2"].first_published_at is None
    assert visibility == "public"
