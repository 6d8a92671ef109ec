"""Stored suggestions follow the engine, but a broker's decision and manual pairs are never touched."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.brokering.documents import expert_key, key_id, listing_doc, listing_key, published_documents
from exchange.brokering.suggestions import refresh_all, refresh_for_listing, store_need_suggestions
from exchange.matching import Suggestion, fit
from exchange.models import (Expert, ExpertSuggestion, ListingKind, ListingStatus, Match, MatchSource,
                             MatchStatus)
from exchange.text import pipeline_version, tokenize_fields


def tokenized(make_listing, **values):
    listing = make_listing(**values)
    listing.store_tokens(tokenize_fields(listing.title, listing.keywords or [], listing.description),
                         pipeline_version())
    return listing


@pytest.fixture
def corpus(db_session, make_listing):
    need = tokenized(make_listing, kind=ListingKind.need, title="Cần máy sấy chuối tiết kiệm điện",
                     description="Sấy chuối bằng củi tốn công.")
    dryer = tokenized(make_listing, title="Hệ thống sấy bơm nhiệt cho chuối và xoài",
                      description="Sấy lạnh bơm nhiệt tiết kiệm điện.")
    cashew = tokenized(make_listing, title="Máy bóc vỏ hạt điều", description="Bóc vỏ điều tự động.")
    expert = Expert(full_name="TS. Lê Văn Sấy", specialties=["kỹ thuật sấy nông sản"], bio="Sấy bơm nhiệt.")
    expert.store_tokens(tokenize_fields("kỹ thuật sấy nông sản", [], "Sấy bơm nhiệt."), pipeline_version())
    db_session.add(expert)
    db_session.flush()
    return need, dryer, cashew, expert


def test_refresh_for_a_need_stores_offers_and_experts(db_session, corpus):
    need, dryer, _, expert = corpus
    model = fit(published_documents(db_session))
    refresh_for_listing(db_session, model, need, top_k=5)
    matches = db_session.scalars(select(Match).where(Match.need_id == need.id).order_by(Match.score.desc())).all()
    assert matches[0].offer_id == dryer.id and matches[0].model_version == model.version
    assert matches[0].reasons
    assert db_session.scalar(select(ExpertSuggestion.expert_id).where(ExpertSuggestion.need_id == need.id)) == expert.id


def test_publishing_an_offer_refreshes_the_needs_it_answers(db_session, corpus, make_listing):
    need, *_ = corpus
    new_offer = tokenized(make_listing, title="Máy sấy chuối bơm nhiệt mini", description="Sấy chuối tiết kiệm điện.")
    model = fit(published_documents(db_session))
    report = refresh_for_listing(db_session, model, new_offer, top_k=5)
    assert report.needs == 1
    assert db_session.scalar(select(Match).where(Match.need_id == need.id, Match.offer_id == new_offer.id))


def test_decided_and_manual_rows_are_never_overwritten_or_removed(db_session, corpus):
    need, dryer, cashew, _ = corpus
    confirmed = Match(need_id=need.id, offer_id=dryer.id, score=0.9, status=MatchStatus.confirmed, note="ok")
    manual = Match(need_id=need.id, offer_id=cashew.id, score=0.1, source=MatchSource.manual)
    db_session.add_all([confirmed, manual])
    db_session.flush()
    store_need_suggestions(db_session, need, [], "v2")
    store_need_suggestions(db_session, need, [Suggestion(listing_key(dryer.id), 0.2, ("x",))], "v3")
    db_session.flush()
    assert (confirmed.score, confirmed.status, confirmed.model_version) == (0.9, MatchStatus.confirmed, None)
    assert manual in db_session.scalars(select(Match)).all()


def test_undecided_automatic_rows_not_ranked_any_more_are_removed(db_session, corpus):
    need, dryer, cashew, _ = corpus
    store_need_suggestions(db_session, need, [Suggestion(listing_key(cashew.id), 0.3, ())], "v1")
    db_session.flush()
    store_need_suggestions(db_session, need, [Suggestion(listing_key(dryer.id), 0.6, ())], "v2")
    db_session.flush()
    assert [m.offer_id for m in db_session.scalars(select(Match).where(Match.need_id == need.id))] == [dryer.id]


def test_a_closed_listing_loses_its_undecided_suggestions(db_session, corpus):
    need, dryer, _, _ = corpus
    model = fit(published_documents(db_session))
    refresh_for_listing(db_session, model, need, top_k=5)
    need.status = ListingStatus.closed
    refresh_for_listing(db_session, model, need, top_k=5)
    assert db_session.scalars(select(Match).where(Match.need_id == need.id)).all() == []


def test_experts_are_keyed_apart_from_listings():
    assert listing_key(7) != expert_key(7)


def test_refresh_all_in_batches_stores_what_single_ranking_gives(db_session, corpus):
    need, *_ = corpus
    model = fit(published_documents(db_session))
    report = refresh_all(db_session, model, top_k=5)
    stored = {m.offer_id: m.score for m in db_session.scalars(select(Match).where(Match.need_id == need.id))}
    single = {key_id(s.key): s.score for s in model.rank(listing_doc(need), "offer", 5)}
    assert report.needs == 1 and stored == pytest.approx(single)
