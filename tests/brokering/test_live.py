"""The live model file: refitted after publications, reloaded by other processes, suggestions refreshed."""
from __future__ import annotations

import os

from sqlalchemy import select

from exchange.brokering.live import after_listing_changes, rebuild_suggestions
from exchange.brokering.model_store import ModelStore
from exchange.models import ListingKind, Match
from exchange.text import pipeline_version, tokenize_fields


def tokenized(make_listing, **values):
    listing = make_listing(**values)
    listing.store_tokens(tokenize_fields(listing.title, [], listing.description), pipeline_version())
    return listing


def test_publishing_an_offer_refits_the_model_file_and_suggests_it_to_the_need(db_session, make_listing, tmp_path):
    store = ModelStore.under(tmp_path)
    need = tokenized(make_listing, kind=ListingKind.need, title="Cần lò đốt trấu để sấy lúa",
                     description="Sấy lúa sau thu hoạch bằng nhiệt trấu.")
    rebuild_suggestions(db_session, store, top_k=5)
    assert store.path.exists()
    offer = tokenized(make_listing, title="Lò đốt trấu cấp nhiệt cho máy sấy lúa", description="Đốt trấu sạch.")
    report = after_listing_changes(db_session, store, [offer.id], top_k=5)
    assert report.needs == 1
    assert db_session.scalar(select(Match.offer_id).where(Match.need_id == need.id)) == offer.id
    assert f"L{offer.id}" in {d.key for d in store.current().docs}


def test_another_process_sees_a_newer_model_file(db_session, make_listing, tmp_path):
    writer, reader = ModelStore.under(tmp_path), ModelStore.under(tmp_path)
    tokenized(make_listing, title="Máy sấy", description="Sấy nông sản.")
    rebuild_suggestions(db_session, writer, top_k=5)
    first = reader.current()
    tokenized(make_listing, title="Máy ép viên", description="Ép viên mùn cưa.")
    rebuild_suggestions(db_session, writer, top_k=5)
    stat = os.stat(writer.path)
    os.utime(writer.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # coarse clocks: force a new mtime
    assert len(reader.current().docs) == len(first.docs) + 1


def test_a_missing_or_corrupt_model_file_gives_none_not_a_crash(tmp_path):
    store = ModelStore.under(tmp_path)
    assert store.current() is None
    store.folder.mkdir(parents=True)
    store.path.write_bytes(b"not gzip")
    assert store.current() is None
