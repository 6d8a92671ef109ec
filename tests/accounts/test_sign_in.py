"""Signing in with a password: same answer for unknown e-mail and wrong password, audit, MFA steps, throttle."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.accounts.sessions import Client
from exchange.accounts.signin import BAD_CREDENTIALS, INACTIVE, Step, check_password
from exchange.accounts.throttle import (ADDRESS_LIMIT, KNOWN_ADDRESS_DAYS, MAX_SPRAY_WAIT, PAIR_LIMIT, SPRAY_FAILURES,
                                        WINDOW, check_throttle)
from exchange.db import utcnow
from exchange.errors import RateLimited
from exchange.models import AuditEvent, LoginAttempt
from tests.support import PASSWORD

EMAIL = "chu.tai.khoan@thu.vn"
WRONG = "không phải mật khẩu này"


@pytest.fixture
def owner(make_user):
    """An active enterprise member with a password."""
    return make_user("enterprise", email=EMAIL, password=PASSWORD)


def _attempts(session, *, email: str = EMAIL, count: int, addresses: list[str] | None = None, at=None,
              is_success: bool = False) -> None:
    """Add `count` attempts, one per second back from `at`, cycling through the addresses."""
    at = at or utcnow()
    addresses = addresses or ["198.51.100.1"]
    session.add_all(LoginAttempt(email=email, client_address=addresses[n % len(addresses)], is_success=is_success,
                                 created_at=at - timedelta(seconds=n)) for n in range(count))
    session.flush()


def _addresses(count: int) -> list[str]:
    return [f"198.51.100.{n}" for n in range(10, 10 + count)]


# Checking the password

@pytest.mark.parametrize("email,password", [(EMAIL, WRONG), ("khong.co.ai@thu.vn", PASSWORD),
                                            ("không phải e-mail", PASSWORD), ("", ""),
                                            ("a" * 10_000 + "@thu.vn", PASSWORD)])
def test_unknown_email_and_wrong_password_give_the_same_problem(db_session, owner, web_client, email, password):
    outcome = check_password(db_session, email=email, password=password, client=web_client)
    assert outcome.user is None and outcome.step is None
    assert outcome.problem == BAD_CREDENTIALS == "E-mail hoặc mật khẩu không đúng."


def test_the_email_is_matched_whatever_its_case_and_surrounding_spaces(db_session, owner, web_client):
    outcome = check_password(db_session, email="  Chu.Tai.Khoan@THU.vn ", password=PASSWORD, client=web_client)
    assert outcome.user is owner and outcome.step is Step.done


def test_a_success_records_a_successful_attempt(db_session, owner, web_client):
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    assert outcome == type(outcome)(owner, Step.done)
    attempt = db_session.scalars(select(LoginAttempt)).one()
    assert (attempt.email, attempt.client_address, attempt.is_success) == (EMAIL, web_client.address, True)
    assert attempt.user_agent == web_client.user_agent


def test_a_failure_records_an_attempt_and_an_audit_event_with_address_and_user_agent(db_session, owner, web_client):
    check_password(db_session, email=EMAIL, password=WRONG, client=web_client)
    attempt = db_session.scalars(select(LoginAttempt)).one()
    assert (attempt.email, attempt.client_address, attempt.is_success) == (EMAIL, web_client.address, False)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    assert event.detail["email"] == EMAIL
    assert event.detail["address"] == web_client.address
    assert event.detail["user_agent"] == web_client.user_agent


def test_a_failure_on_an_unknown_email_is_audited_too(db_session, web_client, count_rows):
    check_password(db_session, email="khong.co.ai@thu.vn", password=WRONG, client=web_client)
    assert count_rows(AuditEvent, AuditEvent.action == "login_failed") == 1
    assert count_rows(LoginAttempt, LoginAttempt.email == "khong.co.ai@thu.vn") == 1


def test_a_long_user_agent_is_cut_to_the_column(db_session, owner):
    client = Client("203.0.113.9", "A" * 2000)
    check_password(db_session, email=EMAIL, password=WRONG, client=client)
    assert len(db_session.scalars(select(LoginAttempt)).one().user_agent) == 300


def test_an_inactive_account_with_the_right_password_is_refused_as_inactive(db_session, owner, web_client):
    owner.is_active = False
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    assert outcome.user is None and outcome.problem == INACTIVE
    assert "khoá" in outcome.problem
    assert db_session.scalars(select(LoginAttempt.is_success)).all() == [False]


def test_an_inactive_account_with_a_wrong_password_gets_the_ordinary_answer(db_session, owner, web_client):
    owner.is_active = False
    outcome = check_password(db_session, email=EMAIL, password=WRONG, client=web_client)
    assert outcome.problem == BAD_CREDENTIALS


def test_an_account_waiting_for_activation_never_signs_in(db_session, make_user, web_client):
    user = make_user("broker", email="moi.tao@thu.vn", password=None)
    assert not user.has_password
    for password in ("", PASSWORD):
        assert check_password(db_session, email=user.email, password=password, client=web_client).problem == \
            BAD_CREDENTIALS


def test_an_account_with_mfa_goes_on_to_the_second_factor_and_is_not_yet_a_success(db_session, owner, web_client,
                                                                                    count_rows):
    owner.totp_secret, owner.totp_enabled_at = "JBSWY3DPEHPK3PXP", utcnow()
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    assert outcome.user is owner and outcome.step is Step.second_factor and outcome.problem is None
    assert count_rows(LoginAttempt, LoginAttempt.is_success.is_(True)) == 0


def test_a_role_that_requires_mfa_without_it_must_set_it_up(db_session, make_user, web_client):
    staff = make_user("staff", password=PASSWORD)
    outcome = check_password(db_session, email=staff.email, password=PASSWORD, client=web_client,
                             mfa_required_roles=frozenset({"staff", "broker"}))
    assert outcome.user is staff and outcome.step is Step.setup_second_factor


def test_a_role_not_in_the_required_list_is_done_without_mfa(db_session, owner, web_client):
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client,
                             mfa_required_roles=frozenset({"staff"}))
    assert outcome.step is Step.done


# The throttle, through check_password

def test_the_sixth_attempt_after_five_failures_waits_and_writes_nothing(db_session, owner, web_client, written):
    for _ in range(PAIR_LIMIT):
        assert check_password(db_session, email=EMAIL, password=WRONG, client=web_client).problem == BAD_CREDENTIALS
    before = written()
    with pytest.raises(RateLimited) as refused:
        check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    assert 0 < refused.value.retry_after <= WINDOW.total_seconds()
    assert refused.value.message == "Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau 15 phút."
    assert written() == before


def test_after_five_failures_another_address_may_still_sign_in(db_session, owner, web_client):
    _attempts(db_session, count=PAIR_LIMIT, addresses=[web_client.address])
    with pytest.raises(RateLimited):
        check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=Client("192.0.2.44"))
    assert outcome.user is owner and outcome.step is Step.done


def test_the_email_is_counted_whatever_its_case(db_session, owner, web_client):
    _attempts(db_session, count=PAIR_LIMIT, addresses=[web_client.address])
    with pytest.raises(RateLimited):
        check_password(db_session, email=EMAIL.upper(), password=PASSWORD, client=web_client)


# The throttle, at chosen times

@pytest.mark.parametrize("failures,refused", [(PAIR_LIMIT - 1, False), (PAIR_LIMIT, True)])
def test_five_failures_for_one_email_and_address_lock_that_pair(db_session, failures, refused):
    client = Client("198.51.100.1")
    _attempts(db_session, count=failures, addresses=[client.address])
    if refused:
        with pytest.raises(RateLimited):
            check_throttle(db_session, email=EMAIL, client=client)
    else:
        check_throttle(db_session, email=EMAIL, client=client)


def test_the_pair_lock_ends_when_the_first_failure_leaves_the_window(db_session):
    client, now = Client("198.51.100.1"), utcnow()
    _attempts(db_session, count=PAIR_LIMIT, addresses=[client.address], at=now)
    first = now - timedelta(seconds=PAIR_LIMIT - 1)
    with pytest.raises(RateLimited) as refused:
        check_throttle(db_session, email=EMAIL, client=client, now=first + WINDOW - timedelta(seconds=30))
    assert refused.value.retry_after == 30
    assert refused.value.message == "Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau 30 giây."
    check_throttle(db_session, email=EMAIL, client=client, now=first + WINDOW + timedelta(seconds=1))


def test_failures_older_than_the_window_do_not_count(db_session):
    client = Client("198.51.100.1")
    _attempts(db_session, count=PAIR_LIMIT * 3, addresses=[client.address], at=utcnow() - WINDOW - timedelta(minutes=1))
    check_throttle(db_session, email=EMAIL, client=client)


def test_a_success_resets_the_pair_counter(db_session):
    client, now = Client("198.51.100.1"), utcnow()
    _attempts(db_session, count=PAIR_LIMIT, addresses=[client.address], at=now - timedelta(minutes=5))
    _attempts(db_session, count=1, addresses=[client.address], at=now - timedelta(minutes=4), is_success=True)
    check_throttle(db_session, email=EMAIL, client=client, now=now)


def test_a_success_resets_the_pair_counter_through_check_password(db_session, owner, web_client):
    for _ in range(PAIR_LIMIT - 1):
        check_password(db_session, email=EMAIL, password=WRONG, client=web_client)
    assert check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client).step is Step.done
    for _ in range(PAIR_LIMIT - 1):
        check_password(db_session, email=EMAIL, password=WRONG, client=web_client)
    assert check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client).step is Step.done


@pytest.mark.parametrize("failures,refused", [(ADDRESS_LIMIT - 1, False), (ADDRESS_LIMIT, True)])
def test_thirty_failures_from_one_address_on_different_emails_lock_that_address(db_session, failures, refused):
    client, now = Client("198.51.100.1"), utcnow()
    db_session.add_all(LoginAttempt(email=f"nguoi{n}@thu.vn", client_address=client.address, is_success=False,
                                    created_at=now - timedelta(seconds=n)) for n in range(failures))
    db_session.flush()
    if refused:
        with pytest.raises(RateLimited) as error:
            check_throttle(db_session, email="nguoi-moi@thu.vn", client=client, now=now)
        assert error.value.retry_after > 0 and "quá nhiều lần" in error.value.message
    else:
        check_throttle(db_session, email="nguoi-moi@thu.vn", client=client, now=now)
    check_throttle(db_session, email="nguoi-moi@thu.vn", client=Client("192.0.2.44"), now=now)


def test_a_spray_makes_a_new_address_wait_a_short_time(db_session):
    now = utcnow()
    _attempts(db_session, count=SPRAY_FAILURES, addresses=_addresses(SPRAY_FAILURES), at=now)
    with pytest.raises(RateLimited) as refused:
        check_throttle(db_session, email=EMAIL, client=Client("192.0.2.44"), now=now)
    assert 0 < refused.value.retry_after <= MAX_SPRAY_WAIT
    assert "giây" in refused.value.message
    check_throttle(db_session, email=EMAIL, client=Client("192.0.2.44"),
                   now=now + timedelta(seconds=refused.value.retry_after))


def test_fewer_failures_than_a_spray_slow_nobody(db_session):
    now = utcnow()
    _attempts(db_session, count=SPRAY_FAILURES - 1, addresses=_addresses(SPRAY_FAILURES - 1), at=now)
    check_throttle(db_session, email=EMAIL, client=Client("192.0.2.44"), now=now)


def test_the_spray_wait_grows_with_the_failures_but_stays_short(db_session):
    now = utcnow()
    waits = []
    for failures in (SPRAY_FAILURES, 100):
        email = f"bi.tan.cong.{failures}@thu.vn"
        _attempts(db_session, email=email, count=failures, addresses=_addresses(50), at=now)
        with pytest.raises(RateLimited) as refused:
            check_throttle(db_session, email=email, client=Client("192.0.2.44"), now=now)
        waits.append(refused.value.retry_after)
    assert 0 < waits[0] < waits[1] <= MAX_SPRAY_WAIT


def test_a_spray_does_not_slow_an_address_its_owner_signed_in_from(db_session):
    now, home = utcnow(), Client("192.0.2.80")
    _attempts(db_session, count=1, addresses=[home.address], at=now - timedelta(days=KNOWN_ADDRESS_DAYS - 1),
              is_success=True)
    _attempts(db_session, count=40, addresses=_addresses(20), at=now)
    check_throttle(db_session, email=EMAIL, client=home, now=now)
    with pytest.raises(RateLimited):
        check_throttle(db_session, email=EMAIL, client=Client("192.0.2.81"), now=now)


def test_the_owner_signs_in_from_its_usual_address_during_a_spray(db_session, owner, web_client):
    _attempts(db_session, count=1, addresses=[web_client.address], at=utcnow() - timedelta(days=3), is_success=True)
    _attempts(db_session, count=40, addresses=_addresses(20))
    outcome = check_password(db_session, email=EMAIL, password=PASSWORD, client=web_client)
    assert outcome.user is owner and outcome.step is Step.done


def test_an_address_signed_in_from_long_ago_is_new_again(db_session):
    now, home = utcnow(), Client("192.0.2.80")
    _attempts(db_session, count=1, addresses=[home.address], at=now - timedelta(days=KNOWN_ADDRESS_DAYS + 1),
              is_success=True)
    _attempts(db_session, count=SPRAY_FAILURES, addresses=_addresses(SPRAY_FAILURES), at=now)
    with pytest.raises(RateLimited):
        check_throttle(db_session, email=EMAIL, client=home, now=now)


def test_the_throttle_writes_nothing(db_session, written):
    _attempts(db_session, count=PAIR_LIMIT)
    before = written()
    with pytest.raises(RateLimited):
        check_throttle(db_session, email=EMAIL, client=Client("198.51.100.1"))
    check_throttle(db_session, email=EMAIL, client=Client("192.0.2.44"))
    assert written() == before
