"""Editing listings: in place while unpublished, a revision for staff once published; deciding revisions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from exchange.audit import SystemActor
from exchange.db import utcnow
from exchange.errors import Conflict, NotFound, PermissionDenied, ValidationError
from exchange.listings.editing import (
    approve_revision,
    merged_record,
    pending_revision,
    reject_revision,
    revision_changes,
    update_listing,
    visible_revision,
)
from exchange.listings.expiry import expire_listings
from exchange.listings.moderation import approve_listing, reject_listing
from exchange.listings.services import close_listing, create_listing
from exchange.models import (
    ListingRevision,
    ListingStatus,
    Notification,
    NotificationKind,
    RevisionStatus,
    SuggestionRefresh,
)

SYSTEM = SystemActor("test")
PASSWORD = "mat-khau-dai-du"
DATA = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho nông sản", "description": "Sấy xoài, chuối, tiết kiệm điện.",
        "summary": "Sấy lạnh 45 độ C.", "district": "Tam Kỳ", "field": "nong-nghiep", "keywords": ["sấy"], "trl": 6}
NEW_TITLE = "Lò đốt trấu cấp nhiệt cho máy sấy lúa"


@pytest.fixture
def live(db_session, member, staff):
    """A published listing of the member."""
    listing = create_listing(db_session, actor=member, data=DATA, submit=True)
    return approve_listing(db_session, actor=staff, listing_id=listing.id)


def revisions(session, listing):
    return list(session.scalars(select(ListingRevision).where(ListingRevision.listing_id == listing.id)))


def notes(session, user, kind):
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                           Notification.kind == kind)))


def in_status(session, member, staff, status):
    listing = create_listing(session, actor=member, data=DATA, submit=status != "draft")
    if status == "rejected":
        reject_listing(session, actor=staff, listing_id=listing.id, reason="Thiếu thông số kỹ thuật.")
    elif status == "closed":
        close_listing(session, actor=member, listing_id=listing.id)
    elif status == "expired":
        approve_listing(session, actor=staff, listing_id=listing.id)
        expire_listings(session, actor=SYSTEM, now=utcnow() + timedelta(days=366))
    assert listing.status.value == status
    return listing


# --- update_listing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_an_unpublished_listing_is_edited_in_place(db_session, member, staff, status):
    listing = in_status(db_session, member, staff, status)
    result = update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "title": NEW_TITLE})
    assert result is listing and listing.title == NEW_TITLE and listing.status.value == status
    assert revisions(db_session, listing) == []


@pytest.mark.parametrize("status", ["expired", "closed"])
def test_editing_an_expired_or_closed_listing_puts_it_back_to_draft(db_session, member, staff, status):
    listing = in_status(db_session, member, staff, status)
    update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "title": NEW_TITLE})
    assert listing.status is ListingStatus.draft and listing.title == NEW_TITLE
    assert revisions(db_session, listing) == []


def test_an_edit_of_a_published_listing_waits_and_the_public_sees_the_old_text(db_session, member, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    assert isinstance(revision, ListingRevision) and revision.status is RevisionStatus.pending
    assert revision.data["title"] == NEW_TITLE and revision.submitted_by_id == member.id
    db_session.expire(live)
    assert live.title == DATA["title"] and live.status is ListingStatus.published
    assert "trấu" not in live.tokens_title


def test_a_second_edit_replaces_the_waiting_revision(db_session, member, live):
    first = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    second = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "trl": 8})
    assert second.id == first.id and second.data["trl"] == 8 and second.data["title"] == DATA["title"]
    assert len(revisions(db_session, live)) == 1 and pending_revision(db_session, live.id).id == first.id


@pytest.mark.parametrize("published", [False, True])
def test_the_kind_cannot_change(db_session, member, staff, published):
    listing = in_status(db_session, member, staff, "submitted")
    if published:
        approve_listing(db_session, actor=staff, listing_id=listing.id)
    with pytest.raises(ValidationError) as caught:
        update_listing(db_session, actor=member, listing_id=listing.id, data={**DATA, "kind": "need"})
    assert "kind" in caught.value.fields
    assert listing.kind.value == "offer" and revisions(db_session, listing) == []


def test_leaving_the_kind_out_keeps_it(db_session, member, live):
    data = {k: v for k, v in DATA.items() if k != "kind"}
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**data, "trl": 7})
    assert revision.data["kind"] == "offer"


def test_another_organization_cannot_edit(db_session, other_member, broker, live):
    for actor in (other_member, broker):
        with pytest.raises(PermissionDenied):
            update_listing(db_session, actor=actor, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    assert revisions(db_session, live) == []


def test_invalid_data_makes_no_revision(db_session, member, live):
    with pytest.raises(ValidationError) as caught:
        update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": "", "trl": 12})
    assert {"title", "trl"} <= set(caught.value.fields)
    assert revisions(db_session, live) == [] and live.title == DATA["title"]


def test_merged_record_with_none_clears_a_key(db_session, member, staff):
    listing = in_status(db_session, member, staff, "draft")
    update_listing(db_session, actor=member, listing_id=listing.id, data=merged_record(listing, {"summary": None}))
    assert listing.summary is None and listing.title == DATA["title"] and listing.trl == 6


# --- approve_revision -----------------------------------------------------------------------------------

def test_approving_a_revision_applies_it_and_segments_the_new_text(db_session, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id,
                              data={**DATA, "title": NEW_TITLE, "trl": 8})
    published_at = live.published_at
    approve_revision(db_session, actor=staff, revision_id=revision.id)
    assert revision.status is RevisionStatus.approved and revision.decided_by_id == staff.id
    assert live.title == NEW_TITLE and live.trl == 8 and live.status is ListingStatus.published
    assert "trấu" in live.tokens_title.split() and live.published_at == published_at
    assert pending_revision(db_session, live.id) is None


def test_approving_a_revision_that_clears_the_summary(db_session, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id,
                              data=merged_record(live, {"summary": None}))
    approve_revision(db_session, actor=staff, revision_id=revision.id)
    assert live.summary is None and live.description == DATA["description"]


def test_approving_a_revision_requests_a_suggestion_refresh(db_session, member, staff, live):
    db_session.execute(delete(SuggestionRefresh))  # the approval's request, served already
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    assert db_session.get(SuggestionRefresh, live.id) is None
    approve_revision(db_session, actor=staff, revision_id=revision.id)
    assert db_session.get(SuggestionRefresh, live.id) is not None


def test_the_owners_are_told_of_the_decision(db_session, new_member, member, other_member, staff, live):
    colleague = new_member("ketoan@htx.vn", "HTX Nông sản Thăng Bình")
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    approve_revision(db_session, actor=staff, revision_id=revision.id)
    for user in (member, colleague):
        [note] = notes(db_session, user, NotificationKind.revision_decided)
        assert note.params["listing_id"] == live.id
    assert notes(db_session, other_member, NotificationKind.revision_decided) == []


def test_only_staff_may_approve_a_revision(db_session, member, broker, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    for actor in (member, broker):
        with pytest.raises(PermissionDenied):
            approve_revision(db_session, actor=actor, revision_id=revision.id)
    assert revision.status is RevisionStatus.pending and live.title == DATA["title"]


def test_a_decided_revision_cannot_be_decided_again(db_session, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    approve_revision(db_session, actor=staff, revision_id=revision.id)
    with pytest.raises(Conflict):
        approve_revision(db_session, actor=staff, revision_id=revision.id)
    with pytest.raises(Conflict):
        reject_revision(db_session, actor=staff, revision_id=revision.id, reason="Muộn rồi.")
    assert revision.status is RevisionStatus.approved


def test_a_revision_of_a_listing_closed_meanwhile_cannot_be_approved(db_session, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    close_listing(db_session, actor=member, listing_id=live.id)
    with pytest.raises(Conflict):
        approve_revision(db_session, actor=staff, revision_id=revision.id)
    assert live.title == DATA["title"] and live.status is ListingStatus.closed
    assert revision.status is RevisionStatus.pending


# --- reject_revision ------------------------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "  "])
def test_rejecting_a_revision_needs_a_reason(db_session, member, staff, live, reason):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    with pytest.raises(ValidationError) as caught:
        reject_revision(db_session, actor=staff, revision_id=revision.id, reason=reason)
    assert "reason" in caught.value.fields and revision.status is RevisionStatus.pending


def test_a_rejected_revision_leaves_the_listing_as_it_was(db_session, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    reject_revision(db_session, actor=staff, revision_id=revision.id, reason="Tiêu đề không đúng nội dung.")
    assert revision.status is RevisionStatus.rejected and revision.note == "Tiêu đề không đúng nội dung."
    assert live.title == DATA["title"] and "trấu" not in live.tokens_title
    [note] = notes(db_session, member, NotificationKind.revision_decided)
    assert note.params["decision"] == "Tiêu đề không đúng nội dung."
    with pytest.raises(Conflict):
        reject_revision(db_session, actor=staff, revision_id=revision.id, reason="Lần nữa.")


def test_after_a_rejected_revision_a_new_edit_makes_a_new_revision(db_session, member, staff, live):
    first = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    reject_revision(db_session, actor=staff, revision_id=first.id, reason="Tiêu đề không đúng nội dung.")
    second = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "trl": 7})
    assert second.id != first.id and second.status is RevisionStatus.pending
    assert first.status is RevisionStatus.rejected and len(revisions(db_session, live)) == 2


# --- revision_changes and visible_revision --------------------------------------------------------------

def test_revision_changes_marks_exactly_the_changed_keys(db_session, member, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id,
                              data={**DATA, "district": "tam ky", "title": NEW_TITLE, "trl": 7})
    changes = {change.key: change for change in revision_changes(revision)}
    assert {key for key, change in changes.items() if change.changed} == {"title", "trl"}
    assert changes["title"].old == DATA["title"] and changes["title"].new == NEW_TITLE
    assert changes["district"].old == changes["district"].new == "Tam Kỳ"


def test_an_unchanged_record_makes_no_revision_and_withdraws_a_waiting_one(db_session, member, live):
    published = merged_record(live, {})
    waiting = update_listing(db_session, actor=member, listing_id=live.id, data={**published, "title": NEW_TITLE})
    assert [change.key for change in revision_changes(waiting) if change.changed] == ["title"]
    assert update_listing(db_session, actor=member, listing_id=live.id, data=published) is live
    assert pending_revision(db_session, live.id) is None and live.title == published["title"]


def test_the_owner_and_staff_see_a_revision(db_session, new_member, member, staff, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    colleague = new_member("ketoan@htx.vn", "HTX Nông sản Thăng Bình")
    for actor in (member, colleague, staff):
        assert visible_revision(db_session, actor, revision.id).id == revision.id


def test_others_do_not_learn_a_revision_exists(db_session, member, other_member, broker, live):
    revision = update_listing(db_session, actor=member, listing_id=live.id, data={**DATA, "title": NEW_TITLE})
    with pytest.raises(NotFound):
        visible_revision(db_session, other_member, revision.id)
    with pytest.raises(PermissionDenied):  # brokers know every listing, but not its unreviewed edits
        visible_revision(db_session, broker, revision.id)
    with pytest.raises(NotFound):
        visible_revision(db_session, member, revision.id + 1000)
