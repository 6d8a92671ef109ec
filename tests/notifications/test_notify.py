"""Notifying users, their mail preferences, reading and marking notifications, and the text of every kind."""
from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.db import utcnow
from exchange.errors import ValidationError
from exchange.jobs.hooks import pending_jobs
from exchange.models import (
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutgoingMail,
)
from exchange.notifications.kinds import PREFERENCE_KINDS, TEXTS, notification_text
from exchange.notifications.mail import translations
from exchange.notifications.services import (
    list_notifications,
    mark_read,
    notify,
    notify_all,
    preferences,
    set_preferences,
    unread_count,
)

SYSTEM = SystemActor("test")
APPROVED = NotificationKind.listing_approved
TITLE = {"title": "Máy sấy nông sản bằng bơm nhiệt"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture
def make_user(db_session):
    """make_user(**columns) → a flushed broker account (brokers need no organization; no password is hashed)."""
    numbers = itertools.count(1)

    def make(**columns):  # type: ignore[no-untyped-def]
        user = create_user(db_session, actor=SYSTEM, email=f"nguoi{next(numbers)}@thu.vn", role="broker",
                           password=None)
        for name, value in columns.items():
            setattr(user, name, value)
        db_session.flush()
        return user

    return make


def count(db_session, model, *conditions) -> int:  # type: ignore[no-untyped-def]
    db_session.flush()
    return int(db_session.scalar(select(func.count()).select_from(model).where(*conditions)))


def mails_to(db_session, user) -> list[OutgoingMail]:  # type: ignore[no-untyped-def]
    db_session.flush()
    return list(db_session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == user.email)))


# --- notify and the preferences --------------------------------------------------------------------

def test_notify_writes_a_notification_with_its_kind_params_and_link(db_session, make_user):
    user = make_user()
    note = notify(db_session, user=user, kind=APPROVED, params=TITLE, link="/tin/7")
    stored = db_session.get(Notification, note.id)
    assert (stored.user_id, stored.kind, stored.params, stored.link) == (user.id, APPROVED, TITLE, "/tin/7")
    assert stored.read_at is None and stored.is_digest_pending is False


def test_by_default_a_notification_is_mailed_at_once_with_its_link_and_id(db_session, make_user):
    user = make_user()
    note = notify(db_session, user=user, kind=APPROVED, params=TITLE, link="/tin/7")
    [mail] = mails_to(db_session, user)
    assert mail.kind == APPROVED.value
    assert mail.params == {**TITLE, "link": "/tin/7", "notification_id": note.id}
    assert (mail.user_id, mail.language, mail.status.value, mail.attempts) == (user.id, "vi", "pending", 0)


def test_the_immediate_mail_is_queued_for_after_the_commit(db_session, make_user):
    user = make_user()
    notify(db_session, user=user, kind=APPROVED, params=TITLE)
    [mail] = mails_to(db_session, user)
    assert ("send_mail", (mail.id,)) in pending_jobs(db_session)


def test_the_mail_is_written_in_the_language_of_the_user(db_session, make_user):
    user = make_user(language="en")
    notify(db_session, user=user, kind=APPROVED, params=TITLE)
    assert [m.language for m in mails_to(db_session, user)] == ["en"]


def test_daily_delivery_sends_no_mail_and_keeps_the_notification_for_the_digest(db_session, make_user):
    user = make_user()
    set_preferences(db_session, user=user, choices={APPROVED.value: "daily"})
    note = notify(db_session, user=user, kind=APPROVED, params=TITLE)
    assert note.is_digest_pending is True and note.digested_at is None
    assert mails_to(db_session, user) == []


def test_never_delivery_sends_no_mail_and_nothing_to_the_digest(db_session, make_user):
    user = make_user()
    set_preferences(db_session, user=user, choices={APPROVED.value: "never"})
    note = notify(db_session, user=user, kind=APPROVED, params=TITLE)
    assert note is not None and note.is_digest_pending is False
    assert mails_to(db_session, user) == []


def test_a_preference_applies_to_its_own_kind_only(db_session, make_user):
    user = make_user()
    set_preferences(db_session, user=user, choices={APPROVED.value: "never"})
    notify(db_session, user=user, kind=NotificationKind.listing_rejected, params={**TITLE, "reason": "Thiếu ảnh"})
    assert [m.kind for m in mails_to(db_session, user)] == ["listing_rejected"]


def test_an_inactive_user_gets_neither_a_notification_nor_a_mail(db_session, make_user):
    user = make_user(is_active=False)
    assert notify(db_session, user=user, kind=APPROVED, params=TITLE) is None
    assert count(db_session, Notification, Notification.user_id == user.id) == 0
    assert mails_to(db_session, user) == []


def test_notify_all_notifies_each_active_user_once(db_session, make_user):
    first, second, inactive = make_user(), make_user(), make_user(is_active=False)
    assert notify_all(db_session, users=[first, second, first, inactive], kind=APPROVED, params=TITLE) == 2
    assert count(db_session, Notification, Notification.user_id == first.id) == 1
    assert count(db_session, Notification, Notification.user_id == second.id) == 1
    assert count(db_session, Notification, Notification.user_id == inactive.id) == 0


def test_preferences_default_to_immediately_for_every_kind_a_user_can_receive(db_session, make_user):
    assert preferences(db_session, make_user()) == {kind: Delivery.immediately for kind in PREFERENCE_KINDS}
    assert NotificationKind.invitation not in PREFERENCE_KINDS  # invitations go to addresses without an account


def test_set_preferences_saves_and_later_changes_a_choice(db_session, make_user):
    user = make_user()
    set_preferences(db_session, user=user, choices={APPROVED.value: "daily", "message": "never"})
    chosen = set_preferences(db_session, user=user, choices={APPROVED.value: "never"})
    assert chosen[APPROVED] is Delivery.never and chosen[NotificationKind.message] is Delivery.never
    assert chosen[NotificationKind.reminder] is Delivery.immediately
    assert count(db_session, NotificationPreference, NotificationPreference.user_id == user.id) == 2


@pytest.mark.parametrize("choices,bad_key", [
    ({"weekly_news": "daily"}, "weekly_news"),
    ({APPROVED.value: "weekly"}, APPROVED.value),
    ({APPROVED.value: "never", "message": "sometimes"}, "message"),
    ({"reminder": "daily", "no_such_kind": "never"}, "no_such_kind"),
])
def test_set_preferences_refuses_an_unknown_kind_or_delivery_and_changes_nothing(db_session, make_user, choices,
                                                                                   bad_key):
    user = make_user()
    with pytest.raises(ValidationError) as refused:
        set_preferences(db_session, user=user, choices=choices)
    assert refused.value.message == "Lựa chọn không hợp lệ."
    assert refused.value.fields == {bad_key: "Chỉ nhận: immediately, daily, never."}
    assert count(db_session, NotificationPreference, NotificationPreference.user_id == user.id) == 0
    assert preferences(db_session, user) == {kind: Delivery.immediately for kind in PREFERENCE_KINDS}


# --- reading and marking ------------------------------------------------------------------------------

def _notes(db_session, user, how_many: int) -> list[Notification]:  # type: ignore[no-untyped-def]
    """Notifications whose creation order is the reverse of their id order (so the test sees which one sorts)."""
    start = utcnow() - timedelta(days=1)
    notes = [notify(db_session, user=user, kind=APPROVED, params={"title": f"Tin {n}"}) for n in range(how_many)]
    for position, note in enumerate(notes):
        note.created_at = start - timedelta(minutes=position)
    db_session.flush()
    return notes


def test_list_notifications_pages_newest_first_with_the_total_and_unread_count(db_session, make_user):
    user, other = make_user(), make_user()
    notes = _notes(db_session, user, 25)
    _notes(db_session, other, 3)
    mark_read(db_session, user=user, ids=[notes[0].id, notes[24].id])
    newest_first = [n.id for n in notes]  # the first made is the newest by created_at
    pages = [list_notifications(db_session, user=user, page=page, per_page=10) for page in (1, 2, 3)]
    assert [[n.id for n in p.results] for p in pages] == [newest_first[:10], newest_first[10:20], newest_first[20:]]
    assert {(p.total, p.unread, p.per_page) for p in pages} == {(25, 23, 10)}
    assert [p.page for p in pages] == [1, 2, 3]


def test_list_notifications_can_show_only_the_unread(db_session, make_user):
    user = make_user()
    notes = _notes(db_session, user, 4)
    mark_read(db_session, user=user, ids=[notes[1].id])
    page = list_notifications(db_session, user=user, unread_only=True)
    assert [n.id for n in page.results] == [notes[0].id, notes[2].id, notes[3].id]
    assert (page.total, page.unread) == (3, 3)


@pytest.mark.parametrize("page,per_page,expected", [(0, 20, (1, 20)), (-3, 0, (1, 1)), (1, 5000, (1, 100))])
def test_list_notifications_keeps_paging_within_bounds(db_session, make_user, page, per_page, expected):
    listed = list_notifications(db_session, user=make_user(), page=page, per_page=per_page)
    assert (listed.page, listed.per_page) == expected


def test_mark_read_marks_only_the_users_own_notifications(db_session, make_user):
    user, other = make_user(), make_user()
    mine = _notes(db_session, user, 2)
    [theirs] = _notes(db_session, other, 1)
    assert mark_read(db_session, user=user, ids=[mine[0].id, theirs.id]) == 1
    db_session.expire_all()
    assert db_session.get(Notification, mine[0].id).read_at is not None
    assert db_session.get(Notification, mine[1].id).read_at is None
    assert db_session.get(Notification, theirs.id).read_at is None
    assert (unread_count(db_session, user), unread_count(db_session, other)) == (1, 1)


def test_mark_read_without_ids_marks_all_of_the_users_notifications_and_no_one_elses(db_session, make_user):
    user, other = make_user(), make_user()
    _notes(db_session, user, 3)
    _notes(db_session, other, 2)
    assert mark_read(db_session, user=user, ids=None) == 3
    assert (unread_count(db_session, user), unread_count(db_session, other)) == (0, 2)


def test_mark_read_with_an_empty_list_marks_nothing(db_session, make_user):
    user = make_user()
    _notes(db_session, user, 2)
    assert mark_read(db_session, user=user, ids=[]) == 0
    assert unread_count(db_session, user) == 2


def test_marking_a_read_notification_again_keeps_its_first_read_time(db_session, make_user):
    user = make_user()
    [note] = _notes(db_session, user, 1)
    mark_read(db_session, user=user, ids=[note.id])
    db_session.expire_all()
    first = db_session.get(Notification, note.id).read_at
    assert mark_read(db_session, user=user, ids=[note.id]) == 0
    db_session.expire_all()
    assert db_session.get(Notification, note.id).read_at == first


# --- the text of every kind -----------------------------------------------------------------------------

def _params_of(kind: NotificationKind) -> dict[str, str]:
    return {name: f"«{name}-giá-trị»" for name in PLACEHOLDER.findall(TEXTS[kind])}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_with_all_its_params(kind, language):
    params = _params_of(kind)
    text = notification_text(kind, params, translations(language).gettext)
    assert params, f"{kind.value} has no parameters"
    for value in params.values():
        assert value in text
    assert "%(" not in text and "…" not in text


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_a_missing_param_reads_as_an_ellipsis_instead_of_failing(kind):
    params = _params_of(kind)
    missing = next(iter(params))
    text = notification_text(kind.value, {k: v for k, v in params.items() if k != missing}, lambda s: s)
    assert "…" in text and params[missing] not in text and "%(" not in text


def test_the_vietnamese_text_reads_as_written():
    text = notification_text(NotificationKind.listing_rejected, {"title": "Máy sấy", "reason": "Thiếu ảnh"},
                             lambda s: s)
    assert text == "Tin “Máy sấy” chưa được duyệt: Thiếu ảnh"


def test_a_marked_parameter_is_shown_in_the_readers_language_user_text_is_not():
    from exchange.notifications.kinds import marked, notification_text

    english = {"đã được duyệt và công bố": "approved and published", "Bản sửa của tin “%(title)s”: %(decision)s":
               "Revision of the listing “%(title)s”: %(decision)s"}.get
    approved = {"title": "Máy sấy", **marked(decision="đã được duyệt và công bố")}
    assert notification_text("revision_decided", approved, lambda s: english(s, s)) == \
        "Revision of the listing “Máy sấy”: approved and published"
    rejected = {"title": "Máy sấy", "decision": "đã được duyệt và công bố"}  # the same words typed by staff
    assert notification_text("revision_decided", rejected, lambda s: english(s, s)).endswith(
        ": đã được duyệt và công bố")
