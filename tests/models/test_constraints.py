"""Constraints of the data model hold on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from exchange.db import utcnow
from exchange.models import ContactRequest, Listing, ListingKind, Match, Plan


def test_listing_is_unique_on_source_kind_and_ref(db_session, make_listing):
    make_listing(source="a", ref="X-1")
    with pytest.raises(IntegrityError):
        make_listing(source="a", ref="X-1")


def test_same_ref_may_exist_in_two_sources_and_for_both_kinds(db_session, make_listing):
    make_listing(source="a", ref="X-1")
    make_listing(source="b", ref="X-1")
    make_listing(source="a", ref="X-1", kind=ListingKind.need)
    assert db_session.scalar(select(Listing).where(Listing.ref == "X-1", Listing.source == "b")) is not None


@pytest.mark.parametrize("trl", [0, 10, -1])
def test_trl_outside_1_to_9_is_refused_by_the_database(make_listing, trl):
    with pytest.raises(IntegrityError):
        make_listing(trl=trl)


def test_money_above_two_billion_vnd_round_trips(db_session, make_listing):
    listing = make_listing(price_min_vnd=2_500_000_000, price_max_vnd=9_000_000_000_000)
    db_session.expire_all()
    again = db_session.get(Listing, listing.id)
    assert (again.price_min_vnd, again.price_max_vnd) == (2_500_000_000, 9_000_000_000_000)


def test_negative_price_is_refused(make_listing):
    with pytest.raises(IntegrityError):
        make_listing(price_min_vnd=-1)


def test_timestamps_come_back_timezone_aware_in_utc(db_session, make_listing):
    listing = make_listing(published_at=datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc))
    db_session.expire_all()
    again = db_session.get(Listing, listing.id)
    assert again.published_at == datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc)
    assert again.created_at.tzinfo is not None


def test_naive_datetime_is_refused(db_session, make_listing):
    with pytest.raises(StatementError):
        make_listing(published_at=datetime(2024, 3, 1, 8, 30))


def test_a_need_and_offer_pair_is_kept_once(db_session, make_listing):
    need, offer = make_listing(kind=ListingKind.need), make_listing()
    db_session.add(Match(need_id=need.id, offer_id=offer.id, score=0.5))
    db_session.flush()
    db_session.add(Match(need_id=need.id, offer_id=offer.id, score=0.7))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_match_score_must_lie_in_unit_interval(db_session, make_listing):
    need, offer = make_listing(kind=ListingKind.need), make_listing()
    db_session.add(Match(need_id=need.id, offer_id=offer.id, score=1.5))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_contract_value_holds_large_vnd_amounts(db_session, make_listing):
    listing = make_listing()
    contact = ContactRequest(listing_id=listing.id, contract_value_vnd=12_000_000_000, created_at=utcnow())
    db_session.add(contact)
    db_session.flush()
    db_session.expire_all()
    assert db_session.get(ContactRequest, contact.id).contract_value_vnd == 12_000_000_000


def test_one_plan_per_year(db_session):
    db_session.add(Plan(year=2030, title="Kế hoạch 2030"))
    db_session.flush()
    db_session.add(Plan(year=2030, title="Bản khác"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_unknown_enum_value_is_refused(db_session, make_listing):
    with pytest.raises((StatementError, LookupError)):
        make_listing(kind="service")
