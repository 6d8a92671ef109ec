"""Proving who you are: password (throttled), then the second factor when the account has one."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from exchange.accounts.mfa import verify_second_factor
from exchange.accounts.passwords import verify_password
from exchange.accounts.sessions import Client
from exchange.accounts.throttle import check_throttle, record_attempt
from exchange.accounts.users import find_user, normalize_email
from exchange.i18n import N_
from exchange.models import User

BAD_CREDENTIALS = N_("E-mail hoặc mật khẩu không đúng.")
INACTIVE = N_("Tài khoản này đã bị khoá. Vui lòng liên hệ Sở Khoa học và Công nghệ.")
BAD_CODE = N_("Mã xác thực không đúng hoặc đã được dùng.")


class Step(str, enum.Enum):
    """What a sign-in needs next."""

    done = "done"
    second_factor = "second_factor"
    setup_second_factor = "setup_second_factor"


@dataclass(frozen=True)
class SignIn:
    """The outcome of a password check: the user and what comes next, or why it failed (a message)."""

    user: User | None
    step: Step | None = None
    problem: str | None = None


def check_password(session: Session, *, email: str, password: str, client: Client,
                   mfa_required_roles: frozenset[str] = frozenset()) -> SignIn:
    """Check e-mail and password; raises RateLimited before checking when the attempt must wait.

    Unknown e-mail and wrong password give the same answer. The attempt is recorded either
    way, so the caller commits before answering.
    """
    email = normalize_email(email)[:254]
    check_throttle(session, email=email, client=client)
    user = find_user(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        record_attempt(session, email=email, client=client, is_success=False)
        return SignIn(None, problem=BAD_CREDENTIALS)
    if not user.is_active:
        record_attempt(session, email=email, client=client, is_success=False, step="inactive")
        return SignIn(None, problem=INACTIVE)
    if user.has_mfa:
        return SignIn(user, Step.second_factor)
    record_attempt(session, email=email, client=client, is_success=True)
    if user.role.value in mfa_required_roles:
        return SignIn(user, Step.setup_second_factor)
    return SignIn(user, Step.done)


def check_second_factor(session: Session, *, user: User, code: str, client: Client) -> bool:
    """Check a TOTP or recovery code after the password (throttled like the password)."""
    check_throttle(session, email=user.email, client=client)
    is_valid = user.is_active and verify_second_factor(session, user=user, code=code)
    record_attempt(session, email=user.email, client=client, is_success=is_valid, step="second_factor")
    return is_valid
