"""Listings expire a year after publication, with one warning 14 days before; the CLI runs the same pass."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.db import utcnow
from exchange.listings.expiry import expire_listings
from exchange.listings.moderation import approve_listing
from exchange.listings.services import create_listing, renew_listing
from exchange.models import Listing, ListingKind, ListingStatus, Notification, NotificationKind, SuggestionRefresh, User

SYSTEM = SystemActor("test")
DATA = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho nông sản", "description": "Sấy xoài, chuối, tiết kiệm điện.",
        "district": "Tam Kỳ", "keywords": ["sấy"], "trl": 6}


@pytest.fixture
def member(db_session):
    org = get_or_create_organization(db_session, actor=SYSTEM, name="HTX Nông sản Thăng Bình")
    return create_user(db_session, actor=SYSTEM, email="dn@htx.vn", role="enterprise", password="mat-khau-dai-du",
                       organization=org)


@pytest.fixture
def expiring(make_listing, member):
    """make(days, **columns): a published listing of the member expiring `days` from now (negative: past)."""
    def make(days, **columns):
        expires_at = utcnow() + timedelta(days=days)
        return make_listing(organization_id=member.organization_id, published_at=expires_at - timedelta(days=365),
                            first_published_at=expires_at - timedelta(days=365), expires_at=expires_at, **columns)
    return make


def notes(session, user, kind):
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                           Notification.kind == kind)))


def test_a_listing_published_366_days_ago_expires(db_session, member):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    approve_listing(db_session, actor=SYSTEM, listing_id=listing.id)
    db_session.delete(db_session.get(SuggestionRefresh, listing.id))  # the approval's refresh, served
    db_session.flush()
    report = expire_listings(db_session, actor=SYSTEM, now=listing.published_at + timedelta(days=366))
    assert report.expired == 1 and listing.status is ListingStatus.expired
    [note] = notes(db_session, member, NotificationKind.listing_expired)
    assert note.params["listing_id"] == listing.id
    assert db_session.get(SuggestionRefresh, listing.id) is not None


def test_a_listing_not_yet_due_stays_published(db_session, member):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    approve_listing(db_session, actor=SYSTEM, listing_id=listing.id)
    report = expire_listings(db_session, actor=SYSTEM, now=listing.published_at + timedelta(days=364))
    assert report.expired == 0 and listing.status is ListingStatus.published
    assert notes(db_session, member, NotificationKind.listing_expired) == []


def test_a_listing_expiring_in_10_days_is_warned_once(db_session, member, expiring):
    listing = expiring(10)
    now = utcnow()
    first = expire_listings(db_session, actor=SYSTEM, now=now)
    assert (first.warned, first.expired) == (1, 0)
    assert listing.status is ListingStatus.published and listing.expiry_warned_at == now
    again = expire_listings(db_session, actor=SYSTEM, now=now + timedelta(hours=1))
    assert again.warned == 0 and listing.expiry_warned_at == now
    [note] = notes(db_session, member, NotificationKind.listing_expiring)
    assert note.params["listing_id"] == listing.id


def test_a_listing_expiring_in_30_days_is_untouched(db_session, member, expiring):
    listing = expiring(30)
    report = expire_listings(db_session, actor=SYSTEM)
    assert (report.warned, report.expired) == (0, 0)
    assert listing.expiry_warned_at is None and listing.status is ListingStatus.published
    assert notes(db_session, member, NotificationKind.listing_expiring) == []


def test_the_warning_gives_the_expiry_date_in_local_time(db_session, member, make_listing):
    now = datetime(2025, 6, 1, 3, 0, tzinfo=timezone.utc)
    make_listing(organization_id=member.organization_id, published_at=now - timedelta(days=355),
                 expires_at=datetime(2025, 6, 11, 20, 0, tzinfo=timezone.utc))  # 12/06, 03:00 in Việt Nam
    expire_listings(db_session, actor=SYSTEM, now=now)
    [note] = notes(db_session, member, NotificationKind.listing_expiring)
    assert note.params["date"] == "12/06/2025"


def test_renewing_resets_the_warning_and_the_expiry(db_session, member, expiring):
    listing = expiring(10)
    expire_listings(db_session, actor=SYSTEM)
    assert listing.expiry_warned_at is not None
    renew_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.expiry_warned_at is None
    assert listing.expires_at == listing.published_at + timedelta(days=365)
    assert listing.expires_at > utcnow() + timedelta(days=360)
    # A year later the renewed listing is warned again, once.
    report = expire_listings(db_session, actor=SYSTEM, now=listing.expires_at - timedelta(days=5))
    assert report.warned == 1 and len(notes(db_session, member, NotificationKind.listing_expiring)) == 2


def test_a_second_run_changes_nothing(db_session, member, expiring):
    due, soon, later = expiring(-1), expiring(5), expiring(30)
    now = utcnow()
    first = expire_listings(db_session, actor=SYSTEM, now=now)
    assert (first.expired, first.warned) == (1, 1)
    second = expire_listings(db_session, actor=SYSTEM, now=now)
    assert (second.expired, second.warned) == (0, 0)
    assert [due.status, soon.status, later.status] == [ListingStatus.expired, ListingStatus.published,
                                                       ListingStatus.published]
    assert len(notes(db_session, member, NotificationKind.listing_expired)) == 1
    assert len(notes(db_session, member, NotificationKind.listing_expiring)) == 1


def test_only_published_listings_expire(db_session, expiring):
    closed = expiring(-3, status=ListingStatus.closed)
    draft = expiring(-3, status=ListingStatus.draft)
    report = expire_listings(db_session, actor=SYSTEM)
    assert (report.expired, report.warned) == (0, 0)
    assert (closed.status, draft.status) == (ListingStatus.closed, ListingStatus.draft)


def test_the_cli_expires_listings_past_their_date(runner, factory):
    from tests.support import add_person

    person = add_person(factory, "enterprise", email="dn@htx.vn", organization="HTX Nông sản Thăng Bình")
    now = utcnow()
    with factory.begin() as session:
        rows = [Listing(source="test", ref=f"H-{n}", kind=ListingKind.offer, title=title,
                        description="Sấy nông sản bằng bơm nhiệt.", status=ListingStatus.published,
                        organization_id=person.organization_id,
                        published_at=now - timedelta(days=365) + timedelta(days=days),
                        expires_at=now + timedelta(days=days))
                for n, (title, days) in enumerate([("Máy sấy bơm nhiệt đã quá hạn", -2),
                                                   ("Máy bóc vỏ hạt điều sắp hết hạn", 5),
                                                   ("Quy trình nuôi tôm còn hạn dài", 100)])]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
    result = runner("expire-listings")
    assert result.exit_code == 0, result.output
    assert "Đã cho hết hạn 1 tin; đã báo sắp hết hạn 1 tin." in result.output
    with factory() as session:
        assert [session.get(Listing, i).status for i in ids] == [ListingStatus.expired, ListingStatus.published,
                                                                 ListingStatus.published]
        kinds = sorted(n.kind.value for n in session.scalars(select(Notification).join(User).where(
            User.id == person.id)))
        assert kinds == ["listing_expired", "listing_expiring"]
    assert "Đã cho hết hạn 0 tin; đã báo sắp hết hạn 0 tin." in runner("expire-listings").output
