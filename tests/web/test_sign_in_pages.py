"""Signing in and out in the browser pages: the form, the session, wrong credentials, CSRF, next."""
from __future__ import annotations

import pytest

from tests.support import PASSWORD, post_form, sign_in


def test_login_page_is_linked_from_every_page_while_signed_out(client):
    for path in ("/", "/tim-kiem"):
        assert 'href="/dang-nhap' in client.get(path).get_data(as_text=True)


def test_a_member_signs_in_and_sees_its_name_and_a_sign_out_button(client, people):
    response = sign_in(client, people["enterprise"].email)
    assert response.status_code == 302
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert people["enterprise"].email in page and 'action="/dang-xuat"' in page


@pytest.mark.parametrize("email,password", [("enterprise@thu.vn", "sai mật khẩu rồi"),
                                            ("khong-co@thu.vn", PASSWORD)])
def test_unknown_email_and_wrong_password_give_the_same_answer(client, people, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert "E-mail hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_sign_out_is_a_post_and_ends_the_session(client, people):
    sign_in(client, people["enterprise"].email)
    assert client.get("/dang-xuat").status_code == 405
    assert post_form(client, "/dang-xuat", page="/tai-khoan").status_code == 302
    assert client.get("/tai-khoan").status_code == 302


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(client, people):
    response = client.post("/dang-nhap", data={"email": people["enterprise"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/tai-khoan").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, people, target):
    response = sign_in(client, people["enterprise"].email, next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/bang-tin"


def test_next_inside_the_site_is_followed(client, people):
    response = sign_in(client, people["enterprise"].email, next="/thong-bao")
    assert response.headers["Location"] == "/thong-bao"


def test_the_second_step_must_follow_the_password_within_ten_minutes(app, client, people, monkeypatch):
    import pyotp

    from exchange.accounts.mfa import enable_totp, new_secret
    from exchange.models import User
    from exchange.web.views import accounts

    factory = app.extensions["exchange"].session_factory
    secret = new_secret()
    with factory.begin() as session:
        enable_totp(session, user=session.get(User, people["staff"].id), secret=secret,
                    code=pyotp.TOTP(secret).now())
    assert sign_in(client, people["staff"].email).headers["Location"] == "/dang-nhap/xac-thuc"
    assert client.get("/dang-nhap/xac-thuc").status_code == 200
    later = accounts.time.time() + accounts.PENDING_SECONDS + 1
    monkeypatch.setattr(accounts.time, "time", lambda: later)
    response = client.get("/dang-nhap/xac-thuc")
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
