"""Fixtures of the account service tests: an organization, a user factory, a client address."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.sessions import Client
from exchange.audit import SystemActor
from exchange.models import AuditEvent, LoginAttempt, OutgoingMail

SYSTEM = SystemActor("test")
_DEFAULT = object()


@pytest.fixture
def system():
    """The actor of setup work (the command line in production)."""
    return SYSTEM


@pytest.fixture
def organization(db_session):
    """An organization made on first use (verified), as the CLI and the import do."""
    return get_or_create_organization(db_session, actor=SYSTEM, name="Công ty Thử nghiệm")


@pytest.fixture
def other_organization(db_session):
    """A second, unrelated organization."""
    return get_or_create_organization(db_session, actor=SYSTEM, name="Hợp tác xã Rau sạch Hòa Vang")


@pytest.fixture
def make_user(db_session, organization):
    """make_user(role, password=None, email=None, organization=…) → a flushed User.

    Without a password nothing is hashed (scrypt costs ~0.1 s): pass one only when the test signs in.
    An enterprise member goes into `organization` unless another (or None) is given.
    """
    from exchange.accounts.users import create_user

    numbers = itertools.count(1)
    default_organization = organization

    def make(role: str = "enterprise", *, password: str | None = None, email: str | None = None,
             organization=_DEFAULT, full_name: str | None = None):  # type: ignore[no-untyped-def]
        org = organization
        if org is _DEFAULT:
            org = default_organization if role == "enterprise" else None
        return create_user(db_session, actor=SYSTEM, email=email or f"{role}{next(numbers)}@thu.vn", role=role,
                           password=password, organization=org, full_name=full_name)

    return make


@pytest.fixture
def web_client():
    """Where a test request comes from."""
    return Client("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")


@pytest.fixture
def count_rows(db_session):
    """count_rows(Model, *conditions) → how many rows match (read from the database, not the session)."""

    def count(model, *conditions) -> int:  # type: ignore[no-untyped-def]
        db_session.flush()
        return int(db_session.scalar(select(func.count()).select_from(model).where(*conditions)))

    return count


@pytest.fixture
def written(count_rows):
    """written() → (login attempts, audit events, outgoing mails): compare before and after an action."""

    def rows() -> tuple[int, int, int]:
        return count_rows(LoginAttempt), count_rows(AuditEvent), count_rows(OutgoingMail)

    return rows
