"""People of the listing service tests: a member of a cooperative, one of another organization, staff, a broker.

Modules that need other people define their own fixtures of the same names (those win).
"""
from __future__ import annotations

import pytest

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from tests.support import SYSTEM

PASSWORD = "mat-khau-dai-du"


def enterprise_member(session, email: str, organization: str):  # type: ignore[no-untyped-def]
    """A flushed enterprise member of the named organization (made on first use)."""
    org = get_or_create_organization(session, actor=SYSTEM, name=organization)
    return create_user(session, actor=SYSTEM, email=email, role="enterprise", password=PASSWORD, organization=org)


@pytest.fixture
def new_member(db_session):  # type: ignore[no-untyped-def]
    """new_member(email, organization) → another enterprise member."""
    return lambda email, organization: enterprise_member(db_session, email, organization)


@pytest.fixture
def member(db_session):  # type: ignore[no-untyped-def]
    return enterprise_member(db_session, "dn@htx.vn", "HTX Nông sản Thăng Bình")


@pytest.fixture
def other_member(db_session):  # type: ignore[no-untyped-def]
    return enterprise_member(db_session, "khac@cty.vn", "Công ty Chế biến hạt điều Điện Bàn")


@pytest.fixture
def staff(db_session):  # type: ignore[no-untyped-def]
    return create_user(db_session, actor=SYSTEM, email="cb@so.vn", role="staff", password=PASSWORD)


@pytest.fixture
def broker(db_session):  # type: ignore[no-untyped-def]
    return create_user(db_session, actor=SYSTEM, email="mg@so.vn", role="broker", password=PASSWORD)
