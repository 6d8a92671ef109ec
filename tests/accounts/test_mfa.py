"""The second factor: TOTP codes (each accepted once) and single-use recovery codes."""
from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import select

from exchange.accounts.mfa import (RECOVERY_CODES, disable_totp, enable_totp, new_secret, provisioning_uri,
                                   recovery_codes_left, regenerate_recovery_codes, verify_second_factor)
from exchange.accounts.sessions import Client
from exchange.accounts.signin import check_second_factor
from exchange.errors import Conflict, ValidationError
from exchange.models import AuditEvent, LoginAttempt, RecoveryCode


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The TOTP code of the current time step, or of one a few steps (30 s each) later."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def user(make_user):
    return make_user("staff")


@pytest.fixture
def enabled(db_session, user):
    """(secret, recovery codes) of a user whose TOTP was just turned on."""
    secret = new_secret()
    return secret, enable_totp(db_session, user=user, secret=secret, code=_code(secret))


def test_a_new_secret_is_base32_and_different_each_time():
    secrets = {new_secret() for _ in range(5)}
    assert len(secrets) == 5
    assert all(len(secret) >= 16 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for secret in secrets)


def test_the_provisioning_uri_names_the_account_and_the_issuer():
    secret = new_secret()
    uri = provisioning_uri(secret, "can.bo@so.vn")
    assert uri.startswith("otpauth://totp/") and "can.bo%40so.vn" in uri and f"secret={secret}" in uri
    assert "issuer=San%20Giao%20dich%20cong%20nghe" in uri


@pytest.mark.parametrize("code", ["wrong", "", "12345", "1234567", "abcdef"])
def test_enabling_with_a_wrong_code_is_refused_and_keeps_nothing(db_session, user, count_rows, code):
    with pytest.raises(ValidationError) as refused:
        enable_totp(db_session, user=user, secret=new_secret(), code=code)
    assert refused.value.fields == {"code": "Mã xác thực không đúng."}
    assert not user.has_mfa and user.totp_secret is None
    assert count_rows(RecoveryCode) == 0


def test_enabling_with_a_code_off_by_one_digit_is_refused(db_session, user):
    secret = new_secret()
    with pytest.raises(ValidationError):
        enable_totp(db_session, user=user, secret=secret, code=_wrong(_code(secret)))
    assert not user.has_mfa


def test_enabling_with_the_right_code_stores_the_secret_and_returns_ten_recovery_codes(db_session, user, count_rows):
    secret = new_secret()
    codes = enable_totp(db_session, user=user, secret=secret, code=_code(secret))
    assert user.has_mfa and user.totp_secret == secret
    assert len(codes) == RECOVERY_CODES == 10 and len(set(codes)) == 10
    assert count_rows(RecoveryCode, RecoveryCode.user_id == user.id) == 10
    assert not set(codes) & set(db_session.scalars(select(RecoveryCode.code_hash)))
    assert count_rows(AuditEvent, AuditEvent.action == "enable_mfa") == 1


def test_enabling_twice_is_a_conflict(db_session, user, enabled):
    secret = new_secret()
    with pytest.raises(Conflict):
        enable_totp(db_session, user=user, secret=secret, code=_code(secret))
    assert user.totp_secret == enabled[0]


def test_a_code_is_accepted_once_and_refused_the_second_time(db_session, user, enabled):
    code = _code(enabled[0], steps_ahead=1)
    assert verify_second_factor(db_session, user=user, code=code)
    assert not verify_second_factor(db_session, user=user, code=code)


def test_the_code_used_to_enable_cannot_be_replayed(db_session, user):
    secret = new_secret()
    code = _code(secret)
    enable_totp(db_session, user=user, secret=secret, code=code)
    assert not verify_second_factor(db_session, user=user, code=code)


def test_an_older_code_is_refused_after_a_newer_one(db_session, user, enabled):
    assert verify_second_factor(db_session, user=user, code=_code(enabled[0], steps_ahead=1))
    assert not verify_second_factor(db_session, user=user, code=_code(enabled[0]))


def test_a_code_typed_with_spaces_is_accepted(db_session, user, enabled):
    code = _code(enabled[0], steps_ahead=1)
    assert verify_second_factor(db_session, user=user, code=f" {code[:3]} {code[3:]} ")


@pytest.mark.parametrize("code", ["", "000000x", "0" * 10_000, "12-34-56-78"])
def test_nonsense_codes_are_refused(db_session, user, enabled, code):
    assert not verify_second_factor(db_session, user=user, code=code)


# Digits of other scripts pass str.isdigit(): full-width ones come from East Asian keyboards, others from a paste.
NON_ASCII_DIGITS = ["１２３４５６", "١٢٣٤٥٦"]


@pytest.mark.parametrize("code", NON_ASCII_DIGITS)
def test_six_non_ascii_digits_are_refused_as_a_second_factor(db_session, user, enabled, code):
    assert not verify_second_factor(db_session, user=user, code=code)


def test_six_full_width_digits_are_refused_when_enabling(db_session, user):
    with pytest.raises(ValidationError):
        enable_totp(db_session, user=user, secret=new_secret(), code="１２３４５６")
    assert not user.has_mfa


def test_a_code_far_from_now_is_refused(db_session, user, enabled):
    assert not verify_second_factor(db_session, user=user, code=_code(enabled[0], steps_ahead=5))


def test_a_user_without_mfa_never_passes_the_second_factor(db_session, user):
    assert not verify_second_factor(db_session, user=user, code="123456")


def test_a_recovery_code_works_once(db_session, user, enabled):
    code = enabled[1][0]
    assert verify_second_factor(db_session, user=user, code=code)
    assert not verify_second_factor(db_session, user=user, code=code)
    assert recovery_codes_left(db_session, user) == RECOVERY_CODES - 1
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.action == "use_recovery_code")).all() == \
        ["use_recovery_code"]


def test_a_recovery_code_typed_in_capitals_without_the_dash_works(db_session, user, enabled):
    code = enabled[1][3]
    assert verify_second_factor(db_session, user=user, code=code.replace("-", " ").upper())


def test_a_recovery_code_of_another_user_does_not_work(db_session, user, enabled, make_user):
    other = make_user("broker")
    secret = new_secret()
    enable_totp(db_session, user=other, secret=secret, code=_code(secret))
    assert not verify_second_factor(db_session, user=other, code=enabled[1][0])


def test_disabling_needs_a_valid_code(db_session, user, enabled, count_rows):
    with pytest.raises(ValidationError):
        disable_totp(db_session, user=user, code=_wrong(_code(enabled[0], steps_ahead=1)))
    assert user.has_mfa and count_rows(RecoveryCode) == RECOVERY_CODES


@pytest.mark.parametrize("which", ["totp", "recovery"])
def test_disabling_with_a_valid_code_removes_the_secret_and_the_recovery_codes(db_session, user, enabled, count_rows,
                                                                               which):
    code = _code(enabled[0], steps_ahead=1) if which == "totp" else enabled[1][0]
    disable_totp(db_session, user=user, code=code)
    assert not user.has_mfa and user.totp_secret is None
    assert count_rows(RecoveryCode) == 0
    assert count_rows(AuditEvent, AuditEvent.action == "disable_mfa") == 1


def test_disabling_when_not_enabled_is_a_conflict(db_session, user):
    with pytest.raises(Conflict):
        disable_totp(db_session, user=user, code="123456")


def test_regenerating_invalidates_the_old_recovery_codes(db_session, user, enabled):
    old = enabled[1]
    new = regenerate_recovery_codes(db_session, user=user)
    assert len(new) == RECOVERY_CODES and not set(new) & set(old)
    assert not verify_second_factor(db_session, user=user, code=old[1])
    assert verify_second_factor(db_session, user=user, code=new[1])


def test_regenerating_without_mfa_is_a_conflict(db_session, user):
    with pytest.raises(Conflict):
        regenerate_recovery_codes(db_session, user=user)


def test_the_second_factor_at_sign_in_records_the_attempt(db_session, user, enabled, count_rows):
    client = Client("203.0.113.7")
    assert not check_second_factor(db_session, user=user, code="000000x", client=client)
    assert check_second_factor(db_session, user=user, code=enabled[1][0], client=client)
    outcomes = db_session.scalars(select(LoginAttempt.is_success).order_by(LoginAttempt.id)).all()
    assert outcomes == [False, True]
    assert count_rows(AuditEvent, AuditEvent.action == "login_failed") == 1


def test_the_second_factor_of_a_deactivated_user_fails_and_keeps_the_recovery_code(db_session, user, enabled):
    user.is_active = False
    assert not check_second_factor(db_session, user=user, code=enabled[1][0], client=Client("203.0.113.7"))
    assert recovery_codes_left(db_session, user) == RECOVERY_CODES
