"""Suggestion refreshes wait in the database: written with the change, served after the commit, never lost.

Through the app's session factory: commits run the queued "refresh_suggestions" job at once
(QUEUE_URL=immediate), unless a test holds the queue to look at the waiting rows first.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

import exchange.brokering.pending as pending
from exchange.brokering.pending import request_refresh, run_pending_refreshes
from exchange.brokering.queries import suggestions_for
from exchange.db import utcnow
from exchange.listings.moderation import approve_listing
from exchange.listings.services import close_listing, create_listing
from exchange.models import (
    Listing,
    ListingStatus,
    Match,
    MatchSource,
    MatchStatus,
    Notification,
    NotificationKind,
    SuggestionRefresh,
    User,
)
from tests.support import add_person

NEED = {"kind": "need", "title": "Cần máy sấy bơm nhiệt để sấy xoài và chuối",
        "description": "Hợp tác xã cần hệ thống sấy bơm nhiệt sấy xoài, chuối, mít cho nông sản sau thu hoạch.",
        "keywords": ["sấy", "bơm nhiệt", "xoài"]}
OFFERS = [{"kind": "offer", "title": "Máy sấy bơm nhiệt sấy xoài, chuối, mít",
           "description": "Máy sấy bơm nhiệt cho trái cây và nông sản, tiết kiệm 40% điện.", "keywords": ["sấy"]},
          {"kind": "offer", "title": "Hệ thống sấy lạnh bơm nhiệt cho nông sản",
           "description": "Sấy lạnh bơm nhiệt ở 45 độ, giữ màu xoài, chuối sấy.", "keywords": ["sấy lạnh"]}]


@pytest.fixture
def runtime(app):
    return app.extensions["exchange"]


@pytest.fixture
def people(factory):
    return {"htx": add_person(factory, "enterprise", email="htx@nongsan.vn", organization="HTX Nông sản Quế Sơn"),
            "cty": add_person(factory, "enterprise", email="cty@cokhi.vn", organization="Công ty Cơ khí Điện Bàn"),
            "staff": add_person(factory, "staff", email="canbo@so.vn")}


@pytest.fixture
def hold(runtime, monkeypatch):
    """hold() → from now on queued jobs are only recorded (the refresh rows wait); returns the record."""
    calls: list[str] = []

    def start() -> list[str]:
        monkeypatch.setattr(runtime.queue, "enqueue", lambda name, *args: calls.append(name))
        return calls

    return start


def publish(factory, people):
    """Post the need (HTX) and both offers (company), then approve all three in one transaction."""
    ids = {}
    with factory.begin() as session:
        for name, person, data in (("need", "htx", NEED), ("o1", "cty", OFFERS[0]), ("o2", "cty", OFFERS[1])):
            user = session.get(User, people[person].id)
            ids[name] = create_listing(session, actor=user, data=data, submit=True).id
    with factory.begin() as session:
        staff = session.get(User, people["staff"].id)
        for listing_id in ids.values():
            approve_listing(session, actor=staff, listing_id=listing_id)
    return ids


def waiting(factory) -> set[int]:
    with factory() as session:
        return set(session.scalars(select(SuggestionRefresh.listing_id)))


def matched(factory, need_id) -> set[int]:
    with factory() as session:
        return set(session.scalars(select(Match.offer_id).where(Match.need_id == need_id)))


def run(factory, runtime, threshold=None):
    return run_pending_refreshes(factory, runtime.models, runtime.config.suggestions_top_k, threshold)


def new_suggestions(factory, person) -> list[Notification]:
    with factory() as session:
        return list(session.scalars(select(Notification).where(Notification.user_id == person.id,
                                                               Notification.kind == NotificationKind.new_suggestion)))


def test_after_the_approval_commits_the_refresh_has_run(factory, people):
    ids = publish(factory, people)
    assert waiting(factory) == set()
    assert matched(factory, ids["need"]) == {ids["o1"], ids["o2"]}


def test_held_requests_wait_as_rows_until_a_run_serves_them(factory, runtime, people, hold):
    calls = hold()
    ids = publish(factory, people)
    assert waiting(factory) == set(ids.values()) and "refresh_suggestions" in calls
    assert matched(factory, ids["need"]) == set()
    run(factory, runtime)
    assert waiting(factory) == set() and matched(factory, ids["need"]) == {ids["o1"], ids["o2"]}


def test_a_rolled_back_request_leaves_no_row_and_runs_nothing(factory, runtime, people, monkeypatch):
    ids = publish(factory, people)
    calls: list[str] = []
    enqueue = runtime.queue.enqueue
    monkeypatch.setattr(runtime.queue, "enqueue", lambda name, *args: (calls.append(name), enqueue(name, *args)))
    with factory() as session:
        request_refresh(session, [ids["o1"]])
        session.flush()
        assert session.get(SuggestionRefresh, ids["o1"]) is not None
        session.rollback()
    assert waiting(factory) == set() and calls == []
    with factory.begin() as session:  # the same request committed does reach the queue
        request_refresh(session, [ids["o1"]])
    assert calls == ["refresh_suggestions"] and waiting(factory) == set()


def test_a_queue_that_is_down_loses_nothing(factory, runtime, people, monkeypatch):
    def down(name, *args):
        raise ConnectionError("hàng đợi không trả lời")

    monkeypatch.setattr(runtime.queue, "enqueue", down)
    ids = publish(factory, people)
    with factory() as session:
        assert session.get(Listing, ids["need"]).status is ListingStatus.published
    assert waiting(factory) == set(ids.values()) and matched(factory, ids["need"]) == set()
    report = run(factory, runtime)  # the periodic sweep
    assert report.matches >= 2
    assert waiting(factory) == set() and matched(factory, ids["need"]) == {ids["o1"], ids["o2"]}


def test_a_request_made_while_a_run_is_in_progress_stays(factory, runtime, people, hold, monkeypatch):
    hold()
    ids = publish(factory, people)
    real = pending.refit

    def requested_again_meanwhile(session, *args, **kwargs):
        with factory.begin() as other:  # another transaction edits the need while the run refits
            other.get(SuggestionRefresh, ids["need"]).requested_at = utcnow()
        return real(session, *args, **kwargs)

    monkeypatch.setattr(pending, "refit", requested_again_meanwhile)
    run(factory, runtime)
    assert waiting(factory) == {ids["need"]}
    monkeypatch.setattr(pending, "refit", real)
    run(factory, runtime)
    assert waiting(factory) == set()


def test_a_closed_offer_leaves_the_suggestions_at_once_and_its_rows_with_the_refresh(factory, runtime, people, hold):
    ids = publish(factory, people)
    hold()
    with factory.begin() as session:
        close_listing(session, actor=session.get(User, people["cty"].id), listing_id=ids["o1"])
    assert waiting(factory) == {ids["o1"]} and matched(factory, ids["need"]) == {ids["o1"], ids["o2"]}
    with factory() as session:
        shown = [row.other.id for row in suggestions_for(session, session.get(Listing, ids["need"]))]
    assert shown == [ids["o2"]]
    run(factory, runtime)
    assert matched(factory, ids["need"]) == {ids["o2"]} and waiting(factory) == set()


def test_a_decided_suggestion_survives_the_close_refresh(factory, runtime, people, hold):
    ids = publish(factory, people)
    with factory.begin() as session:
        match = session.scalar(select(Match).where(Match.need_id == ids["need"], Match.offer_id == ids["o1"]))
        match.status = MatchStatus.confirmed
    hold()
    with factory.begin() as session:
        close_listing(session, actor=session.get(User, people["cty"].id), listing_id=ids["o1"])
    run(factory, runtime)
    with factory() as session:
        rows = {m.offer_id: (m.status, m.source) for m in session.scalars(select(Match))}
    assert rows[ids["o1"]] == (MatchStatus.confirmed, MatchSource.auto) and ids["o2"] in rows


def test_owners_get_one_notification_per_listing_not_per_pair(factory, runtime, people, hold):
    hold()
    ids = publish(factory, people)
    run(factory, runtime, threshold=0.0)
    [for_need] = new_suggestions(factory, people["htx"])
    assert for_need.params["listing_id"] == ids["need"] and for_need.params["count"] == 2
    for_offers = new_suggestions(factory, people["cty"])
    assert sorted(n.params["listing_id"] for n in for_offers) == sorted([ids["o1"], ids["o2"]])
    assert all(n.params["count"] == 1 for n in for_offers)


def test_a_refresh_without_new_pairs_notifies_nobody(factory, runtime, people, hold):
    hold()
    ids = publish(factory, people)
    run(factory, runtime, threshold=0.0)
    with factory.begin() as session:
        request_refresh(session, [ids["need"]])
    run(factory, runtime, threshold=0.0)
    assert len(new_suggestions(factory, people["htx"])) == 1 and len(new_suggestions(factory, people["cty"])) == 2


def test_no_notification_under_the_threshold(factory, runtime, people, hold):
    hold()
    publish(factory, people)
    run(factory, runtime, threshold=1.01)
    assert new_suggestions(factory, people["htx"]) == [] and new_suggestions(factory, people["cty"]) == []


def test_a_write_elsewhere_during_the_refit_does_not_fail_the_refresh(factory, runtime, people, hold, monkeypatch):
    # On SQLite a transaction that read (the refit) and then writes is refused outright when another
    # transaction wrote in between; the demo's worker hit it on the first approval. The refit reads in a
    # transaction of its own, and the writing one holds the write lock from its first statement.
    hold()
    ids = publish(factory, people)
    real = pending.refit

    def someone_writes_meanwhile(session, *args, **kwargs):
        model = real(session, *args, **kwargs)
        with factory.begin() as other:  # a page saving something while the refit holds its snapshot
            other.get(Listing, ids["o1"]).summary = "Sấy lạnh 45 độ, tiết kiệm điện."
        return model

    monkeypatch.setattr(pending, "refit", someone_writes_meanwhile)
    report = run(factory, runtime)
    assert report.matches >= 2 and waiting(factory) == set()
    assert matched(factory, ids["need"]) == {ids["o1"], ids["o2"]}
