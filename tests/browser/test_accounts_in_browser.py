"""An organization registers in a real browser, turns on the second factor, signs out and back in; a copied cookie dies."""
from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import make_url

SHOTS = Path("/tmp/shots")  # for people to look at, never asserted and never inside the repository
PASSWORD = "Trồng quế ở Trà My từ năm 2010"
MEMBER = {
    "organization_name": "Hợp tác xã Quế Bắc Trà My",
    "address": "Thôn 2, xã Trà Đốc",
    "contact_person": "Hồ Văn Quế",
    "phone": "0235 3881 234",
    "organization_email": "htx@quetramy.vn",
    "full_name": "Hồ Thị Mai",
    "email": "mai@quetramy.vn",
}
LOCALITY = "Bắc Trà My (Quảng Nam)"


@pytest.fixture
def contexts(browser):  # type: ignore[no-untyped-def]
    """new() → another browser context (another person's browser); all closed after the test."""
    made = []

    def new():  # type: ignore[no-untyped-def]
        made.append(browser.new_context(locale="vi-VN"))
        return made[-1]

    yield new
    for context in made:
        context.close()


@pytest.fixture
def shot(database_url):  # type: ignore[no-untyped-def]
    """shot(page, name) → a full-page screenshot /tmp/shots/browser-<backend>-<n>-<name>.png."""
    backend = make_url(database_url).get_backend_name()
    counter = iter(range(1, 100))
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"browser-{backend}-{next(counter):02}-{name}.png"), full_page=True)

    return take


def open_page(page: Page, url: str) -> None:
    """Go to a page and insist it answered 200 (an error page would otherwise only show as a later timeout)."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"


def submit(page: Page) -> None:
    """Press the page's own form button (the footer's language form has one too)."""
    page.click("main form button[type=submit]")


def sign_in_with_password(page: Page, live_url: str) -> None:
    open_page(page, f"{live_url}/dang-nhap")
    page.fill("#email", MEMBER["email"])
    page.fill("#password", PASSWORD)
    submit(page)


def register(page: Page, live_url: str) -> None:
    open_page(page, f"{live_url}/dang-ky")
    page.select_option("#organization_type", label="Hợp tác xã")
    page.select_option("#locality_code", label=LOCALITY)
    for name, value in MEMBER.items():
        page.fill(f"#{name}", value)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    submit(page)


def test_a_new_organization_is_told_after_registering_that_staff_will_verify_it(page, live_url):
    register(page, live_url)
    page.wait_for_url(f"{live_url}/tai-khoan")
    expect(page.locator("main .flash-success")).to_have_text(
        "Đã đăng ký tổ chức. Tổ chức sẽ được cán bộ Sở xác minh; trong lúc chờ bạn vẫn dùng Sàn bình thường.")


def test_register_turn_on_two_step_sign_in_sign_out_and_back_in_while_the_old_cookie_stops_working(
        page, live_url, contexts, shot):
    # Register: the new member is signed in on its own account page.
    register(page, live_url)
    page.wait_for_url(f"{live_url}/tai-khoan")
    expect(page.locator("header.site-header nav a[href='/tai-khoan']")).to_have_text(MEMBER["full_name"])
    expect(page.locator("main dl.facts")).to_contain_text(MEMBER["organization_name"])
    expect(page.locator("main dl.facts")).to_contain_text("chưa xác minh")
    shot(page, "registered")

    # Turn on the second factor with the code an authenticator app would show.
    open_page(page, f"{live_url}/tai-khoan/xac-thuc-hai-buoc")
    secret = page.locator("#totp-secret").inner_text().strip()
    shot(page, "mfa-setup")
    used_code = pyotp.TOTP(secret).now()
    page.fill("#code", used_code)
    submit(page)
    codes = page.locator("main ul.codes li code")
    expect(codes).to_have_count(10)
    recovery = codes.all_inner_texts()
    assert len(set(recovery)) == 10
    shot(page, "recovery-codes")

    # A copy of this browser's cookies works while the session lasts (so the last step proves the sign-out).
    saved = page.context.cookies()
    while_signed_in = contexts().new_page()
    while_signed_in.context.add_cookies(saved)
    while_signed_in.goto(f"{live_url}/tai-khoan")
    expect(while_signed_in.locator("main h1")).to_have_text("Tài khoản của tôi")
    assert while_signed_in.url == f"{live_url}/tai-khoan"

    # Sign out with the header's button.
    page.click("header.site-header button:has-text('Đăng xuất')")
    page.wait_for_url(f"{live_url}/")
    expect(page.locator("main .flash-notice")).to_have_text("Bạn đã đăng xuất.")
    expect(page.locator("header.site-header nav")).not_to_contain_text(MEMBER["full_name"])

    # Sign in again: the password is not enough, the second-factor page asks for a code.
    sign_in_with_password(page, live_url)
    page.wait_for_url(f"{live_url}/dang-nhap/xac-thuc")
    expect(page.locator("main h1")).to_have_text("Xác thực hai bước")
    shot(page, "second-factor")

    # The code already used to turn the factor on is refused as a replay.
    page.fill("#code", used_code)
    submit(page)
    expect(page.locator("main [role=alert]")).to_have_text("Mã xác thực không đúng hoặc đã được dùng.")
    assert page.url == f"{live_url}/dang-nhap/xac-thuc"
    shot(page, "replay-refused")

    # A recovery code lets the member in, and is used up.
    page.fill("#code", recovery[0])
    submit(page)
    page.wait_for_url(f"{live_url}/bang-tin")  # members land on their dashboard
    expect(page.locator("header.site-header nav a[href='/tai-khoan']")).to_have_text(MEMBER["full_name"])
    page.goto(f"{live_url}/tai-khoan")
    expect(page.locator("main dl.facts")).to_contain_text("Đang bật (còn 9 mã khôi phục)")
    shot(page, "signed-in-again")

    # The cookies saved before signing out open nothing any more.
    after_sign_out = contexts().new_page()
    after_sign_out.context.add_cookies(saved)
    after_sign_out.goto(f"{live_url}/tai-khoan")
    after_sign_out.wait_for_url(re.compile(re.escape(f"{live_url}/dang-nhap") + r"(\?|$)"))
    expect(after_sign_out.locator("main h1")).to_have_text("Đăng nhập")
    expect(after_sign_out.locator("header.site-header nav")).not_to_contain_text(MEMBER["full_name"])
    shot(after_sign_out, "old-cookie-refused")
