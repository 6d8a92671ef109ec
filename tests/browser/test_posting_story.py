"""A need is posted, reviewed, found, edited and re-reviewed in Debian's Chromium, by three people at once.

An enterprise member posts it through the form (preview first, then "Gửi duyệt") and attaches a PNG; staff approve
it from the queue; a visitor finds it by typing without diacritics; the owner's edit stays invisible to the visitor
until staff approve the revision on the side-by-side page.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from exchange.models import Listing, ListingRevision
from tests.support import PASSWORD

OLD_TITLE = "Cần máy sấy lạnh cho mít sấy dẻo"
NEW_TITLE = "Cần máy sấy bơm nhiệt cho mít sấy dẻo"
DESCRIPTION = ("Hợp tác xã chế biến mít sấy dẻo ở Thăng Bình cần một máy sấy lạnh công suất 500 kg mít tươi mỗi mẻ.\n"
               "Sấy bằng lò than làm mít thâm màu và mất vị; cần giữ màu vàng tự nhiên, độ ẩm còn dưới 18%.")
CONTACT = {"contact_name": "Trương Thị Mít Dẻo", "contact_phone": "0905 778 341",
           "contact_email": "mitsay@htxthangbinh.vn"}
SHOT_NAMES = ("form", "preview", "listing-with-attachment", "queue", "revision")


@pytest.fixture
def contexts(browser):  # type: ignore[no-untyped-def]
    """new_page() → a page in another browser context (another person's browser); all closed after the test."""
    made = []

    def new_page() -> Page:
        made.append(browser.new_context(locale="vi-VN"))
        return made[-1].new_page()

    yield new_page
    for context in made:
        context.close()


@pytest.fixture
def shot(tmp_path):  # type: ignore[no-untyped-def]
    """shot(page, name) → a full-page screenshot tmp_path/<name>.png."""

    def take(page: Page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def png(tmp_path) -> Path:
    """A small drawing of a drying line, as a PNG the member uploads."""
    image = Image.new("RGB", (480, 300), (250, 244, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 300, 240), outline=(40, 90, 60), width=6)
    draw.ellipse((330, 100, 440, 210), fill=(230, 180, 40))
    path = tmp_path / "so-do-may-say.png"
    image.save(path, format="PNG")
    return path


def open_page(page: Page, url: str) -> None:
    """Go to a page and insist it answered 200."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"


def sign_in(page: Page, live_url: str, email: str, lands_on: str) -> None:
    open_page(page, f"{live_url}/dang-nhap")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_url}{lands_on}")


def count(factory, model) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def flash(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("main .flash-success")


def fill_need(page: Page) -> None:
    page.select_option("#kind", "need")
    page.fill("#title", OLD_TITLE)
    page.fill("#summary", "Tìm máy sấy lạnh hoặc sấy bơm nhiệt cho xưởng mít sấy dẻo của hợp tác xã.")
    page.fill("#description", DESCRIPTION)
    page.select_option("#field", label="Chế biến thực phẩm")
    page.select_option("#product_type", "equipment")
    page.fill("#keywords", "mít sấy dẻo; sấy lạnh; bơm nhiệt")
    page.select_option("#trl", label="7 — Đã trình diễn mẫu trong môi trường thực tế")
    page.check("input[name=transfer_modes][value=equipment_with_technology]")
    page.check("input[name=transfer_modes][value=license]")
    page.fill("#price_min_vnd", "800 triệu")
    page.fill("#price_max_vnd", "1,25 tỷ")
    page.fill("#district", "thang binh")
    for name, value in CONTACT.items():
        page.fill(f"#{name}", value)


def post_need(page: Page, live_url: str, factory, shot) -> int:  # type: ignore[no-untyped-def]
    """The member's side of step 1: the form, the preview (nothing saved), then "Gửi duyệt"; the listing's id."""
    page.click("header.site-header nav a[href='/dang-tin']")
    page.wait_for_url(f"{live_url}/dang-tin")
    fill_need(page)
    shot(page, "form")

    page.click("main button[name=action][value=preview]")
    preview = page.locator("main section.preview")
    expect(preview.locator("> h2")).to_have_text("Xem trước — chưa lưu")
    expect(preview.locator("h1")).to_have_text(OLD_TITLE)
    expect(preview).to_contain_text("Thăng Bình")
    expect(preview).to_contain_text("800.000.000 đ – 1.250.000.000 đ")
    expect(preview).to_contain_text("Mua bán máy móc, thiết bị kèm chuyển giao công nghệ")
    expect(preview).to_contain_text("Chuyển giao quyền sử dụng công nghệ")
    expect(preview).to_contain_text("7 — Đã trình diễn mẫu trong môi trường thực tế")
    assert page.url == f"{live_url}/dang-tin"
    assert count(factory, Listing) == 0
    shot(page, "preview")

    expect(page.locator("#title")).to_have_value(OLD_TITLE)  # the preview gave the form back as typed
    page.click("main button[name=action][value=submit]")
    page.wait_for_url(re.compile(re.escape(live_url) + r"/tin/\d+$"))
    listing_id = int(page.url.rsplit("/", 1)[1])
    expect(flash(page)).to_have_text(f"Đã gửi tin N-{listing_id} để cán bộ Sở duyệt.")
    expect(page.locator("main article.listing-detail h1")).to_have_text(OLD_TITLE)
    return listing_id


def attach_png(page: Page, png: Path, shot) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("main form.upload input[type=file]", str(png))
    page.click("main form.upload button[type=submit]")
    expect(flash(page)).to_have_text("Đã thêm tệp so-do-may-say.png.")
    attachment = page.locator("#tep .attachment")
    expect(attachment).to_have_count(1)
    expect(attachment.locator("a")).to_have_text("so-do-may-say.png")
    thumbnail = attachment.locator("img")
    expect(thumbnail).to_have_count(1)
    thumbnail.evaluate("img => img.decode()")
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    shot(page, "listing-with-attachment")


def approve_from_queue(page: Page, live_url: str, listing_id: int, shot) -> None:  # type: ignore[no-untyped-def]
    rows = page.locator("main table.listings").first.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(OLD_TITLE)
    expect(rows.first).to_contain_text(f"N-{listing_id}")
    shot(page, "queue")
    rows.first.locator(f"a:text-is('{OLD_TITLE}')").click()
    page.wait_for_url(f"{live_url}/duyet-tin/{listing_id}")
    page.click("main section.decision button:text-is('Duyệt và công bố')")
    page.wait_for_url(f"{live_url}/duyet-tin")
    expect(flash(page)).to_have_text(f"Đã duyệt và công bố tin N-{listing_id}; gợi ý đang được cập nhật.")


def search(page: Page, live_url: str, words: str) -> None:
    open_page(page, f"{live_url}/tim-kiem")
    page.fill("#q", words)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(re.escape(f"{live_url}/tim-kiem?") + ".*q="))


def visitor_finds_and_opens(page: Page, live_url: str, listing_id: int) -> None:
    search(page, live_url, "may say lanh mit")
    hit = page.locator(f"main section.results article h3 a[href='/tin/{listing_id}']")
    expect(hit).to_have_text(OLD_TITLE)
    hit.click()
    page.wait_for_url(f"{live_url}/tin/{listing_id}")
    expect(page.locator("main article.listing-detail h1")).to_have_text(OLD_TITLE)
    expect(page.locator("main section.private")).to_have_count(0)
    expect(page.locator("main article.listing-detail")).to_contain_text(
        "Thông tin liên hệ chỉ được hiển thị khi hai bên đồng ý kết nối qua Sàn.")
    html = page.content()
    for value in CONTACT.values():
        assert value not in html


def edit_title(page: Page, live_url: str, listing_id: int) -> None:
    open_page(page, f"{live_url}/tin/{listing_id}")
    page.click("main .status-panel a.button:text-is('Sửa tin')")
    page.wait_for_url(f"{live_url}/tin/{listing_id}/sua")
    expect(page.locator("#district")).to_have_value("Thăng Bình")
    page.fill("#title", NEW_TITLE)
    page.click("main button[name=action][value=draft]:text-is('Gửi bản sửa để duyệt')")
    page.wait_for_url(f"{live_url}/tin/{listing_id}")
    expect(flash(page)).to_have_text("Đã gửi bản sửa; tin vẫn hiển thị như cũ cho tới khi cán bộ Sở duyệt bản sửa.")


def approve_revision_side_by_side(page: Page, live_url: str, shot) -> None:  # type: ignore[no-untyped-def]
    page.click("header.site-header nav a[href='/duyet-tin']")
    page.wait_for_url(f"{live_url}/duyet-tin")
    revisions = page.locator("main table.listings").nth(1).locator("tbody tr")
    expect(revisions).to_have_count(1)
    revisions.first.locator("a.button:text-is('So sánh')").click()
    page.wait_for_url(re.compile(re.escape(f"{live_url}/duyet-tin/ban-sua/") + r"\d+$"))
    changed = page.locator("main table.diff tbody tr.changed")
    expect(changed).to_have_count(1)  # the form gave every other value back unchanged
    expect(changed.locator("th")).to_contain_text("Tiêu đề")
    expect(changed.locator("td")).to_have_text([OLD_TITLE, NEW_TITLE])
    expect(page.locator("main table.diff tbody tr.same").first).to_be_visible()
    shot(page, "revision")
    page.click("main section.decision button:text-is('Duyệt bản sửa')")
    page.wait_for_url(f"{live_url}/duyet-tin")
    expect(flash(page)).to_have_text(re.compile(r"^Đã duyệt bản sửa của tin N-\d+\.$"))


def test_a_need_is_posted_approved_found_edited_and_its_revision_approved(
        page, contexts, live_url, people, factory, png, shot, tmp_path):
    # 1. The member signs in, lands on the dashboard, posts the need and attaches a drawing.
    sign_in(page, live_url, people["enterprise"].email, "/bang-tin")
    expect(page.locator("main h1")).to_have_text("Bảng tin")
    listing_id = post_need(page, live_url, factory, shot)
    attach_png(page, png, shot)

    # 2. Staff land on the queue, open the listing and approve it: back on the queue at once, with the flash.
    staff = contexts()
    sign_in(staff, live_url, people["staff"].email, "/duyet-tin")
    approve_from_queue(staff, live_url, listing_id, shot)
    expect(staff.locator("main")).to_contain_text("Không có tin nào chờ duyệt.")

    # 3. A visitor finds it without typing diacritics; the public page keeps the contact hidden.
    visitor = contexts()
    visitor_finds_and_opens(visitor, live_url, listing_id)
    expect(visitor.locator("#tep .attachment a")).to_have_text("so-do-may-say.png")

    # 4. The owner edits the title; the visitor still sees the published text.
    edit_title(page, live_url, listing_id)
    assert count(factory, ListingRevision) == 1
    visitor.reload()
    expect(visitor.locator("main article.listing-detail h1")).to_have_text(OLD_TITLE)

    # 5. Staff compare the revision side by side and approve it.
    approve_revision_side_by_side(staff, live_url, shot)

    # 6. The visitor now sees the new title, and finds it by the new words.
    visitor.reload()
    expect(visitor.locator("main article.listing-detail h1")).to_have_text(NEW_TITLE)
    search(visitor, live_url, "bom nhiet mit")
    expect(visitor.locator(f"main section.results article h3 a[href='/tin/{listing_id}']")).to_have_text(NEW_TITLE)

    for name in SHOT_NAMES:
        path = tmp_path / f"{name}.png"
        assert path.is_file() and path.stat().st_size > 0, name
