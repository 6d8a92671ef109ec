"""Listing services: who may create, edit, approve, reject and close, and what each changes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.errors import Conflict, PermissionDenied, ValidationError
from exchange.listings.editing import update_listing
from exchange.listings.moderation import approve_listing, reject_listing
from exchange.listings.services import close_listing, create_listing, submit_listing
from exchange.models import AuditEvent, ListingRevision, ListingStatus, RevisionStatus

SYSTEM = SystemActor("test")
DATA = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho nông sản", "description": "Tiết kiệm điện năng.",
        "district": "Tam Kỳ", "keywords": ["sấy"], "trl": 6}


@pytest.fixture
def member(db_session):
    org = get_or_create_organization(db_session, actor=SYSTEM, name="HTX Thử nghiệm")
    return create_user(db_session, actor=SYSTEM, email="dn@htx.vn", role="enterprise",
                       password="mat-khau-dai-du", organization=org)


@pytest.fixture
def staff(db_session):
    return create_user(db_session, actor=SYSTEM, email="cb@so.vn", role="staff", password="mat-khau-dai-du")


@pytest.fixture
def other_member(db_session):
    org = get_or_create_organization(db_session, actor=SYSTEM, name="Công ty Khác")
    return create_user(db_session, actor=SYSTEM, email="khac@cty.vn", role="enterprise",
                       password="mat-khau-dai-du", organization=org)


def test_created_listing_gets_a_web_ref_tokens_and_the_members_organization(db_session, member):
    listing = create_listing(db_session, actor=member, data=DATA)
    assert listing.ref == f"O-{listing.id}" and listing.source == "web"
    assert listing.status is ListingStatus.draft and listing.organization_id == member.organization_id
    assert "bơm_nhiệt" in listing.tokens_title.split()


def test_need_gets_an_N_ref(db_session, member):
    listing = create_listing(db_session, actor=member, data={**DATA, "kind": "need"}, submit=True)
    assert listing.ref == f"N-{listing.id}" and listing.status is ListingStatus.submitted


def test_invalid_data_raises_with_each_field_and_creates_nothing(db_session, member):
    with pytest.raises(ValidationError) as caught:
        create_listing(db_session, actor=member, data={**DATA, "title": "", "trl": 11})
    assert set(caught.value.fields) == {"title", "trl"}
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "create_listing")) is None


def test_staff_approval_publishes_and_stamps_the_time(db_session, member, staff):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert listing.status is ListingStatus.published and listing.published_at is not None


def test_a_member_cannot_approve(db_session, member):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    with pytest.raises(PermissionDenied):
        approve_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.status is ListingStatus.submitted


def test_rejection_needs_a_reason_then_allows_resubmission(db_session, member, staff):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    with pytest.raises(ValidationError):
        reject_listing(db_session, actor=staff, listing_id=listing.id, reason="  ")
    reject_listing(db_session, actor=staff, listing_id=listing.id, reason="Thiếu mô tả kỹ thuật")
    assert listing.status is ListingStatus.rejected
    submit_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.status is ListingStatus.submitted


def test_another_organization_cannot_edit_or_close(db_session, member, other_member):
    listing = create_listing(db_session, actor=member, data=DATA)
    with pytest.raises(PermissionDenied):
        update_listing(db_session, actor=other_member, listing_id=listing.id, data=DATA)
    with pytest.raises(PermissionDenied):
        close_listing(db_session, actor=other_member, listing_id=listing.id)


def test_edit_re_segments_the_text(db_session, member):
    listing = create_listing(db_session, actor=member, data=DATA)
    update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "title": "Lò đốt trấu"})
    assert "trấu" in listing.tokens_title and "sấy" not in listing.tokens_title


def test_an_edit_of_a_published_listing_waits_as_a_revision(db_session, member, staff):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    revision = update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "trl": 7})
    assert isinstance(revision, ListingRevision) and revision.status is RevisionStatus.pending
    assert listing.trl == 6 and revision.data["trl"] == 7


def test_closing_a_published_listing(db_session, member, staff):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    close_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.status is ListingStatus.closed


def test_approving_a_closed_listing_is_refused(db_session, member, staff):
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    close_listing(db_session, actor=member, listing_id=listing.id)
    with pytest.raises(Conflict):
        approve_listing(db_session, actor=staff, listing_id=listing.id)


def test_a_near_repeat_of_an_existing_listing_is_warned(db_session, member):
    from exchange.listings.duplicates import listing_warnings

    first = create_listing(db_session, actor=member, data={**DATA, "description": "Hệ thống sấy lạnh dùng bơm nhiệt, "
                           "sấy chuối, xoài, mít ở 40–50 độ, tiết kiệm 40% điện so với sấy điện trở."})
    again = create_listing(db_session, actor=member, data={**DATA, "title": "Chuyển giao máy sấy bơm nhiệt cho nông sản",
                           "description": "Hệ thống sấy lạnh dùng bơm nhiệt, sấy chuối, xoài, mít ở 40–50 độ."})
    other = create_listing(db_session, actor=member, data={**DATA, "title": "Máy bóc vỏ hạt điều",
                           "description": "Bóc vỏ hạt điều tự động, 300 kg mỗi giờ."})
    warnings = listing_warnings(db_session, again)
    assert len(warnings) == 1 and first.ref in warnings[0] and "gần trùng" in warnings[0]
    assert listing_warnings(db_session, other) == []


def test_unaccented_repost_is_also_a_near_duplicate(db_session, member):
    from exchange.listings.duplicates import listing_warnings

    create_listing(db_session, actor=member, data=DATA)
    repost = create_listing(db_session, actor=member, data={**DATA, "title": "May say bom nhiet cho nong san",
                                                            "description": "Tiet kiem dien nang."})
    assert listing_warnings(db_session, repost)
