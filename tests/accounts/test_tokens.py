"""API bearer tokens: only a SHA-256 is kept; they die when revoked, expired, or with the session version."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.accounts.sessions import end_all_sessions
from exchange.accounts.tokens import PREFIX, create_token, needs_touch, resolve_token, revoke_token, touch_token
from exchange.accounts.users import set_active
from exchange.models import ApiToken, AuditEvent


@pytest.fixture
def user(make_user):
    return make_user("enterprise")


@pytest.fixture
def token(db_session, user, web_client):
    """(plain, row) of a fresh 30-day token."""
    return create_token(db_session, user=user, days=30, client=web_client)


def test_a_new_token_starts_with_the_prefix_and_only_its_sha256_is_stored(db_session, token):
    plain = token[0]
    assert plain.startswith("sgd_") and PREFIX == "sgd_"
    assert len(plain) > 40
    stored = db_session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in {str(value) for value in vars(stored).values()}


def test_each_token_is_different(db_session, user, web_client):
    plains = {create_token(db_session, user=user, days=30, client=web_client)[0] for _ in range(3)}
    assert len(plains) == 3


def test_creating_a_token_is_audited(db_session, token, user):
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "create_token")).one()
    assert event.actor_id == user.id and event.object_id == str(token[1].id)


def test_a_live_token_resolves_to_its_user(db_session, token, user):
    plain, row = token
    assert resolve_token(db_session, plain) == (user, row)


def test_a_revoked_token_does_not_resolve(db_session, token, user):
    plain, row = token
    revoke_token(db_session, user=user, token=row)
    assert resolve_token(db_session, plain) is None
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.action == "revoke_token")).all()


@pytest.mark.parametrize("after,alive", [(timedelta(days=30) - timedelta(seconds=1), True),
                                         (timedelta(days=30), False), (timedelta(days=31), False)])
def test_a_token_stops_resolving_when_it_expires(db_session, token, after, alive):
    plain, row = token
    created = row.expires_at - timedelta(days=30)
    assert (resolve_token(db_session, plain, now=created + after) is not None) is alive


def test_a_token_of_an_older_session_version_does_not_resolve(db_session, token, user):
    user.session_version += 1
    assert resolve_token(db_session, token[0]) is None


def test_ending_all_sessions_kills_the_token(db_session, token, user):
    end_all_sessions(db_session, user=user)
    assert resolve_token(db_session, token[0]) is None


def test_a_token_of_a_deactivated_user_does_not_resolve(db_session, token, user, system):
    set_active(db_session, actor=system, user_id=user.id, is_active=False)
    assert resolve_token(db_session, token[0]) is None


def test_a_token_does_not_resolve_while_its_user_is_inactive(db_session, token, user):
    user.is_active = False
    assert resolve_token(db_session, token[0]) is None


@pytest.mark.parametrize("garbage", ["", "sgd_", "sgd_khong-co-token-nay", "Bearer sgd_abc", "abc", " " * 50,
                                     "sgd_" + "ư" * 100, "sgd_\x00\x01", "SGD_abc", "sgd_' OR '1'='1",
                                     "sgd_" + "a" * 10_000, "x" * 10_000])
def test_garbage_does_not_resolve(db_session, token, garbage):
    assert resolve_token(db_session, garbage) is None


def test_a_token_with_a_changed_character_does_not_resolve(db_session, token):
    plain = token[0]
    changed = plain[:-1] + ("A" if plain[-1] != "A" else "B")
    assert resolve_token(db_session, changed) is None


def test_a_token_plus_extra_characters_does_not_resolve(db_session, token):
    assert resolve_token(db_session, token[0] + "x") is None
    assert resolve_token(db_session, token[0] + " ") is None


def test_last_use_is_written_at_most_once_a_minute(db_session, token):
    row = token[1]
    assert needs_touch(row)
    touch_token(db_session, token_id=row.id)
    db_session.refresh(row)
    assert row.last_used_at is not None
    assert not needs_touch(row, now=row.last_used_at + timedelta(seconds=59))
    assert needs_touch(row, now=row.last_used_at + timedelta(minutes=1))
