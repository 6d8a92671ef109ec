"""The account endpoints of the JSON API: tokens, the second factor, /api/me, revocation, and Bearer-only auth."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select

from exchange.accounts.mfa import enable_totp, new_secret
from exchange.accounts.users import set_active
from exchange.models import Notification, NotificationKind, User
from exchange.notifications.services import notify
from tests.support import PASSWORD, SYSTEM, bearer, envelope, get_user, post_form

BAD_CREDENTIALS = "E-mail hoặc mật khẩu không đúng."
NOT_BEARER = "API chỉ nhận xác thực bằng tiêu đề Authorization: Bearer <token>."
BAD_TOKEN = "Token không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
BAD_CODE = "Mã xác thực không đúng hoặc đã được dùng."
VALIDATION = "Dữ liệu chưa hợp lệ, vui lòng sửa các mục được đánh dấu."
# Every API path, with a request that would otherwise be well-formed (a wrong header must win over everything).
API_REQUESTS = [
    ("GET", "/api/listings", None),
    ("GET", "/api/listings/1", None),
    ("GET", "/api/listings/1/matches", None),
    ("GET", "/api/listings/1/experts", None),
    ("GET", "/api/me", None),
    ("GET", "/api/notifications", None),
    ("POST", "/api/notifications/read", {"all": True}),
    ("POST", "/api/tokens", {"email": "enterprise@thu.vn", "password": PASSWORD}),
    ("DELETE", "/api/tokens/current", None),
    ("GET", "/api/openapi.json", None),
]






def ask_token(client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    """POST /api/tokens."""
    return client.post("/api/tokens", json={"email": email, "password": password, **extra})


def turn_on_totp(factory, user_id: int) -> pyotp.TOTP:  # type: ignore[no-untyped-def]
    """Turn TOTP on for a user, confirmed with the previous time step's code (so the current one is still unused)."""
    secret = new_secret()
    totp = pyotp.TOTP(secret)
    with factory.begin() as session:
        enable_totp(session, user=session.get(User, user_id), secret=secret, code=totp.at(time.time() - 30))
    return totp


def wrong_code(totp: pyotp.TOTP) -> str:
    """Six digits that are none of the codes accepted right now."""
    now = time.time()
    accepted = {totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 10**6)) if code not in accepted)


# ---- POST /api/tokens ----------------------------------------------------------------------------

def test_right_credentials_give_a_token_valid_about_thirty_days(client, people):
    response = ask_token(client, people["enterprise"].email)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert body["token"].startswith("sgd_") and len(body["token"]) > 30
    left = datetime.fromisoformat(body["expires_at"]) - datetime.now(timezone.utc)
    assert timedelta(days=29) < left <= timedelta(days=30)


def test_the_token_of_an_upper_case_email_signs_in_the_same_user(client, people):
    token = ask_token(client, people["broker"].email.upper()).get_json()["token"]
    assert client.get("/api/me", headers=bearer(token)).get_json()["id"] == people["broker"].id


def test_wrong_password_and_unknown_email_give_the_same_401(client, people):
    wrong_password = ask_token(client, people["enterprise"].email, "sai mật khẩu rồi nhé")
    unknown_email = ask_token(client, "khong-co-ai@thu.vn", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert envelope(wrong_password) == envelope(unknown_email) == {
        "code": "unauthenticated", "message": BAD_CREDENTIALS, "fields": {}}


@pytest.mark.parametrize("body", ['{"email": "enterprise@thu.vn", "password": ', "không phải JSON", "{'email': 1}"])
def test_a_body_that_is_not_json_is_a_400_envelope(client, body):
    response = client.post("/api/tokens", data=body.encode(), content_type="application/json")
    assert response.status_code == 400
    error = envelope(response)
    assert error["code"] == "bad_request" and error["message"] == "Yêu cầu không hợp lệ."


@pytest.mark.parametrize("body,field,message", [
    ({"email": "enterprise@thu.vn"}, "password", "Thiếu trường bắt buộc."),
    ({"password": PASSWORD}, "email", "Thiếu trường bắt buộc."),
    ({"email": "enterprise@thu.vn", "password": PASSWORD, "remember": True}, "remember", "Trường không được hỗ trợ."),
    ({"email": 42, "password": PASSWORD}, "email", "Phải là chuỗi ký tự."),
    ({"email": "a" * 300, "password": PASSWORD}, "email", "Tối đa 254 ký tự."),
])
def test_a_body_failing_validation_is_a_422_naming_the_field(client, body, field, message):
    response = client.post("/api/tokens", json=body)
    assert response.status_code == 422
    error = envelope(response)
    assert error["code"] == "validation_error" and error["message"] == VALIDATION
    assert error["fields"] == {field: message}


@pytest.mark.parametrize("body", [["enterprise@thu.vn", PASSWORD], "enterprise@thu.vn", 42, None])
def test_a_json_body_that_is_not_an_object_is_a_422(client, body):
    response = client.post("/api/tokens", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = envelope(response)
    assert error["code"] == "validation_error" and error["fields"], error


def test_a_validation_error_records_no_sign_in_attempt(client, people, factory):
    from exchange.models import LoginAttempt

    client.post("/api/tokens", json={"email": people["enterprise"].email, "password": PASSWORD, "x": 1})
    with factory() as session:
        assert session.scalars(select(LoginAttempt)).all() == []


def test_five_failures_lock_the_pair_with_429_and_retry_after(client, people):
    for _ in range(5):
        assert ask_token(client, people["enterprise"].email, "sai mật khẩu rồi nhé").status_code == 401
    locked = ask_token(client, people["enterprise"].email)  # even the right password now waits
    assert locked.status_code == 429
    error = envelope(locked)
    assert error["code"] == "rate_limited" and error["message"].startswith("Bạn đã thử đăng nhập quá nhiều lần.")
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60


def test_a_deactivated_user_gets_no_token(client, people):
    response = ask_token(client, people["deactivated"].email)
    assert response.status_code == 401
    assert envelope(response)["message"] == "Tài khoản này đã bị khoá. Vui lòng liên hệ Sở Khoa học và Công nghệ."


# ---- the second factor ---------------------------------------------------------------------------

def test_with_totp_on_the_password_alone_is_401_mfa_required(client, people, factory):
    turn_on_totp(factory, people["broker"].id)
    response = ask_token(client, people["broker"].email)
    assert response.status_code == 401
    error = envelope(response)
    assert error["code"] == "mfa_required" and "otp" in error["message"]


def test_with_totp_on_a_current_code_gives_a_token(client, people, factory):
    totp = turn_on_totp(factory, people["broker"].id)
    response = ask_token(client, people["broker"].email, otp=totp.now())
    assert response.status_code == 201
    me = client.get("/api/me", headers=bearer(response.get_json()["token"])).get_json()
    assert me["id"] == people["broker"].id and me["has_mfa"] is True


def test_with_totp_on_a_wrong_code_is_401_and_gives_no_token(client, people, factory):
    totp = turn_on_totp(factory, people["broker"].id)
    response = ask_token(client, people["broker"].email, otp=wrong_code(totp))
    assert response.status_code == 401
    error = envelope(response)
    assert error["code"] == "unauthenticated" and error["message"] == BAD_CODE
    assert "token" not in response.get_json()


def test_with_totp_on_a_code_is_accepted_only_once(client, people, factory):
    totp = turn_on_totp(factory, people["broker"].id)
    code = totp.now()
    assert ask_token(client, people["broker"].email, otp=code).status_code == 201
    assert envelope(ask_token(client, people["broker"].email, otp=code))["message"] == BAD_CODE


def test_with_totp_on_a_wrong_password_is_refused_before_the_code(client, people, factory):
    totp = turn_on_totp(factory, people["broker"].id)
    response = ask_token(client, people["broker"].email, "sai mật khẩu rồi nhé", otp=totp.now())
    assert response.status_code == 401 and envelope(response)["message"] == BAD_CREDENTIALS


# ---- GET /api/me ---------------------------------------------------------------------------------

def test_me_is_the_token_user_with_role_and_organization(client, people, token_for):
    response = client.get("/api/me", headers=bearer(token_for("enterprise")))
    assert response.status_code == 200
    me = response.get_json()
    assert me["id"] == people["enterprise"].id and me["email"] == people["enterprise"].email
    assert me["role"] == "enterprise"
    assert me["organization"]["id"] == people["enterprise"].organization_id
    assert me["organization"]["name"] == "Công ty Thử nghiệm"


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_me_of_a_user_without_organization_has_null_organization(client, people, token_for, role):
    me = client.get("/api/me", headers=bearer(token_for(role))).get_json()
    assert me["role"] == role and me["organization"] is None


def test_me_never_carries_a_password_hash_or_secret(client, people, factory):
    totp = turn_on_totp(factory, people["staff"].id)
    user = get_user(factory, people["staff"].id)
    body = ask_token(client, people["staff"].email, otp=totp.now()).get_json()
    text = client.get("/api/me", headers=bearer(body["token"])).get_data(as_text=True)
    for secret in (user.password_hash, user.password_hash.split("$")[-1], user.totp_secret):
        assert secret not in text
    for word in ("password", "hash", "totp_secret", "session_version"):
        assert word not in text


def test_me_without_a_token_is_401(client, people):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert envelope(response) == {"code": "unauthenticated", "message": "Vui lòng đăng nhập để tiếp tục.",
                                  "fields": {}}


# ---- revoking ------------------------------------------------------------------------------------

def test_delete_current_token_answers_204_then_the_token_is_401(client, people, token_for):
    token = token_for("enterprise")
    response = client.delete("/api/tokens/current", headers=bearer(token))
    assert response.status_code == 204 and response.get_data() == b""
    after = client.get("/api/me", headers=bearer(token))
    assert after.status_code == 401 and envelope(after)["message"] == BAD_TOKEN


def test_revoking_one_token_leaves_the_users_other_tokens_working(client, people):
    first = ask_token(client, people["enterprise"].email).get_json()["token"]
    second = ask_token(client, people["enterprise"].email).get_json()["token"]
    assert client.delete("/api/tokens/current", headers=bearer(first)).status_code == 204
    assert client.get("/api/me", headers=bearer(second)).status_code == 200


@pytest.mark.parametrize("token", ["sgd_" + "x" * 43, "not-even-prefixed", "sgd_" + "y" * 500])
def test_an_unknown_token_is_401(client, token):
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401 and envelope(response)["message"] == BAD_TOKEN


def test_an_expired_token_is_401(client, people, token_for, factory):
    from exchange.models import ApiToken

    token = token_for("broker")
    with factory.begin() as session:
        for row in session.scalars(select(ApiToken)):
            row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("how", ["flag in the database", "staff deactivate"])
def test_the_token_of_a_deactivated_user_is_401(client, people, token_for, factory, how):
    token = token_for("enterprise")
    with factory.begin() as session:
        if how == "staff deactivate":
            set_active(session, actor=SYSTEM, user_id=people["enterprise"].id, is_active=False)
        else:
            session.get(User, people["enterprise"].id).is_active = False
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401 and envelope(response)["message"] == BAD_TOKEN


def test_sign_out_everywhere_on_the_page_revokes_the_token(client, people, token_for, signed_in):
    token = token_for("enterprise")
    page = signed_in("enterprise")
    assert post_form(page, "/tai-khoan/dang-xuat-moi-noi", page="/tai-khoan").status_code == 302
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_a_password_change_on_the_page_revokes_the_token(client, people, token_for, signed_in):
    token = token_for("enterprise")
    new = "một mật khẩu mới hoàn toàn"
    response = post_form(signed_in("enterprise"), "/tai-khoan/mat-khau",
                         {"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    assert ask_token(client, people["enterprise"].email, new).status_code == 201


# ---- Bearer only ---------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["Basic ZW50ZXJwcmlzZUB0aHUudm46bWF0a2hhdQ==", "Token x", "Bearer", "Bearer   ",
                                    "bearer"])
def test_an_authorization_header_that_is_not_bearer_is_401_on_every_api_path(client, header):
    wrong = []
    for method, path, body in API_REQUESTS:
        response = client.open(path, method=method, json=body, headers={"Authorization": header})
        error = envelope(response) if response.is_json else None
        if response.status_code != 401 or error != {"code": "unauthenticated", "message": NOT_BEARER, "fields": {}}:
            wrong.append((method, path, response.status_code, error))
    assert wrong == []


def test_the_public_listing_search_with_a_revoked_token_is_401_not_a_visitor_answer(client, people, token_for):
    token = token_for("enterprise")
    client.delete("/api/tokens/current", headers=bearer(token))
    assert client.get("/api/listings").status_code == 200
    response = client.get("/api/listings", headers=bearer(token))
    assert response.status_code == 401 and envelope(response)["message"] == BAD_TOKEN


@pytest.mark.parametrize("method,path", [("GET", "/api/me"), ("GET", "/api/notifications"),
                                         ("POST", "/api/notifications/read"), ("DELETE", "/api/tokens/current")])
def test_the_api_ignores_the_session_cookie_of_a_signed_in_page(signed_in, method, path):
    page_client = signed_in("staff")
    assert page_client.get("/tai-khoan").status_code == 200  # the cookie does work on the pages
    response = page_client.open(path, method=method, json={"all": True} if method == "POST" else None)
    assert response.status_code == 401 and envelope(response)["code"] == "unauthenticated"


# ---- notifications with a token ------------------------------------------------------------------

def _notify(factory, user_id: int, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    with factory.begin() as session:
        user = session.get(User, user_id)
        return [notify(session, user=user, kind=NotificationKind.listing_approved,
                       params={"title": f"Máy sấy số {n}"}, link=None).id for n in range(count)]


def test_marking_notifications_read_works_with_a_bearer_token_and_no_csrf_token(client, people, token_for, factory):
    ids = _notify(factory, people["enterprise"].id, 3)
    response = client.post("/api/notifications/read", json={"ids": ids[:2]}, headers=bearer(token_for("enterprise")))
    assert response.status_code == 200
    assert response.get_json() == {"marked": 2, "unread": 1}
    with factory() as session:
        unread = session.scalars(select(Notification.id).where(Notification.read_at.is_(None))).all()
    assert unread == [ids[2]]


def test_marking_all_read_with_a_token_leaves_other_users_notifications_unread(client, people, token_for, factory):
    _notify(factory, people["enterprise"].id, 2)
    others = _notify(factory, people["broker"].id, 1)
    response = client.post("/api/notifications/read", json={"all": True}, headers=bearer(token_for("enterprise")))
    assert response.get_json() == {"marked": 2, "unread": 0}
    with factory() as session:
        assert session.get(Notification, others[0]).read_at is None


def test_marking_read_with_a_token_ignores_ids_of_other_users(client, people, token_for, factory):
    others = _notify(factory, people["broker"].id, 1)
    response = client.post("/api/notifications/read", json={"ids": others}, headers=bearer(token_for("enterprise")))
    assert response.get_json() == {"marked": 0, "unread": 0}
    with factory() as session:
        assert session.get(Notification, others[0]).read_at is None
