"""The staff review pages through signed-in browsers: the queue and its filters, approval, rejection with a
reason, revisions of published listings side by side, and escaping on the review page and in notifications."""
from __future__ import annotations

import html as htmllib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from exchange.db import utcnow
from exchange.listings.moderation import approve_listing
from exchange.listings.services import create_listing
from exchange.models import Listing, ListingRevision, Notification, NotificationKind, User
from tests.support import add_person, post_form

FORM = {"kind": "offer", "title": "Dây chuyền chế biến hạt điều rang muối",
        "description": "Rang, tách vỏ lụa và đóng gói hạt điều 300 kg/giờ.", "field": "che-bien-thuc-pham",
        "keywords": "hạt điều; rang muối", "trl": "8", "district": "Điện Bàn", "contact_phone": "0235 3 123 456"}
REASON = "Thiếu công suất điện và giá chào của dây chuyền."
PAYLOAD = "<script>alert('xss')</script>"


def post_listing(client, action="submit", **fields):  # type: ignore[no-untyped-def]
    response = post_form(client, "/dang-tin", {**FORM, **fields, "action": action})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1])


def listing(factory, listing_id: int) -> Listing:  # type: ignore[no-untyped-def]
    with factory() as session:
        row = session.get(Listing, listing_id)
        session.expunge(row)
        return row


def notes(factory, user_id: int, kind: NotificationKind) -> list[Notification]:  # type: ignore[no-untyped-def]
    with factory() as session:
        return list(session.scalars(select(Notification).where(Notification.user_id == user_id,
                                                               Notification.kind == kind)))


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def approve(factory, people, listing_id: int) -> None:  # type: ignore[no-untyped-def]
    with factory.begin() as session:
        approve_listing(session, actor=session.get(User, people["staff"].id), listing_id=listing_id)


# ---- the queue ---------------------------------------------------------------------------------------

@pytest.fixture
def queue(signed_in, factory, people):  # type: ignore[no-untyped-def]
    """Three submitted listings (waiting 1, 3 and 2 days; the last of an organization new to the exchange)
    and one published listing of the enterprise member's organization."""
    client = signed_in("enterprise")
    published = post_listing(client, title="Máy sấy bơm nhiệt cho cá cơm")
    approve(factory, people, published)
    ids = {"offer": post_listing(client, title="Máy tách vỏ hạt điều bằng hơi nước"),
           "need": post_listing(client, kind="need", title="Cần quy trình nuôi tôm thẻ trong nhà màng")}
    newcomer = add_person(factory, "enterprise", email="htx@dieu.vn", organization="HTX Chế biến Điều Quế Sơn")
    with factory.begin() as session:
        ids["new"] = create_listing(session, actor=session.get(User, newcomer.id), submit=True, data={
            "kind": "offer", "title": "Lò rang hạt điều dùng vỏ điều làm chất đốt",
            "description": "Lò rang đốt vỏ điều, tiết kiệm củi."}).id
        for name, days in (("offer", 1), ("need", 3), ("new", 2)):
            session.get(Listing, ids[name]).submitted_at = utcnow() - timedelta(days=days)
    return ids


def titles_in_order(page: str) -> list[str]:
    section = page.split("Tin chờ duyệt", 1)[1].split("Bản sửa chờ duyệt", 1)[0]
    return [htmllib.unescape(t) for t in re.findall(r'<a href="/duyet-tin/\d+">([^<]+)</a>', section)]


def test_the_queue_lists_submitted_listings_oldest_first(signed_in, queue):
    page = text(signed_in("staff").get("/duyet-tin"))
    assert titles_in_order(page) == ["Cần quy trình nuôi tôm thẻ trong nhà màng",
                                     "Lò rang hạt điều dùng vỏ điều làm chất đốt", "Máy tách vỏ hạt điều bằng hơi nước"]
    assert "Tin chờ duyệt (3)" in page and "Máy sấy bơm nhiệt cho cá cơm" not in page


def test_the_queue_filters_by_kind_and_by_new_organization(signed_in, queue):
    staff = signed_in("staff")
    assert titles_in_order(text(staff.get("/duyet-tin?loai=need"))) == ["Cần quy trình nuôi tôm thẻ trong nhà màng"]
    page = text(staff.get("/duyet-tin?to-chuc-moi=1"))
    assert titles_in_order(page) == ["Lò rang hạt điều dùng vỏ điều làm chất đốt"]
    assert "HTX Chế biến Điều Quế Sơn" in page and "tổ chức mới" in page


# ---- approval and rejection ----------------------------------------------------------------------------

def test_approving_publishes_notifies_the_poster_and_says_suggestions_follow(signed_in, factory, people):
    listing_id = post_listing(signed_in("enterprise"))
    staff = signed_in("staff")
    response = post_form(staff, f"/duyet-tin/{listing_id}/duyet", page=f"/duyet-tin/{listing_id}")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/duyet-tin"
    flash = re.search(r'class="flash flash-success"[^>]*>([^<]+)<', text(staff.get("/duyet-tin"))).group(1)
    assert f"O-{listing_id}" in flash and "gợi ý" in flash
    row = listing(factory, listing_id)
    assert row.status.value == "published" and row.expires_at is not None and row.first_published_at is not None
    (note,) = notes(factory, people["enterprise"].id, NotificationKind.listing_approved)
    assert note.params["title"] == FORM["title"] and note.link == f"/tin/{listing_id}"


def test_rejecting_without_a_reason_is_a_422_and_changes_nothing(signed_in, factory, people):
    listing_id = post_listing(signed_in("enterprise"))
    response = post_form(signed_in("staff"), f"/duyet-tin/{listing_id}/tu-choi", {"reason": "  "},
                         page=f"/duyet-tin/{listing_id}")
    page = text(response)
    assert response.status_code == 422 and "Cần nêu lý do từ chối để người đăng biết cần sửa gì." in page
    box = re.search(r'<div class="field has-error">(.*?)</div>', page, re.S).group(1)
    assert 'name="reason"' in box and "Bắt buộc." in box
    row = listing(factory, listing_id)
    assert (row.status.value, row.review_note) == ("submitted", None)
    assert notes(factory, people["enterprise"].id, NotificationKind.listing_rejected) == []


def test_a_rejection_reason_reaches_the_poster_on_my_listings_and_on_the_listing_page(signed_in, factory):
    poster = signed_in("enterprise")
    listing_id = post_listing(poster)
    response = post_form(signed_in("staff"), f"/duyet-tin/{listing_id}/tu-choi", {"reason": REASON},
                         page=f"/duyet-tin/{listing_id}")
    assert response.status_code == 302
    assert listing(factory, listing_id).status.value == "rejected"
    assert REASON in text(poster.get("/tin-cua-toi"))
    page = text(poster.get(f"/tin/{listing_id}"))
    assert "Lý do chưa được duyệt:" in page and REASON in page


# ---- revisions of a published listing ------------------------------------------------------------------

@pytest.fixture
def revised(signed_in, factory, people):  # type: ignore[no-untyped-def]
    """A published listing whose owner sent an edit with a new title (listing id, revision id)."""
    poster = signed_in("enterprise")
    listing_id = post_listing(poster)
    approve(factory, people, listing_id)
    response = post_form(poster, f"/tin/{listing_id}/sua", {**FORM, "title": "Dây chuyền rang hạt điều 500 kg/giờ",
                                                            "action": "draft"})
    assert response.status_code == 302
    assert "tin vẫn hiển thị như cũ" in text(poster.get(f"/tin/{listing_id}"))
    with factory() as session:
        revision_id = session.scalar(select(ListingRevision.id).where(ListingRevision.listing_id == listing_id))
    return listing_id, revision_id


def test_editing_a_published_listing_keeps_the_old_title_on_the_public_page(client, revised):
    listing_id, _ = revised
    page = text(client.get(f"/tin/{listing_id}"))
    assert "Dây chuyền chế biến hạt điều rang muối" in page and "500 kg/giờ" not in page


def test_the_revision_page_shows_old_and_new_side_by_side_and_marks_the_changed_rows(signed_in, revised):
    listing_id, revision_id = revised
    staff = signed_in("staff")
    assert f'href="/duyet-tin/ban-sua/{revision_id}"' in text(staff.get("/duyet-tin"))
    page = text(staff.get(f"/duyet-tin/ban-sua/{revision_id}"))
    rows = {htmllib.unescape(re.search(r'<th scope="row">([^<]+)', row).group(1)).strip(): (cls, row)
            for cls, row in re.findall(r'<tr class="(changed|same)">(.*?)</tr>', page, re.S)}
    cls, title_row = rows["Tiêu đề"]
    assert cls == "changed" and "đã đổi" in title_row
    assert re.findall(r'<td class="pre">([^<]*)</td>', title_row) == ["Dây chuyền chế biến hạt điều rang muối",
                                                                     "Dây chuyền rang hạt điều 500 kg/giờ"]
    assert rows["Mô tả"][0] == "same" and rows["Địa phương"][0] == "same"
    assert [label for label, (c, _) in rows.items() if c == "changed"] == ["Tiêu đề"]


def test_approving_the_revision_publishes_the_new_title(signed_in, client, factory, people, revised):
    listing_id, revision_id = revised
    response = post_form(signed_in("staff"), f"/duyet-tin/ban-sua/{revision_id}/duyet",
                         page=f"/duyet-tin/ban-sua/{revision_id}")
    assert response.status_code == 302
    page = text(client.get(f"/tin/{listing_id}"))
    assert "Dây chuyền rang hạt điều 500 kg/giờ" in page and "Dây chuyền chế biến hạt điều rang muối" not in page
    assert notes(factory, people["enterprise"].id, NotificationKind.revision_decided)


def test_rejecting_a_revision_without_a_reason_is_a_422_and_keeps_it_waiting(signed_in, factory, revised):
    _, revision_id = revised
    response = post_form(signed_in("staff"), f"/duyet-tin/ban-sua/{revision_id}/tu-choi", {"reason": ""},
                         page=f"/duyet-tin/ban-sua/{revision_id}")
    assert response.status_code == 422 and "Bắt buộc." in text(response)
    with factory() as session:
        assert session.get(ListingRevision, revision_id).status.value == "pending"


# ---- escaping ------------------------------------------------------------------------------------------

def test_script_is_escaped_on_the_review_page_and_in_the_notification_text(signed_in, factory):
    poster = signed_in("enterprise")
    fields = ("title", "summary", "description", "origin", "specifications", "advantages", "contact_name",
              "confidential_details", "nda_text")
    listing_id = post_listing(poster, **{name: f"Hạt điều {PAYLOAD}" for name in fields})
    staff = signed_in("staff")
    review, queue_page = text(staff.get(f"/duyet-tin/{listing_id}")), text(staff.get("/duyet-tin"))
    assert post_form(staff, f"/duyet-tin/{listing_id}/tu-choi", {"reason": f"Lý do {PAYLOAD}"},
                     page=f"/duyet-tin/{listing_id}").status_code == 302
    pages = [review, queue_page, text(poster.get("/bang-tin")), text(poster.get("/thong-bao"))]
    for page, least in zip(pages, (len(fields), 1, 2, 2)):
        assert "<script>alert" not in page
        assert page.count("&lt;script&gt;alert(") >= least
    assert "chưa được duyệt: Lý do &lt;script&gt;alert(" in pages[3]


def test_the_staff_menu_counts_what_waits_for_review_listings_and_revisions(signed_in, factory, people):
    member, staff = signed_in("enterprise"), signed_in("staff")
    badge = re.compile(r'href="/duyet-tin">[^<]*<span class="badge">(\d+)</span>')
    assert badge.search(text(staff.get("/"))) is None  # nothing waits: no badge
    first = post_listing(member)
    post_listing(member, title="Máy tách vỏ lụa hạt điều")
    assert badge.search(text(staff.get("/"))).group(1) == "2"
    approve(factory, people, first)
    post_form(member, f"/tin/{first}/sua", {**FORM, "title": "Dây chuyền rang hạt điều", "action": "draft"})
    assert badge.search(text(staff.get("/"))).group(1) == "2"  # one listing and one revision
    assert badge.search(text(member.get("/"))) is None  # members have no review menu
