"""The index follows commits: session events, listing/expert documents, rebuild and search-check."""
from __future__ import annotations

import logging
from itertools import count

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from exchange.models import Expert, Listing, ListingKind, ListingStatus
from exchange.search import SearchQuery, open_backend
from exchange.search.convert import expert_document, listing_document
from exchange.search.reindex import check_index, rebuild_index
from exchange.search.sync import SESSION_KEY, SearchSync
from exchange.text import tokenize_fields


@pytest.fixture
def session(committed):
    """A session that really commits (the tables are wiped before and after the test)."""
    with Session(committed, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def synced(session, backend):
    """The session with search sync installed on it."""
    sync = SearchSync(backend)
    sync.install(session)
    yield session
    sync.uninstall(session)


@pytest.fixture
def tokenized(session):
    """Factory: a flushed published listing with its token cache filled."""
    refs = count(1)

    def make(**overrides):
        values = dict(source="test", ref=f"T-{next(refs)}", kind=ListingKind.offer,
                      status=ListingStatus.published, title="Máy sấy", description="Sấy nông sản.")
        listing = Listing(**{**values, **overrides})
        listing.store_tokens(tokenize_fields(listing.title, listing.keywords or [], listing.description), "test")
        session.add(listing)
        session.flush()
        return listing
    return make


def hits(backend, text: str, doc_type: str = "listing") -> list[int]:
    """Doc ids found for a query."""
    return [h.doc_id for h in backend.search(SearchQuery(text=text, doc_type=doc_type)).hits]


def test_published_listing_is_searchable_after_commit_only(synced, backend, tokenized):
    listing = tokenized(title="Máy sấy cà phê bằng bơm nhiệt")
    synced.flush()
    assert hits(backend, "sấy cà phê") == []
    synced.commit()
    assert hits(backend, "say ca phe") == [listing.id]


def test_rolled_back_listing_never_reaches_the_index(synced, backend, tokenized):
    tokenized(title="Máy sấy cà phê")
    synced.flush()
    synced.rollback()
    assert SESSION_KEY not in synced.info and backend.count() == 0


def test_draft_listing_is_not_indexed(synced, backend, tokenized):
    tokenized(title="Máy sấy cà phê", status=ListingStatus.draft)
    synced.commit()
    assert backend.count() == 0


def test_unpublished_listing_leaves_the_index(synced, backend, tokenized):
    listing = tokenized(title="Máy sấy cà phê")
    synced.commit()
    listing.status = ListingStatus.closed
    synced.commit()
    assert backend.count() == 0


def test_deleted_listing_leaves_the_index(synced, backend, tokenized):
    listing = tokenized(title="Máy sấy cà phê")
    synced.commit()
    synced.delete(listing)
    synced.commit()
    assert backend.count() == 0


def test_edited_listing_is_reindexed(synced, backend, tokenized):
    listing = tokenized(title="Máy xay cà phê")
    synced.commit()
    listing.title = "Máy rang cà phê"
    listing.store_tokens(tokenize_fields(listing.title, [], listing.description), "test")
    synced.commit()
    assert hits(backend, "rang") == [listing.id] and hits(backend, "xay") == []


def test_public_expert_is_indexed_and_hidden_one_removed(synced, backend):
    expert = Expert(full_name="Nguyễn Văn An", specialties=["Sấy nông sản"], bio="Chuyên gia sấy bơm nhiệt.")
    expert.store_tokens(tokenize_fields("Sấy nông sản", [], expert.bio), "test")
    synced.add(expert)
    synced.commit()
    assert hits(backend, "nguyen van an", "expert") == [expert.id] == hits(backend, "sấy", "expert")
    expert.is_public = False
    synced.commit()
    assert backend.count("expert") == 0


def test_after_commit_emits_no_sql(synced, backend, tokenized):
    tokenized(title="Máy sấy cà phê")
    synced.flush()
    statements = []
    connection = synced.connection()
    listener = lambda *args, **kwargs: statements.append(args[2])  # noqa: E731
    event.listen(connection.engine, "before_cursor_execute", listener)
    try:
        SearchSync(backend).after_commit(synced)
    finally:
        event.remove(connection.engine, "before_cursor_execute", listener)
    assert statements == [] and backend.count() == 1


def test_an_index_failure_is_logged_and_the_commit_stands(synced, base_dir, tokenized, caplog):
    import shutil
    shutil.rmtree(base_dir)
    listing = tokenized(title="Máy sấy cà phê")
    with caplog.at_level(logging.ERROR, logger="exchange.search.sync"):
        synced.commit()
    assert listing.id is not None and "reindex" in caplog.text


def test_listing_document_reads_the_row(tokenized):
    listing = tokenized(title="Máy sấy cà phê", trl=6, summary="Tóm tắt")
    doc = listing_document(listing)
    assert (doc.doc_type, doc.doc_id, doc.kind, doc.trl, doc.summary) == ("listing", listing.id, "offer", 6, "Tóm tắt")
    assert "cà_phê" in doc.tokens.title and doc.version


def test_version_changes_when_indexed_content_changes(tokenized):
    listing = tokenized(title="Máy sấy cà phê")
    before = listing_document(listing).version
    assert listing_document(listing).version == before
    listing.trl = 3
    assert listing_document(listing).version != before


def test_expert_document_has_the_name_in_the_title():
    expert = Expert(id=5, full_name="Trần Thị Hoà", title="TS.", specialties=["Thủy sản"], bio="", is_public=True)
    doc = expert_document(expert)
    assert doc.title == "TS. Trần Thị Hoà" and "hòa" in doc.tokens.title


def test_search_check_reports_missing_stale_and_extra(session, backend, tokenized):
    kept, changed, absent = (tokenized(title=t) for t in ("Máy gặt", "Máy cấy", "Máy xới"))
    backend.index([listing_document(kept), listing_document(changed)])
    backend.index([listing_document(kept).__class__(**{**listing_document(kept).__dict__, "doc_id": 99999})])
    changed.title = "Máy cấy lúa"
    report = check_index(session, backend)
    assert report.missing == [("listing", absent.id)] and report.stale == [("listing", changed.id)]
    assert report.extra == [("listing", 99999)] and not report.is_ok


def test_rebuild_from_the_database_passes_search_check(session, base_dir, tokenized):
    for title in ("Máy gặt", "Máy cấy", "Máy xới"):
        tokenized(title=title)
    tokenized(title="Bản nháp", status=ListingStatus.draft)
    rebuild_index(session, base_dir)
    backend = open_backend(base_dir)
    assert backend.count() == 3 and check_index(session, backend).is_ok
