"""Through the app's session factory: the index follows commits, never rollbacks, and reindex keeps up."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.listings.moderation import approve_listing
from exchange.listings.services import close_listing, create_listing
from exchange.models import Listing, User

SYSTEM = SystemActor("test")
DATA = {"kind": "offer", "title": "Thiết bị khử trùng UV-C cho kho lạnh", "description": "Khử khuẩn bề mặt."}


@pytest.fixture
def member_id(factory):
    with factory.begin() as session:
        org = get_or_create_organization(session, actor=SYSTEM, name="Công ty UV")
        return create_user(session, actor=SYSTEM, email="uv@cty.vn", role="enterprise", password="mat-khau-dai-du",
                           organization=org).id


def found(client, q="khử trùng uv-c") -> list[str]:
    return [r["ref"] for r in client.get("/api/listings", query_string={"q": q}).get_json()["results"]]


def create_and_approve(factory, member_id) -> str:
    with factory.begin() as session:
        listing = create_listing(session, actor=session.get(User, member_id), data=DATA, submit=True)
        approve_listing(session, actor=SYSTEM, listing_id=listing.id)
        return listing.ref


def test_a_listing_appears_after_its_publication_commits(client, factory, member_id):
    ref = create_and_approve(factory, member_id)
    assert found(client) == [ref]


def test_a_rolled_back_publication_never_reaches_the_index(client, factory, member_id):
    with factory() as session:
        listing = create_listing(session, actor=session.get(User, member_id), data=DATA, submit=True)
        approve_listing(session, actor=SYSTEM, listing_id=listing.id)
        session.flush()
        session.rollback()
    assert found(client) == []


def test_closing_removes_it_from_the_index(client, factory, member_id):
    ref = create_and_approve(factory, member_id)
    with factory.begin() as session:
        listing_id = session.scalar(select(Listing.id).where(Listing.ref == ref))
        close_listing(session, actor=SYSTEM, listing_id=listing_id)
    assert found(client) == []


def test_search_check_is_clean_after_commits_and_reindex_restores_a_deleted_index(app, client, runner, factory,
                                                                                   member_id):
    ref = create_and_approve(factory, member_id)
    assert runner("search-check").exit_code == 0
    app.extensions["exchange"].search.close()
    shutil.rmtree(Path(app.extensions["exchange"].config.index_dir) / "search")
    assert runner("reindex").exit_code == 0
    assert found(client) == [ref]
