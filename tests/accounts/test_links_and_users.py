"""Signed links (password reset, activation) and what staff and members do to accounts."""
from __future__ import annotations

import time
from datetime import timedelta

import itsdangerous.timed
import pytest
from sqlalchemy import select

from exchange.accounts.links import EXPIRED, INVALID, LinkPurpose, make_link_token, read_link_token
from exchange.accounts.passwords import verify_password
from exchange.accounts.sessions import SessionLimits, resolve_session, start_session
from exchange.accounts.tokens import create_token, resolve_token
from exchange.accounts.users import (activate_account, change_password, change_role, create_user, find_user,
                                     invite_staff_account, list_users, organization_members, remove_colleague,
                                     MAX_RESETS_PER_HOUR, request_password_reset, reset_password, set_active)
from exchange.errors import Conflict, PermissionDenied, ValidationError
from exchange.models import AuditEvent, OutgoingMail, Role
from tests.support import PASSWORD

SECRET = "khoa-bi-mat-chi-dung-cho-kiem-thu"
BASE_URL = "https://san.example.vn"
NEW_PASSWORD = "một mật khẩu mới hoàn toàn"
LIMITS = SessionLimits(idle=timedelta(hours=2), absolute=timedelta(hours=12))


@pytest.fixture
def member(make_user):
    return make_user("enterprise", email="thanh.vien@thu.vn", password=PASSWORD)


@pytest.fixture
def staff(make_user):
    return make_user("staff", email="can.bo@so.vn")


def _link(session, kind: str, prefix: str) -> str:
    mail = session.scalars(select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id.desc())
                           ).first()
    assert mail is not None, f"no {kind} mail"
    assert mail.params["link"].startswith(f"{BASE_URL}{prefix}")
    return mail.params["link"].rsplit("/", 1)[1]


def _reset_token(session, email: str) -> str:
    request_password_reset(session, email=email, secret=SECRET, base_url=BASE_URL, client_address="203.0.113.7")
    return _link(session, "password_reset", "/dat-lai-mat-khau/")


def _token_made_ago(monkeypatch, seconds: int, purpose: LinkPurpose, user) -> str:
    """A link token signed `seconds` ago (the signer's clock is moved back only while signing)."""
    with monkeypatch.context() as patched:
        patched.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - seconds)
        return make_link_token(SECRET, purpose, user)


# Password reset

@pytest.mark.parametrize("email", ["khong.co.ai@thu.vn", "khong phai email", ""])
def test_a_reset_for_an_unknown_address_writes_no_mail_and_raises_nothing(db_session, member, count_rows, email):
    request_password_reset(db_session, email=email, secret=SECRET, base_url=BASE_URL, client_address="203.0.113.7")
    assert count_rows(OutgoingMail) == 0
    assert count_rows(AuditEvent, AuditEvent.action == "request_password_reset") == 0


def test_a_reset_for_an_inactive_account_writes_no_mail(db_session, member, count_rows):
    member.is_active = False
    request_password_reset(db_session, email=member.email, secret=SECRET, base_url=BASE_URL, client_address=None)
    assert count_rows(OutgoingMail) == 0


def test_a_reset_for_a_known_address_writes_one_mail_with_a_link(db_session, member):
    request_password_reset(db_session, email=" Thanh.Vien@THU.vn", secret=SECRET, base_url=BASE_URL,
                           client_address="203.0.113.7")
    mail = db_session.scalars(select(OutgoingMail)).one()
    assert (mail.kind, mail.to_address, mail.user_id) == ("password_reset", member.email, member.id)
    assert mail.params["link"].startswith(f"{BASE_URL}/dat-lai-mat-khau/")
    assert len(mail.params["link"].rsplit("/", 1)[1]) > 20
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "request_password_reset")).one()
    assert event.detail["address"] == "203.0.113.7"


def test_at_most_three_reset_mails_an_hour_go_to_one_account(db_session, member, count_rows):
    for _ in range(5):
        request_password_reset(db_session, email=member.email, secret=SECRET, base_url=BASE_URL,
                               client_address="203.0.113.7")
    assert count_rows(OutgoingMail, OutgoingMail.kind == "password_reset") == MAX_RESETS_PER_HOUR == 3


def test_reset_mails_of_more_than_an_hour_ago_do_not_count(db_session, member, count_rows):
    for _ in range(3):
        request_password_reset(db_session, email=member.email, secret=SECRET, base_url=BASE_URL, client_address="x")
    for mail in db_session.scalars(select(OutgoingMail)):
        mail.created_at -= timedelta(hours=2)
    request_password_reset(db_session, email=member.email, secret=SECRET, base_url=BASE_URL, client_address="x")
    assert count_rows(OutgoingMail, OutgoingMail.kind == "password_reset") == 4


def test_resetting_sets_the_password_and_ends_every_session_and_token(db_session, member, web_client):
    key = start_session(db_session, user=member, client=web_client)
    plain, _ = create_token(db_session, user=member, days=30, client=web_client)
    version = member.session_version
    user = reset_password(db_session, token=_reset_token(db_session, member.email), password=NEW_PASSWORD,
                          secret=SECRET)
    assert user is member and member.session_version > version
    assert verify_password(member.password_hash, NEW_PASSWORD) and not verify_password(member.password_hash, PASSWORD)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None
    assert resolve_token(db_session, plain) is None
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.action == "reset_password")).all()


def test_a_reset_link_works_only_once(db_session, member):
    token = _reset_token(db_session, member.email)
    reset_password(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)
    with pytest.raises(ValidationError) as refused:
        reset_password(db_session, token=token, password="mật khẩu thứ ba của tôi", secret=SECRET)
    assert refused.value.fields == {"token": INVALID}
    assert verify_password(member.password_hash, NEW_PASSWORD)


def test_a_reset_link_dies_when_the_password_changes_another_way(db_session, member):
    token = _reset_token(db_session, member.email)
    change_password(db_session, user=member, current=PASSWORD, new=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        reset_password(db_session, token=token, password="mật khẩu thứ ba của tôi", secret=SECRET)


def test_a_reset_with_a_weak_password_is_refused_and_the_link_still_works(db_session, member):
    token = _reset_token(db_session, member.email)
    with pytest.raises(ValidationError) as refused:
        reset_password(db_session, token=token, password="matkhau123", secret=SECRET)
    assert set(refused.value.fields) == {"password"}
    assert verify_password(member.password_hash, PASSWORD)
    reset_password(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)


@pytest.mark.parametrize("age,valid", [(59 * 60, True), (3600 + 5, False), (24 * 3600, False)])
def test_a_reset_link_lives_one_hour(db_session, member, monkeypatch, age, valid):
    token = _token_made_ago(monkeypatch, age, LinkPurpose.password_reset, member)
    if valid:
        reset_password(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)
        assert verify_password(member.password_hash, NEW_PASSWORD)
    else:
        with pytest.raises(ValidationError) as refused:
            reset_password(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)
        assert refused.value.message == EXPIRED[LinkPurpose.password_reset]
        assert "hết hạn" in refused.value.message and "1 giờ" in refused.value.message


def test_a_forged_or_foreign_token_fails(db_session, member):
    genuine = _reset_token(db_session, member.email)
    candidates = [genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
                  make_link_token("mot-khoa-khac", LinkPurpose.password_reset, member),
                  make_link_token(SECRET, LinkPurpose.activation, member),
                  "", "khong-phai-token", "x" * 10_000]
    for token in candidates:
        with pytest.raises(ValidationError) as refused:
            reset_password(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)
        assert refused.value.fields == {"token": INVALID}, token
    assert verify_password(member.password_hash, PASSWORD)


def test_a_reset_link_of_a_deactivated_account_fails(db_session, member, staff):
    token = _reset_token(db_session, member.email)
    set_active(db_session, actor=staff, user_id=member.id, is_active=False)
    with pytest.raises(ValidationError):
        read_link_token(db_session, SECRET, LinkPurpose.password_reset, token)


# Changing one's password

def test_changing_the_password_needs_the_current_one(db_session, member):
    with pytest.raises(ValidationError) as refused:
        change_password(db_session, user=member, current="không phải mật khẩu", new=NEW_PASSWORD)
    assert refused.value.fields == {"current": "Mật khẩu hiện tại không đúng."}
    assert verify_password(member.password_hash, PASSWORD)


def test_changing_the_password_ends_the_sessions(db_session, member, web_client):
    key = start_session(db_session, user=member, client=web_client)
    change_password(db_session, user=member, current=PASSWORD, new=NEW_PASSWORD)
    assert verify_password(member.password_hash, NEW_PASSWORD)
    assert resolve_session(db_session, key=key, limits=LIMITS) is None


def test_the_new_password_may_not_be_the_email(db_session, member):
    with pytest.raises(ValidationError) as refused:
        change_password(db_session, user=member, current=PASSWORD, new="Thanh.Vien@thu.vn")
    assert refused.value.fields == {"password": "Mật khẩu không được trùng với địa chỉ e-mail."}


# Accounts staff create

@pytest.mark.parametrize("role", ["broker", "staff"])
def test_staff_create_a_broker_or_staff_account_without_a_password_and_mail_an_activation_link(db_session, staff,
                                                                                                role):
    user = invite_staff_account(db_session, actor=staff, email="Moi.Vao@So.vn", role=role, full_name="Đặng Thu Hà",
                                secret=SECRET, base_url=BASE_URL)
    assert (user.email, user.role.value, user.organization_id, user.has_password) == ("moi.vao@so.vn", role, None,
                                                                                      False)
    mail = db_session.scalars(select(OutgoingMail)).one()
    assert (mail.kind, mail.to_address, mail.params["role"]) == ("account_activation", "moi.vao@so.vn", role)
    assert _link(db_session, "account_activation", "/kich-hoat/")


@pytest.mark.parametrize("role", ["enterprise", "admin", ""])
def test_staff_accounts_are_only_broker_or_staff(db_session, staff, count_rows, role):
    with pytest.raises(ValidationError) as refused:
        invite_staff_account(db_session, actor=staff, email="moi.vao@so.vn", role=role, full_name=None,
                             secret=SECRET, base_url=BASE_URL)
    assert set(refused.value.fields) == {"role"}
    assert count_rows(OutgoingMail) == 0 and find_user(db_session, "moi.vao@so.vn") is None


@pytest.mark.parametrize("role", ["enterprise", "broker"])
def test_only_staff_create_staff_accounts(db_session, make_user, count_rows, role):
    with pytest.raises(PermissionDenied):
        invite_staff_account(db_session, actor=make_user(role), email="moi.vao@so.vn", role="staff", full_name=None,
                             secret=SECRET, base_url=BASE_URL)
    assert find_user(db_session, "moi.vao@so.vn") is None


def test_activation_sets_the_first_password_once(db_session, staff):
    user = invite_staff_account(db_session, actor=staff, email="moi.vao@so.vn", role="broker", full_name=None,
                                secret=SECRET, base_url=BASE_URL)
    token = _link(db_session, "account_activation", "/kich-hoat/")
    assert activate_account(db_session, token=token, password=NEW_PASSWORD, secret=SECRET) is user
    assert user.has_password and verify_password(user.password_hash, NEW_PASSWORD)
    with pytest.raises(ValidationError):
        activate_account(db_session, token=token, password="kẻ khác đặt mật khẩu", secret=SECRET)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_an_activation_link_cannot_reset_the_password_of_an_active_account(db_session, member):
    token = make_link_token(SECRET, LinkPurpose.activation, member)
    with pytest.raises(Conflict):
        activate_account(db_session, token=token, password=NEW_PASSWORD, secret=SECRET)
    assert verify_password(member.password_hash, PASSWORD)


def test_an_activation_link_lives_seven_days(db_session, staff, monkeypatch):
    user = invite_staff_account(db_session, actor=staff, email="moi.vao@so.vn", role="broker", full_name=None,
                                secret=SECRET, base_url=BASE_URL)
    old = _token_made_ago(monkeypatch, 7 * 24 * 3600 + 60, LinkPurpose.activation, user)
    with pytest.raises(ValidationError) as refused:
        activate_account(db_session, token=old, password=NEW_PASSWORD, secret=SECRET)
    assert refused.value.message == EXPIRED[LinkPurpose.activation]
    recent = _token_made_ago(monkeypatch, 6 * 24 * 3600, LinkPurpose.activation, user)
    activate_account(db_session, token=recent, password=NEW_PASSWORD, secret=SECRET)


# Deactivation and reactivation

def test_staff_deactivate_an_account_and_its_sessions_end(db_session, staff, member, web_client):
    key = start_session(db_session, user=member, client=web_client)
    set_active(db_session, actor=staff, user_id=member.id, is_active=False)
    assert not member.is_active and resolve_session(db_session, key=key, limits=LIMITS) is None
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "deactivate_user")).one()
    assert event.actor_id == staff.id and event.object_id == str(member.id)


def test_staff_reactivate_an_account(db_session, staff, member):
    set_active(db_session, actor=staff, user_id=member.id, is_active=False)
    set_active(db_session, actor=staff, user_id=member.id, is_active=True)
    assert member.is_active
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(
        ["activate_user", "deactivate_user"])).order_by(AuditEvent.id)).all() == ["deactivate_user", "activate_user"]


def test_setting_the_same_state_again_changes_and_records_nothing(db_session, staff, member, count_rows):
    version = member.session_version
    set_active(db_session, actor=staff, user_id=member.id, is_active=True)
    assert member.session_version == version
    assert count_rows(AuditEvent, AuditEvent.action.in_(["activate_user", "deactivate_user"])) == 0


def test_staff_cannot_deactivate_themselves(db_session, staff):
    with pytest.raises(PermissionDenied) as refused:
        set_active(db_session, actor=staff, user_id=staff.id, is_active=False)
    assert refused.value.message == "Bạn không thể tự khoá tài khoản của mình."
    assert staff.is_active


@pytest.mark.parametrize("role", ["enterprise", "broker"])
def test_only_staff_deactivate(db_session, make_user, member, role):
    with pytest.raises(PermissionDenied):
        set_active(db_session, actor=make_user(role), user_id=member.id, is_active=False)
    assert member.is_active


def test_a_deactivated_staff_member_is_no_longer_staff(db_session, staff, member):
    staff.is_active = False
    with pytest.raises(PermissionDenied):
        set_active(db_session, actor=staff, user_id=member.id, is_active=False)


# Removing a colleague

def test_a_member_removes_a_colleague_of_its_organization(db_session, member, make_user, web_client):
    colleague = make_user("enterprise")
    key = start_session(db_session, user=colleague, client=web_client)
    assert remove_colleague(db_session, actor=member, user_id=colleague.id) is colleague
    assert not colleague.is_active and resolve_session(db_session, key=key, limits=LIMITS) is None


def test_a_member_cannot_remove_someone_of_another_organization(db_session, member, make_user, other_organization):
    stranger = make_user("enterprise", organization=other_organization)
    with pytest.raises(PermissionDenied) as refused:
        remove_colleague(db_session, actor=member, user_id=stranger.id)
    assert refused.value.message == "Bạn chỉ có thể gỡ đồng nghiệp trong tổ chức của mình."
    assert stranger.is_active


def test_a_member_cannot_remove_itself(db_session, member):
    with pytest.raises(PermissionDenied):
        remove_colleague(db_session, actor=member, user_id=member.id)
    assert member.is_active


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_someone_without_an_organization_removes_nobody(db_session, make_user, member, role):
    with pytest.raises(PermissionDenied):
        remove_colleague(db_session, actor=make_user(role), user_id=member.id)
    assert member.is_active


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_a_member_cannot_remove_a_former_colleague_who_became_broker_or_staff(db_session, member, make_user, staff,
                                                                              role):
    """Only staff deactivate broker and staff accounts (access matrix), even ones that kept an organization."""
    colleague = make_user("enterprise")
    change_role(db_session, actor=staff, user_id=colleague.id, role=role)
    with pytest.raises(PermissionDenied):
        remove_colleague(db_session, actor=member, user_id=colleague.id)
    assert colleague.is_active


# Roles

def test_changing_a_role_ends_the_sessions_and_is_audited(db_session, staff, member, web_client):
    key = start_session(db_session, user=member, client=web_client)
    change_role(db_session, actor=staff, user_id=member.id, role="broker")
    assert member.role is Role.broker and resolve_session(db_session, key=key, limits=LIMITS) is None
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "change_role")).one()
    assert (event.detail["old"], event.detail["new"]) == ("enterprise", "broker")


def test_changing_to_the_same_role_ends_nothing(db_session, staff, member, web_client):
    key = start_session(db_session, user=member, client=web_client)
    change_role(db_session, actor=staff, user_id=member.id, role="enterprise")
    assert resolve_session(db_session, key=key, limits=LIMITS) is not None


def test_an_account_without_an_organization_cannot_become_enterprise(db_session, staff, make_user):
    broker = make_user("broker")
    with pytest.raises(ValidationError) as refused:
        change_role(db_session, actor=staff, user_id=broker.id, role="enterprise")
    assert refused.value.fields == {"role": "Thành viên doanh nghiệp phải thuộc một tổ chức."}
    assert broker.role is Role.broker


@pytest.mark.parametrize("role", ["admin", "", "Staff"])
def test_an_unknown_role_is_refused(db_session, staff, member, role):
    with pytest.raises(ValidationError):
        change_role(db_session, actor=staff, user_id=member.id, role=role)
    assert member.role is Role.enterprise


@pytest.mark.parametrize("role", ["enterprise", "broker"])
def test_only_staff_change_roles(db_session, make_user, member, role):
    with pytest.raises(PermissionDenied):
        change_role(db_session, actor=make_user(role), user_id=member.id, role="staff")
    assert member.role is Role.enterprise


# Lists

def test_staff_list_users_filtered_by_email_name_and_role(db_session, staff, make_user, system):
    create_user(db_session, actor=system, email="nguyen.hoa@thu.vn", role="broker", password=None,
                full_name="Nguyễn Thị Hoa")
    make_user("broker", email="tran.binh@thu.vn")
    users, total = list_users(db_session, actor=staff)
    assert total == 3 and len(users) == 3
    assert [u.email for u in list_users(db_session, actor=staff, query=" HOA ")[0]] == ["nguyen.hoa@thu.vn"]
    assert {u.email for u in list_users(db_session, actor=staff, role="broker")[0]} == {"nguyen.hoa@thu.vn",
                                                                                         "tran.binh@thu.vn"}
    page, total = list_users(db_session, actor=staff, per_page=2, page=2)
    assert total == 3 and len(page) == 1


@pytest.mark.parametrize("role", ["enterprise", "broker"])
def test_only_staff_list_users(db_session, make_user, role):
    with pytest.raises(PermissionDenied):
        list_users(db_session, actor=make_user(role))


def test_members_and_staff_see_an_organizations_members_others_do_not(db_session, member, staff, make_user,
                                                                       other_organization):
    stranger = make_user("enterprise", organization=other_organization)
    assert organization_members(db_session, actor=member, organization_id=member.organization_id) == [member]
    assert organization_members(db_session, actor=staff, organization_id=member.organization_id) == [member]
    for actor in (stranger, make_user("broker")):
        with pytest.raises(PermissionDenied):
            organization_members(db_session, actor=actor, organization_id=member.organization_id)
