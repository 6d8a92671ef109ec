"""Browser sessions: a random key whose hash is kept; they end on sign-out, version change, idle and age."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.accounts.sessions import (SessionLimits, end_all_sessions, end_session, needs_touch, resolve_session,
                                        sign_out_everywhere, start_session, touch_session)
from exchange.accounts.tokens import create_token
from exchange.accounts.users import set_active
from exchange.db import utcnow
from exchange.models import ApiToken, AuditEvent, LoginSession

LIMITS = SessionLimits(idle=timedelta(hours=2), absolute=timedelta(hours=12))


@pytest.fixture
def user(make_user):
    return make_user("enterprise")


def test_a_started_session_resolves_to_its_user(db_session, user, web_client):
    key = start_session(db_session, user=user, client=web_client)
    resolved_user, row = resolve_session(db_session, key=key, limits=LIMITS)
    assert resolved_user is user and row.user_id == user.id
    assert (row.client_address, row.user_agent) == (web_client.address, web_client.user_agent)


def test_only_the_hash_of_the_key_is_stored(db_session, user, web_client):
    key = start_session(db_session, user=user, client=web_client)
    row = db_session.scalars(select(LoginSession)).one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest() != key
    assert len(key) >= 40


def test_every_session_gets_a_different_key(db_session, user, web_client):
    keys = {start_session(db_session, user=user, client=web_client) for _ in range(3)}
    assert len(keys) == 3


def test_starting_a_session_records_the_login_and_its_time(db_session, user, web_client):
    start_session(db_session, user=user, client=web_client)
    assert user.last_login_at is not None
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
    assert event.actor_id == user.id and event.detail["address"] == web_client.address


@pytest.mark.parametrize("key", ["", "khong-co-phien-nay", "x" * 10_000])
def test_an_unknown_key_does_not_resolve(db_session, user, web_client, key):
    start_session(db_session, user=user, client=web_client)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None


def test_an_ended_session_does_not_resolve_and_others_still_do(db_session, user, web_client):
    here = start_session(db_session, user=user, client=web_client)
    elsewhere = start_session(db_session, user=user, client=web_client)
    end_session(db_session, key=here, client=web_client)
    assert resolve_session(db_session, key=here, limits=LIMITS) is None
    assert resolve_session(db_session, key=elsewhere, limits=LIMITS) is not None
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.action == "logout")).all() == ["logout"]


def test_ending_an_unknown_or_ended_session_does_nothing(db_session, user, web_client, count_rows):
    key = start_session(db_session, user=user, client=web_client)
    end_session(db_session, key=key)
    end_session(db_session, key=key)
    end_session(db_session, key="khong-co-phien-nay")
    assert count_rows(AuditEvent, AuditEvent.action == "logout") == 1


def test_end_all_sessions_moves_the_version_ends_every_session_and_revokes_every_token(db_session, user, make_user,
                                                                                      web_client):
    other = make_user("broker")
    keys = [start_session(db_session, user=user, client=web_client) for _ in range(2)]
    other_key = start_session(db_session, user=other, client=web_client)
    create_token(db_session, user=user, days=30, client=web_client)
    create_token(db_session, user=other, days=30, client=web_client)
    version = user.session_version
    end_all_sessions(db_session, user=user)
    assert user.session_version == version + 1
    assert db_session.scalars(select(LoginSession.ended_at).where(LoginSession.user_id == user.id)).all() != []
    assert None not in db_session.scalars(select(LoginSession.ended_at).where(LoginSession.user_id == user.id)).all()
    assert None not in db_session.scalars(select(ApiToken.revoked_at).where(ApiToken.user_id == user.id)).all()
    assert all(resolve_session(db_session, key=key, limits=LIMITS) is None for key in keys)
    assert resolve_session(db_session, key=other_key, limits=LIMITS) is not None
    assert db_session.scalars(select(ApiToken.revoked_at).where(ApiToken.user_id == other.id)).all() == [None]


def test_sign_out_everywhere_ends_the_sessions_and_is_audited(db_session, user, web_client):
    key = start_session(db_session, user=user, client=web_client)
    sign_out_everywhere(db_session, user=user, client=web_client)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "logout_everywhere")).one()
    assert event.actor_id == user.id


def test_a_session_of_an_older_version_does_not_resolve(db_session, user, web_client):
    key = start_session(db_session, user=user, client=web_client)
    user.session_version += 1
    assert resolve_session(db_session, key=key, limits=LIMITS) is None


@pytest.mark.parametrize("unused,alive", [(timedelta(hours=2), True), (timedelta(hours=2, seconds=1), False)])
def test_a_session_unused_for_longer_than_the_idle_limit_ends(db_session, user, web_client, unused, alive):
    key = start_session(db_session, user=user, client=web_client)
    row = db_session.scalars(select(LoginSession)).one()
    resolved = resolve_session(db_session, key=key, limits=LIMITS, now=row.last_seen_at + unused)
    assert (resolved is not None) is alive


def test_using_a_session_pushes_the_idle_limit_back(db_session, user, web_client):
    key = start_session(db_session, user=user, client=web_client)
    row = db_session.scalars(select(LoginSession)).one()
    later = row.last_seen_at + timedelta(hours=1, minutes=30)
    assert needs_touch(row, now=later)
    touch_session(db_session, session_id=row.id, now=later)
    assert resolve_session(db_session, key=key, limits=LIMITS, now=later + timedelta(hours=1, minutes=30)) is not None


@pytest.mark.parametrize("age,alive", [(timedelta(hours=12), True), (timedelta(hours=12, seconds=1), False)])
def test_a_session_older_than_the_absolute_limit_ends_even_when_in_use(db_session, user, web_client, age, alive):
    key = start_session(db_session, user=user, client=web_client)
    row = db_session.scalars(select(LoginSession)).one()
    now = row.created_at + age
    touch_session(db_session, session_id=row.id, now=now - timedelta(minutes=1))
    assert (resolve_session(db_session, key=key, limits=LIMITS, now=now) is not None) is alive


def test_a_deactivated_users_session_does_not_resolve(db_session, user, web_client, system):
    key = start_session(db_session, user=user, client=web_client)
    set_active(db_session, actor=system, user_id=user.id, is_active=False)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None


def test_a_session_does_not_resolve_while_its_user_is_inactive_even_without_a_version_change(db_session, user,
                                                                                            web_client):
    key = start_session(db_session, user=user, client=web_client)
    user.is_active = False
    assert resolve_session(db_session, key=key, limits=LIMITS) is None


def test_a_session_ended_by_deactivation_stays_ended_after_reactivation(db_session, user, web_client, system):
    key = start_session(db_session, user=user, client=web_client)
    set_active(db_session, actor=system, user_id=user.id, is_active=False)
    set_active(db_session, actor=system, user_id=user.id, is_active=True)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None
    assert resolve_session(db_session, key=start_session(db_session, user=user, client=web_client),
                           limits=LIMITS) is not None


def test_the_last_seen_time_is_written_at_most_once_a_minute(db_session, user, web_client):
    start_session(db_session, user=user, client=web_client)
    row = db_session.scalars(select(LoginSession)).one()
    assert not needs_touch(row, now=row.last_seen_at + timedelta(seconds=59))
    assert needs_touch(row, now=row.last_seen_at + timedelta(minutes=1))
    assert not needs_touch(row, now=utcnow() - timedelta(minutes=5))
