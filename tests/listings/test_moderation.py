"""Staff review: approval publishes for a year, rejection needs a reason; the review queue and "Tin của tôi"."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.audit import SystemActor
from exchange.db import utcnow
from exchange.errors import Conflict, PermissionDenied, ValidationError
from exchange.listings.editing import update_listing
from exchange.listings.expiry import expire_listings
from exchange.listings.mine import my_listings
from exchange.listings.moderation import QueueFilter, approve_listing, reject_listing, review_queue
from exchange.listings.services import close_listing, create_listing, renew_listing, submit_listing
from exchange.models import (
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    Notification,
    NotificationKind,
    SuggestionRefresh,
)

SYSTEM = SystemActor("test")
PASSWORD = "mat-khau-dai-du"
DATA = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho nông sản", "description": "Sấy xoài, chuối, tiết kiệm điện.",
        "district": "Tam Kỳ", "field": "nong-nghiep", "keywords": ["sấy", "bơm nhiệt"], "trl": 6}
REASON = "Thiếu thông số kỹ thuật của máy sấy (công suất, nhiệt độ sấy)."


def submitted(session, member, **changes):
    return create_listing(session, actor=member, data={**DATA, **changes}, submit=True)


def published(session, member, staff, **changes):
    return approve_listing(session, actor=staff, listing_id=submitted(session, member, **changes).id)


def notes(session, user, kind):
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                           Notification.kind == kind)))


def state(listing):
    return (listing.status, listing.published_at, listing.expires_at, listing.first_published_at,
            listing.review_note, listing.reviewed_at)


def in_status(session, member, staff, status):
    """A listing of the member in the given status, reached through the services."""
    if status == "draft":
        return create_listing(session, actor=member, data=DATA)
    listing = submitted(session, member)
    if status == "rejected":
        reject_listing(session, actor=staff, listing_id=listing.id, reason=REASON)
    elif status == "closed":
        close_listing(session, actor=member, listing_id=listing.id)
    elif status in ("published", "expired"):
        approve_listing(session, actor=staff, listing_id=listing.id)
        if status == "expired":
            expire_listings(session, actor=SYSTEM, now=utcnow() + timedelta(days=366))
    assert listing.status.value == status
    return listing


# --- approval -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["member", "broker"])
def test_only_staff_may_approve_and_a_refused_approval_changes_nothing(db_session, member, broker, who):
    listing = submitted(db_session, member)
    before = state(listing)
    with pytest.raises(PermissionDenied):
        approve_listing(db_session, actor={"member": member, "broker": broker}[who], listing_id=listing.id)
    assert state(listing) == before and listing.status is ListingStatus.submitted
    assert db_session.get(SuggestionRefresh, listing.id) is None
    assert notes(db_session, member, NotificationKind.listing_approved) == []


@pytest.mark.parametrize("status", ["draft", "rejected", "published", "closed", "expired"])
def test_only_a_submitted_listing_can_be_approved(db_session, member, staff, status):
    listing = in_status(db_session, member, staff, status)
    before = state(listing)
    approved_before = len(notes(db_session, member, NotificationKind.listing_approved))
    with pytest.raises(Conflict):
        approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert state(listing) == before
    assert len(notes(db_session, member, NotificationKind.listing_approved)) == approved_before


def test_approval_publishes_for_365_days_and_stamps_the_first_publication(db_session, member, staff):
    listing = submitted(db_session, member)
    assert listing.published_at is None and listing.first_published_at is None
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert listing.status is ListingStatus.published
    assert listing.expires_at == listing.published_at + timedelta(days=365)
    assert listing.first_published_at == listing.published_at
    assert listing.reviewed_by_id == staff.id


def test_republishing_after_close_edit_and_resubmission_keeps_the_first_publication(db_session, member, staff):
    listing = published(db_session, member, staff)
    first = listing.first_published_at - timedelta(days=100)  # as if published 100 days ago
    listing.first_published_at = listing.published_at = first
    db_session.flush()
    close_listing(db_session, actor=member, listing_id=listing.id)
    update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "trl": 7})
    submit_listing(db_session, actor=member, listing_id=listing.id)
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert listing.status is ListingStatus.published and listing.first_published_at == first
    assert listing.published_at > first + timedelta(days=99)


def test_renewal_after_expiry_moves_the_dates_but_keeps_the_first_publication(db_session, member, staff):
    listing = published(db_session, member, staff)
    old_published = utcnow() - timedelta(days=366)
    listing.first_published_at = listing.published_at = old_published
    listing.expires_at = old_published + timedelta(days=365)
    db_session.flush()
    expire_listings(db_session, actor=SYSTEM)
    assert listing.status is ListingStatus.expired
    renew_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.status is ListingStatus.published and listing.first_published_at == old_published
    assert listing.published_at > old_published + timedelta(days=365)
    assert listing.expires_at == listing.published_at + timedelta(days=365)


def test_approval_after_a_rejection_clears_the_review_note(db_session, member, staff):
    listing = submitted(db_session, member)
    reject_listing(db_session, actor=staff, listing_id=listing.id, reason=REASON)
    assert listing.review_note == REASON
    update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "specifications": "Công suất 5 kW"})
    submit_listing(db_session, actor=member, listing_id=listing.id)
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert listing.review_note is None and listing.status is ListingStatus.published


def test_approval_requests_a_suggestion_refresh_in_the_same_session(db_session, member, staff):
    listing = submitted(db_session, member)
    assert db_session.get(SuggestionRefresh, listing.id) is None
    approve_listing(db_session, actor=staff, listing_id=listing.id)
    assert db_session.get(SuggestionRefresh, listing.id) is not None


def test_every_member_of_the_organization_is_told_of_the_approval(db_session, new_member, member, other_member, staff):
    colleague = new_member("ketoan@htx.vn", "HTX Nông sản Thăng Bình")
    listing = published(db_session, member, staff)
    for user in (member, colleague):
        [note] = notes(db_session, user, NotificationKind.listing_approved)
        assert note.params["listing_id"] == listing.id and note.params["title"] == DATA["title"]
    assert notes(db_session, other_member, NotificationKind.listing_approved) == []
    assert notes(db_session, staff, NotificationKind.listing_approved) == []


# --- rejection ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "   ", None])
def test_rejection_without_a_reason_is_refused_and_changes_nothing(db_session, member, staff, reason):
    listing = submitted(db_session, member)
    before = state(listing)
    with pytest.raises(ValidationError) as caught:
        reject_listing(db_session, actor=staff, listing_id=listing.id, reason=reason)
    assert "reason" in caught.value.fields
    assert state(listing) == before and listing.status is ListingStatus.submitted
    assert notes(db_session, member, NotificationKind.listing_rejected) == []


def test_a_too_long_reason_is_refused(db_session, member, staff):
    listing = submitted(db_session, member)
    with pytest.raises(ValidationError) as caught:
        reject_listing(db_session, actor=staff, listing_id=listing.id, reason="Thiếu thông số. " * 200)
    assert "reason" in caught.value.fields and listing.status is ListingStatus.submitted
    assert listing.review_note is None


def test_a_reason_at_the_limit_is_taken(db_session, member, staff):
    listing = submitted(db_session, member)
    reject_listing(db_session, actor=staff, listing_id=listing.id, reason="x" * 2000)
    assert listing.status is ListingStatus.rejected and len(listing.review_note) == 2000


@pytest.mark.parametrize("status", ["draft", "rejected", "published", "closed", "expired"])
def test_only_a_submitted_listing_can_be_rejected(db_session, member, staff, status):
    listing = in_status(db_session, member, staff, status)
    before = state(listing)
    with pytest.raises(Conflict):
        reject_listing(db_session, actor=staff, listing_id=listing.id, reason="Trùng tin khác.")
    assert state(listing) == before


def test_the_status_is_checked_before_the_reason(db_session, member, staff):
    listing = published(db_session, member, staff)
    with pytest.raises(Conflict):
        reject_listing(db_session, actor=staff, listing_id=listing.id, reason="  ")
    assert listing.status is ListingStatus.published


def test_only_staff_may_reject(db_session, member, broker):
    listing = submitted(db_session, member)
    for actor in (member, broker):
        with pytest.raises(PermissionDenied):
            reject_listing(db_session, actor=actor, listing_id=listing.id, reason=REASON)
    assert listing.status is ListingStatus.submitted and listing.review_note is None


def test_rejection_keeps_the_reason_and_tells_the_poster(db_session, member, staff):
    listing = submitted(db_session, member)
    reject_listing(db_session, actor=staff, listing_id=listing.id, reason=f"  {REASON}  ")
    assert listing.status is ListingStatus.rejected and listing.review_note == REASON
    [note] = notes(db_session, member, NotificationKind.listing_rejected)
    assert note.params["reason"] == REASON and note.params["listing_id"] == listing.id


def test_a_rejected_listing_is_edited_and_sent_again(db_session, member, staff):
    listing = submitted(db_session, member)
    reject_listing(db_session, actor=staff, listing_id=listing.id, reason=REASON)
    edited = update_listing(db_session, actor=member, listing_id=listing.id,
                            data={**DATA, "specifications": "Công suất 5 kW, sấy ở 45 độ C"})
    assert edited is listing and listing.specifications == "Công suất 5 kW, sấy ở 45 độ C"
    submit_listing(db_session, actor=member, listing_id=listing.id)
    assert listing.status is ListingStatus.submitted


# --- the review queue -----------------------------------------------------------------------------------

def _aged(listing, days, session):
    listing.submitted_at = utcnow() - timedelta(days=days)
    session.flush()
    return listing


def ids(rows):
    return [listing.id for listing, _ in rows]


def test_the_queue_shows_submitted_listings_oldest_first(db_session, member, staff):
    middle = _aged(submitted(db_session, member, title="Máy bóc vỏ hạt điều"), 2, db_session)
    newest = _aged(submitted(db_session, member, title="Quy trình nuôi tôm thẻ chân trắng"), 1, db_session)
    oldest = _aged(submitted(db_session, member), 3, db_session)
    create_listing(db_session, actor=member, data={**DATA, "title": "Bản nháp lò đốt trấu"})
    published(db_session, member, staff, title="Máy sấy đã công bố")
    assert ids(review_queue(db_session, actor=staff)) == [oldest.id, middle.id, newest.id]


def test_the_queue_filters_by_kind_field_and_locality(db_session, member, staff):
    offer = submitted(db_session, member)
    need = submitted(db_session, member, kind="need", title="Cần công nghệ nuôi tôm", field="thuy-san",
                     district="Hội An")
    assert ids(review_queue(db_session, actor=staff, filters=QueueFilter(kind=ListingKind.need))) == [need.id]
    assert ids(review_queue(db_session, actor=staff, filters=QueueFilter(field_code="nong-nghiep"))) == [offer.id]
    assert ids(review_queue(db_session, actor=staff,
                            filters=QueueFilter(locality_code=need.locality_code))) == [need.id]
    assert offer.locality_code != need.locality_code


def test_the_queue_filters_listings_waiting_at_least_some_days(db_session, member, staff):
    old = _aged(submitted(db_session, member), 5, db_session)
    _aged(submitted(db_session, member, title="Máy bóc vỏ hạt điều"), 1, db_session)
    assert ids(review_queue(db_session, actor=staff, filters=QueueFilter(min_days=3))) == [old.id]


def test_an_organization_that_published_before_is_not_new(db_session, member, other_member, staff):
    published(db_session, member, staff, title="Máy sấy đã công bố")
    known = _aged(submitted(db_session, member), 2, db_session)
    newcomer = _aged(submitted(db_session, other_member, title="Máy bóc vỏ hạt điều"), 1, db_session)
    assert review_queue(db_session, actor=staff) == [(known, False), (newcomer, True)]
    assert ids(review_queue(db_session, actor=staff, filters=QueueFilter(new_organization=True))) == [newcomer.id]


def test_an_organization_whose_only_publication_was_closed_is_still_not_new(db_session, member, staff):
    earlier = published(db_session, member, staff, title="Máy sấy đã công bố")
    close_listing(db_session, actor=member, listing_id=earlier.id)
    later = submitted(db_session, member)
    assert review_queue(db_session, actor=staff) == [(later, False)]


def test_only_staff_see_the_queue(db_session, member, broker):
    submitted(db_session, member)
    for actor in (member, broker):
        with pytest.raises(PermissionDenied):
            review_queue(db_session, actor=actor)


# --- "Tin của tôi" --------------------------------------------------------------------------------------

def test_my_listings_shows_only_the_organizations_listings(db_session, member, other_member, staff):
    mine = {create_listing(db_session, actor=member, data=DATA).id, published(db_session, member, staff).id}
    submitted(db_session, other_member, title="Máy bóc vỏ hạt điều")
    assert {row.listing.id for row in my_listings(db_session, actor=member)} == mine


def test_my_listings_filters_by_status(db_session, member, staff):
    create_listing(db_session, actor=member, data=DATA)
    live = published(db_session, member, staff)
    rows = my_listings(db_session, actor=member, status=ListingStatus.published)
    assert [row.listing.id for row in rows] == [live.id]


def test_my_listings_counts_suggestions_that_were_not_rejected(db_session, member, other_member, staff):
    need = published(db_session, member, staff, kind="need", title="Cần máy sấy bơm nhiệt cho xoài")
    offers = [published(db_session, other_member, staff, title=f"Máy sấy bơm nhiệt số {n}") for n in range(3)]
    for offer, status in zip(offers, (MatchStatus.suggested, MatchStatus.confirmed, MatchStatus.rejected)):
        db_session.add(Match(need_id=need.id, offer_id=offer.id, score=0.5, status=status))
    db_session.flush()
    [row] = my_listings(db_session, actor=member)
    assert row.listing.id == need.id and row.suggestions == 2
    counts = {row.listing.id: row.suggestions for row in my_listings(db_session, actor=other_member)}
    assert counts == {offers[0].id: 1, offers[1].id: 1, offers[2].id: 0}


def test_my_listings_shows_the_pending_revision(db_session, member, staff):
    edited = published(db_session, member, staff)
    untouched = published(db_session, member, staff, title="Máy bóc vỏ hạt điều")
    revision = update_listing(db_session, actor=member, listing_id=edited.id, data={**DATA, "trl": 7})
    rows = {row.listing.id: row for row in my_listings(db_session, actor=member)}
    assert rows[edited.id].pending_revision is revision and rows[untouched.id].pending_revision is None


def test_my_listings_offers_the_actions_of_each_status(db_session, member, staff):
    draft = create_listing(db_session, actor=member, data=DATA)
    waiting = submitted(db_session, member)
    live = published(db_session, member, staff)
    actions = {row.listing.id: row.actions for row in my_listings(db_session, actor=member)}
    assert actions[draft.id] == ("edit", "submit", "attach", "close")
    assert "submit" not in actions[waiting.id] and "renew" not in actions[waiting.id]
    assert "renew" in actions[live.id] and "submit" not in actions[live.id]


def test_my_listings_needs_an_organization(db_session, broker):
    with pytest.raises(PermissionDenied):
        my_listings(db_session, actor=broker)
