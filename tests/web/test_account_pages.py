"""The account pages: registration, passwords, sessions ending, activation and invitation links,
notifications and their preferences, the language switch."""
from __future__ import annotations

import email
import re
import time
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from sqlalchemy import func, select, update

from exchange.accounts.links import LinkPurpose, make_link_token
from exchange.db import utcnow
from exchange.models import (
    Invitation,
    Locality,
    LoginSession,
    Notification,
    NotificationKind,
    NotificationPreference,
    Organization,
    Role,
    User,
)
from exchange.notifications.services import notify
from tests.support import PASSWORD, csrf_token, get_user, post_form, sign_in

NEW_PASSWORD = "một mật khẩu mới hoàn toàn"
NAME_TAKEN_HINT = "Hãy nhờ một thành viên của tổ chức hoặc Sở Khoa học và Công nghệ gửi lời mời tham gia."
REGISTERED = "Đã đăng ký tổ chức."
BAD_LINK = "Liên kết không hợp lệ hoặc đã được dùng."
BAD_INVITATION = "Lời mời không hợp lệ, đã được dùng hoặc đã hết hạn (hiệu lực 7 ngày)."
# WTForms' own English messages: a Vietnamese page must never show them.
ENGLISH = ("Field cannot be longer", "Field must be", "Not a valid choice", "This field is required",
           "Invalid email", "Invalid value")


# ---- helpers -------------------------------------------------------------------------------------

def count(factory, model, *where) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/tai-khoan").status_code == 200


def field_errors(html: str) -> list[str]:
    """The messages shown next to fields and at the top of a form, in order."""
    notices = re.findall(r'<div class="notice error" role="alert">(.*?)</div>', html, re.DOTALL)
    return ([m for notice in notices for m in re.findall(r"<p>(.*?)</p>", notice, re.DOTALL)]
            + re.findall(r'<small class="field-error">(.*?)</small>', html))


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="status">(.*?)</p>', html)


def bell_count(html: str) -> int | None:
    """The unread count on the bell in the header (None: no badge)."""
    bell = re.search(r'<a class="bell"[^>]*>(.*?)</a>', html, re.DOTALL)
    assert bell is not None, "no bell in the header"
    badge = re.search(r'<span class="badge">(\d+)</span>', bell.group(1))
    return int(badge.group(1)) if badge else None


def mails_to(config, address: str) -> list[EmailMessage]:  # type: ignore[no-untyped-def]
    """The .eml files written for an address, oldest first."""
    found = []
    for path in sorted(config.mail_dir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        if address in str(message["To"]):
            found.append(message)
    return found


def link_path(message: EmailMessage, prefix: str) -> str:
    """The path of the first link under prefix in a mail's plain-text body."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}[A-Za-z0-9_.\-]+)", body)
    assert found is not None, body
    return found.group(1)


def registration(factory, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with factory() as session:
        locality = session.scalar(select(Locality.code).order_by(Locality.code))
    data = {"organization_name": "Hợp tác xã Nông nghiệp Tam Kỳ", "organization_type": "cooperative",
            "locality_code": locality, "address": "12 Trần Phú, Tam Kỳ", "contact_person": "Nguyễn Thị Hoa",
            "phone": "0235 3812 345", "organization_email": "htx-tamky@thu.vn", "full_name": "Nguyễn Thị Hoa",
            "email": "hoa@thu.vn", "password": PASSWORD, "confirm": PASSWORD}
    data.update(changes)
    return data


# ---- registration --------------------------------------------------------------------------------

def test_registration_creates_an_unverified_organization_and_its_member_signed_in(client, factory):
    response = post_form(client, "/dang-ky", registration(factory))
    assert response.status_code == 302 and response.headers["Location"] == "/tai-khoan"
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert "hoa@thu.vn" in page and "Hợp tác xã Nông nghiệp Tam Kỳ" in page and "chưa xác minh" in page
    with factory() as session:
        user = session.scalar(select(User).where(User.email == "hoa@thu.vn"))
        assert user.role is Role.enterprise and user.full_name == "Nguyễn Thị Hoa"
        assert user.organization.name == "Hợp tác xã Nông nghiệp Tam Kỳ" and user.organization.is_verified is False


def test_registration_greets_the_new_member_with_a_flash_on_its_account_page(client, factory):
    response = post_form(client, "/dang-ky", registration(factory), follow_redirects=True)
    assert response.request.path == "/tai-khoan"
    assert any(REGISTERED in text for text in flashes(response.get_data(as_text=True)))


def test_the_organization_type_must_be_a_known_one(client, factory):
    response = post_form(client, "/dang-ky", registration(factory, organization_type="hội quán"))
    html = response.get_data(as_text=True)
    assert response.status_code in (400, 422) and field_errors(html)
    assert [english for english in ENGLISH if english in html] == []
    assert count(factory, Organization) == 0


@pytest.mark.parametrize("name", ["Công ty Thử nghiệm", "  công ty   THỬ NGHIỆM  "])
def test_registering_an_existing_organization_shows_the_invitation_hint_and_changes_nothing(client, people, factory,
                                                                                          name):
    before = (count(factory, Organization), count(factory, User))
    response = post_form(client, "/dang-ky", registration(factory, organization_name=name))
    assert response.status_code == 422
    assert any(NAME_TAKEN_HINT in text for text in field_errors(response.get_data(as_text=True)))
    assert (count(factory, Organization), count(factory, User)) == before
    assert not is_signed_in(client)


@pytest.mark.parametrize("changes,status,shown", [
    ({"email": "a" * 250 + "@thu.vn"}, 400, "Tối đa 254 ký tự."),
    ({"email": "khong-phai-email"}, 422, "Địa chỉ e-mail không hợp lệ."),
    ({"email": "hai@@thu.vn"}, 422, "Địa chỉ e-mail không hợp lệ."),
    ({"password": "a" * 10_000, "confirm": "a" * 10_000}, 422, "Mật khẩu dài tối đa 128 ký tự."),
    ({"password": "ngắn", "confirm": "ngắn"}, 422, "Mật khẩu phải có ít nhất 10 ký tự."),
    ({"password": "matkhau123", "confirm": "matkhau123"}, 422, "Mật khẩu này quá phổ biến"),
    ({"confirm": "một mật khẩu khác hẳn"}, 400, "Hai lần nhập không khớp."),
    ({"phone": "gọi tôi nhé"}, 422, "Số điện thoại không hợp lệ."),
    ({"full_name": ""}, 400, "Bắt buộc."),
], ids=["overlong e-mail", "no @", "two @", "10,000-character password", "short password", "common password",
        "mismatched confirmation", "phone", "no name"])
def test_bad_registration_input_is_refused_in_vietnamese_and_creates_nothing(client, factory, changes, status, shown):
    response = post_form(client, "/dang-ky", registration(factory, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert any(shown in text for text in field_errors(html)), field_errors(html)
    assert [english for english in ENGLISH if english in html] == []
    assert (count(factory, Organization), count(factory, User)) == (0, 0)
    assert not is_signed_in(client)


def test_registration_without_csrf_token_is_400_and_creates_nothing(client, factory):
    client.get("/dang-ky")
    response = client.post("/dang-ky", data=registration(factory))
    assert response.status_code == 400
    assert "chưa có gì được thay đổi" in response.get_data(as_text=True)
    assert (count(factory, Organization), count(factory, User)) == (0, 0)


# ---- password and sessions -----------------------------------------------------------------------

def change_password(client, current: str, new: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return post_form(client, "/tai-khoan/mat-khau", {"current": current, "password": new, "confirm": new})


def test_a_wrong_current_password_is_422_and_changes_nothing(signed_in, people, factory):
    before = get_user(factory, people["enterprise"].id)
    response = change_password(signed_in("enterprise"), "không phải mật khẩu này")
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in field_errors(response.get_data(as_text=True))
    after = get_user(factory, people["enterprise"].id)
    assert (after.password_hash, after.session_version) == (before.password_hash, before.session_version)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, signed_in, people):
    other = app.test_client()
    assert sign_in(other, people["enterprise"].email).status_code == 302
    client = signed_in("enterprise")
    response = change_password(client, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/tai-khoan"
    page = client.get("/tai-khoan")
    assert page.status_code == 200
    assert any("Đã đổi mật khẩu." in text for text in flashes(page.get_data(as_text=True)))
    assert not is_signed_in(other)


def test_after_a_password_change_only_the_new_password_signs_in(app, signed_in, people):
    change_password(signed_in("enterprise"), PASSWORD)
    assert sign_in(app.test_client(), people["enterprise"].email).status_code == 401
    assert sign_in(app.test_client(), people["enterprise"].email, NEW_PASSWORD).status_code == 302


def test_sign_out_everywhere_ends_another_clients_session(app, signed_in, people):
    other = app.test_client()
    assert sign_in(other, people["broker"].email).status_code == 302
    client = signed_in("broker")
    response = post_form(client, "/tai-khoan/dang-xuat-moi-noi", page="/tai-khoan")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not is_signed_in(other) and not is_signed_in(client)


def test_sign_out_everywhere_leaves_other_users_signed_in(signed_in):
    post_form(signed_in("broker"), "/tai-khoan/dang-xuat-moi-noi", page="/tai-khoan")
    assert is_signed_in(signed_in("enterprise"))


def test_a_copied_cookie_stops_working_when_its_session_signs_out(app, signed_in):
    original = signed_in("staff")
    cookie = original.get_cookie("session")
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert is_signed_in(copy)  # the copy does work while the session lives
    assert post_form(original, "/dang-xuat", page="/tai-khoan").status_code == 302
    response = copy.get("/tai-khoan")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dang-nhap")


def test_a_session_idle_for_a_few_minutes_can_still_post_a_form(signed_in, people, factory):
    # Session bookkeeping (last_seen_at) is written once a minute in its own transaction; the form's own
    # write right after it must still go through (on SQLite both share one database file).
    client = signed_in("enterprise")
    token = csrf_token(client.get("/thong-bao").get_data(as_text=True))
    with factory.begin() as session:  # the member reads the page, then waits five minutes before clicking
        session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
        notify(session, user=session.get(User, people["enterprise"].id), kind=NotificationKind.message,
               params={"organization": "HTX", "title": "Máy sấy"})
    response = client.post("/thong-bao/da-doc-tat-ca", data={"csrf_token": token})
    assert response.status_code == 302
    assert count(factory, Notification, Notification.read_at.is_(None)) == 0


# ---- accounts made by staff: the activation link -------------------------------------------------

@pytest.fixture
def activation(signed_in, config, factory):  # type: ignore[no-untyped-def]
    """Staff create a broker account; → (the user's id, the path of the activation link in its mail)."""
    response = post_form(signed_in("staff"), "/quan-tri/nguoi-dung",
                         {"email": "moi-gioi@thu.vn", "full_name": "Trần Văn Mới", "role": "broker"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with factory() as session:
        user_id = session.scalar(select(User.id).where(User.email == "moi-gioi@thu.vn"))
    mails = mails_to(config, "moi-gioi@thu.vn")
    assert len(mails) == 1
    return user_id, link_path(mails[0], "/kich-hoat/")


def set_password(client, path: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return post_form(client, path, {"password": password, "confirm": password})


def test_staff_create_a_broker_account_waiting_for_its_password(activation, factory):
    user = get_user(factory, activation[0])
    assert user.role is Role.broker and user.full_name == "Trần Văn Mới" and not user.has_password


def test_following_the_activation_link_sets_the_password_and_signs_in(app, activation, factory):
    user_id, path = activation
    client = app.test_client()
    assert client.get(path).status_code == 200
    response = set_password(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/tai-khoan"
    assert "moi-gioi@thu.vn" in client.get("/tai-khoan").get_data(as_text=True)
    assert get_user(factory, user_id).has_password
    assert sign_in(app.test_client(), "moi-gioi@thu.vn", NEW_PASSWORD).status_code == 302


def test_activation_greets_the_member_with_a_flash(app, activation):
    client = app.test_client()
    response = set_password(client, activation[1])
    assert response.status_code == 302
    assert any("Tài khoản đã được kích hoạt." in t for t in flashes(client.get("/tai-khoan").get_data(as_text=True)))


def test_a_used_activation_link_is_refused_in_vietnamese_and_changes_nothing(app, activation, factory):
    user_id, path = activation
    set_password(app.test_client(), path)
    before = get_user(factory, user_id)
    again = app.test_client()
    response = set_password(again, path, "kẻ khác đoán mật khẩu này")
    assert response.status_code == 422
    assert BAD_LINK in field_errors(response.get_data(as_text=True))
    after = get_user(factory, user_id)
    assert (after.password_hash, after.session_version) == (before.password_hash, before.session_version)
    assert not is_signed_in(again)


def test_an_expired_activation_link_is_refused_in_vietnamese_and_changes_nothing(app, activation, factory,
                                                                                monkeypatch):
    from itsdangerous.timed import TimestampSigner

    user_id = activation[0]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 8 * 24 * 3600)
    old = make_link_token(app.secret_key, LinkPurpose.activation, get_user(factory, user_id))
    monkeypatch.undo()
    client = app.test_client()
    response = set_password(client, f"/kich-hoat/{old}")
    assert response.status_code == 422
    assert "Liên kết kích hoạt đã hết hạn; hãy nhờ cán bộ Sở gửi lại." in field_errors(response.get_data(as_text=True))
    assert not get_user(factory, user_id).has_password and not is_signed_in(client)


def test_a_refused_link_says_why_once(app, activation):
    path = activation[1]
    set_password(app.test_client(), path)
    response = set_password(app.test_client(), path, "kẻ khác đoán mật khẩu này")
    assert field_errors(response.get_data(as_text=True)) == [BAD_LINK]


@pytest.mark.parametrize("token", ["khong-hop-le", "eyJ1IjoxLCJ2IjoxfQ.forged.signature"])
def test_a_forged_activation_link_is_refused(app, activation, factory, token):
    response = set_password(app.test_client(), f"/kich-hoat/{token}")
    assert response.status_code == 422 and BAD_LINK in field_errors(response.get_data(as_text=True))
    assert not get_user(factory, activation[0]).has_password


# ---- invitations ---------------------------------------------------------------------------------

@pytest.fixture
def invitation_path(signed_in, people, config):  # type: ignore[no-untyped-def]
    """The enterprise member invites a colleague; → the path of the link in the mail."""
    response = post_form(signed_in("enterprise"), "/to-chuc/moi", {"email": "dong-nghiep@thu.vn"}, page="/to-chuc")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    mails = mails_to(config, "dong-nghiep@thu.vn")
    assert len(mails) == 1
    return link_path(mails[0], "/loi-moi/")


def accept(client, path: str, full_name: str = "Lê Văn Đồng"):  # type: ignore[no-untyped-def]
    return post_form(client, path, {"full_name": full_name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def test_the_invitation_is_pending_on_the_organization_page(signed_in, invitation_path):
    page = signed_in("enterprise").get("/to-chuc").get_data(as_text=True)
    assert "dong-nghiep@thu.vn" in page and "Lời mời đang chờ" in page


def test_accepting_an_invitation_makes_a_member_of_the_organization_signed_in(app, signed_in, people, factory,
                                                                            invitation_path):
    client = app.test_client()
    landing = client.get(invitation_path)
    assert landing.status_code == 200 and "Công ty Thử nghiệm" in landing.get_data(as_text=True)
    response = accept(client, invitation_path)
    assert response.status_code == 302 and response.headers["Location"] == "/tai-khoan"
    assert is_signed_in(client)
    with factory() as session:
        member = session.scalar(select(User).where(User.email == "dong-nghiep@thu.vn"))
        assert member.role is Role.enterprise and member.organization_id == people["enterprise"].organization_id
    assert "Lê Văn Đồng" in signed_in("enterprise").get("/to-chuc").get_data(as_text=True)


def test_a_used_invitation_is_refused_in_vietnamese_and_changes_nothing(app, factory, invitation_path):
    accept(app.test_client(), invitation_path)
    before = count(factory, User)
    again = app.test_client()
    for response in (again.get(invitation_path), accept(again, invitation_path, "Kẻ Khác")):
        assert response.status_code == 400 and BAD_INVITATION in response.get_data(as_text=True)
    assert count(factory, User) == before and not is_signed_in(again)


def test_an_expired_invitation_is_refused_in_vietnamese_and_creates_nothing(app, factory, invitation_path):
    with factory.begin() as session:
        session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    client = app.test_client()
    response = client.get(invitation_path)
    assert response.status_code == 400 and BAD_INVITATION in response.get_data(as_text=True)
    assert count(factory, User, User.email == "dong-nghiep@thu.vn") == 0


def test_a_second_invitation_to_the_same_address_withdraws_the_first(app, signed_in, config, invitation_path):
    post_form(signed_in("enterprise"), "/to-chuc/moi", {"email": "dong-nghiep@thu.vn"}, page="/to-chuc")
    second = link_path(mails_to(config, "dong-nghiep@thu.vn")[-1], "/loi-moi/")
    assert second != invitation_path
    assert app.test_client().get(invitation_path).status_code == 400
    assert app.test_client().get(second).status_code == 200


def test_inviting_an_address_that_has_an_account_is_422_in_vietnamese(signed_in, people, factory):
    response = post_form(signed_in("enterprise"), "/to-chuc/moi", {"email": people["broker"].email}, page="/to-chuc")
    assert response.status_code == 422
    assert "E-mail này đã có tài khoản." in field_errors(response.get_data(as_text=True))
    assert count(factory, Invitation) == 0


# ---- notifications -------------------------------------------------------------------------------

@pytest.fixture
def two_notes(people, factory):  # type: ignore[no-untyped-def]
    """Two unread notifications of the enterprise member."""
    with factory.begin() as session:
        user = session.get(User, people["enterprise"].id)
        notify(session, user=user, kind=NotificationKind.listing_approved, params={"title": "Máy sấy chuối"},
               link="/tin/1")
        notify(session, user=user, kind=NotificationKind.contact_requested,
               params={"organization": "HTX Tiên Phước", "title": "Máy sấy chuối"})


def test_the_notifications_page_lists_them_newest_first(signed_in, two_notes):
    html = signed_in("enterprise").get("/thong-bao").get_data(as_text=True)
    approved = html.find("Tin “Máy sấy chuối” đã được duyệt và công bố.")
    contact = html.find("HTX Tiên Phước muốn liên hệ về tin “Máy sấy chuối”.")
    assert 0 < contact < approved


def test_the_bell_counts_the_unread_notifications_on_every_page(signed_in, two_notes):
    client = signed_in("enterprise")
    assert [bell_count(client.get(path).get_data(as_text=True)) for path in ("/", "/tai-khoan", "/tim-kiem")] == [2] * 3


def test_the_bell_counts_only_ones_own_notifications(signed_in, two_notes):
    assert bell_count(signed_in("broker").get("/").get_data(as_text=True)) is None


def test_mark_all_read_zeroes_the_bell(signed_in, two_notes, factory):
    client = signed_in("enterprise")
    response = post_form(client, "/thong-bao/da-doc-tat-ca", page="/thong-bao")
    assert response.status_code == 302
    assert bell_count(client.get("/thong-bao").get_data(as_text=True)) is None
    assert count(factory, Notification, Notification.read_at.is_(None)) == 0


def test_opening_one_notification_marks_it_read_and_follows_its_link(signed_in, two_notes, factory):
    with factory() as session:
        note = session.scalar(select(Notification).where(Notification.link.is_not(None)))
    response = post_form(signed_in("enterprise"), f"/thong-bao/{note.id}/da-doc", {"next": note.link},
                         page="/thong-bao")
    assert response.status_code == 302 and response.headers["Location"] == "/tin/1"
    assert count(factory, Notification, Notification.read_at.is_(None)) == 1


# ---- notification preferences --------------------------------------------------------------------

def saved_preferences(factory, user_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with factory() as session:
        rows = session.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                               .where(NotificationPreference.user_id == user_id))
        return {kind.value: delivery.value for kind, delivery in rows}


def test_a_preference_is_saved_and_shown_checked(signed_in, people, factory):
    client = signed_in("enterprise")
    response = post_form(client, "/thong-bao/cai-dat", {"listing_approved": "daily", "message": "never"})
    assert response.status_code == 302
    assert saved_preferences(factory, people["enterprise"].id) == {"listing_approved": "daily", "message": "never"}
    html = client.get("/thong-bao/cai-dat").get_data(as_text=True)
    assert re.search(r'name="listing_approved" value="daily"[^>]*checked', html)


@pytest.mark.parametrize("choices", [{"listing_approved": "hourly"}, {"listing_approved": "daily", "message": ""},
                                     {"message": "DAILY"}])
def test_an_unknown_preference_value_is_422_and_saves_nothing(signed_in, people, factory, choices):
    response = post_form(signed_in("enterprise"), "/thong-bao/cai-dat", choices)
    assert response.status_code == 422
    assert "Chỉ nhận: immediately, daily, never." in response.get_data(as_text=True)
    assert saved_preferences(factory, people["enterprise"].id) == {}


# ---- the language switch -------------------------------------------------------------------------

def html_lang(client, path: str = "/") -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<html lang="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_pages_are_vietnamese_by_default(client):
    assert html_lang(client) == "vi"


def test_a_visitor_switching_to_english_is_remembered(client):
    response = post_form(client, "/ngon-ngu", {"lang": "en", "next": "/tim-kiem"}, page="/")
    assert response.status_code == 302 and response.headers["Location"] == "/tim-kiem"
    assert [html_lang(client, path) for path in ("/", "/tim-kiem", "/dang-nhap")] == ["en", "en", "en"]


def test_the_visitors_language_survives_signing_in(client, people):
    post_form(client, "/ngon-ngu", {"lang": "en", "next": "/"}, page="/")
    sign_in(client, people["enterprise"].email)
    assert html_lang(client, "/tai-khoan") == "en"


def test_a_members_language_is_saved_on_its_account_and_follows_it_to_another_browser(app, signed_in, people,
                                                                                       factory):
    post_form(signed_in("broker"), "/ngon-ngu", {"lang": "en", "next": "/"}, page="/")
    assert get_user(factory, people["broker"].id).language == "en"
    elsewhere = app.test_client()
    sign_in(elsewhere, people["broker"].email)
    assert html_lang(elsewhere, "/tai-khoan") == "en"


@pytest.mark.parametrize("lang", ["fr", "", "en-US"])
def test_an_unknown_language_changes_nothing(client, lang):
    post_form(client, "/ngon-ngu", {"lang": lang, "next": "/"}, page="/")
    assert html_lang(client) == "vi"


def test_switching_back_to_vietnamese_works(client):
    post_form(client, "/ngon-ngu", {"lang": "en", "next": "/"}, page="/")
    post_form(client, "/ngon-ngu", {"lang": "vi", "next": "/"}, page="/")
    assert html_lang(client) == "vi"
