"""EXCHANGE_MFA_REQUIRED_ROLES: those roles set up the second factor at their next sign-in, before anything else."""
from __future__ import annotations

import re
from dataclasses import replace

import pyotp
import pytest

from tests.support import PASSWORD, csrf_token, sign_in

SETUP = "/dang-nhap/thiet-lap-xac-thuc"


@pytest.fixture
def config(config):  # type: ignore[no-untyped-def]
    """The test configuration with staff required to use a second factor."""
    return replace(config, mfa_required_roles=frozenset({"staff"}))


def _secret(html: str) -> str:
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', html)
    assert found is not None, "no secret on the setup page"
    return found.group(1)


def test_a_required_role_is_sent_to_set_up_the_second_factor_and_is_not_signed_in_yet(client, people):
    response = sign_in(client, people["staff"].email)
    assert response.status_code == 302 and response.headers["Location"] == SETUP
    assert client.get("/tai-khoan").status_code == 302
    assert "bắt buộc xác thực hai bước" in client.get(SETUP).get_data(as_text=True)


def test_a_role_not_required_signs_in_directly(client, people):
    assert sign_in(client, people["enterprise"].email).headers["Location"] == "/bang-tin"


def test_the_setup_page_without_a_pending_sign_in_sends_to_the_login_page(client, people):
    response = client.get(SETUP)
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"


def test_a_wrong_code_keeps_the_user_out_and_turns_nothing_on(client, people, factory):
    from tests.support import get_user

    sign_in(client, people["staff"].email)
    page = client.get(SETUP).get_data(as_text=True)
    response = client.post(SETUP, data={"csrf_token": csrf_token(page), "code": "000000"})
    assert response.status_code == 422 and "Mã xác thực không đúng." in response.get_data(as_text=True)
    assert not get_user(factory, people["staff"].id).has_mfa and client.get("/tai-khoan").status_code == 302


def test_the_right_code_turns_the_factor_on_shows_recovery_codes_and_signs_in(client, people, factory):
    from tests.support import get_user

    sign_in(client, people["staff"].email)
    page = client.get(SETUP).get_data(as_text=True)
    response = client.post(SETUP, data={"csrf_token": csrf_token(page), "code": pyotp.TOTP(_secret(page)).now()})
    assert response.status_code == 200 and len(re.findall(r"<li><code>", response.get_data(as_text=True))) == 10
    assert get_user(factory, people["staff"].id).has_mfa and client.get("/tai-khoan").status_code == 200


def test_a_required_role_without_the_factor_gets_no_api_token(client, people):
    response = client.post("/api/tokens", json={"email": people["staff"].email, "password": PASSWORD})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "mfa_required"
