"""Invitations to join an organization: sent by its members or staff, single use, valid 7 days."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.accounts.invitations import (INVALID, VALID_FOR, accept_invitation, invite, open_invitation,
                                           own_organization, pending_invitations)
from exchange.accounts.passwords import verify_password
from exchange.accounts.sessions import key_hash
from exchange.db import utcnow
from exchange.errors import PermissionDenied, ValidationError
from exchange.models import AuditEvent, Invitation, OutgoingMail, Role, User
from tests.support import PASSWORD

BASE_URL = "https://san.example.vn"
GUEST = "khach.moi@thu.vn"


@pytest.fixture
def member(make_user):
    return make_user("enterprise", full_name="Phạm Minh Đức")


def _token(session, invitation: Invitation) -> str:
    """The token of an invitation, read back from the link in its mail."""
    mail = session.scalars(select(OutgoingMail).where(OutgoingMail.kind == "invitation",
                                                      OutgoingMail.to_address == invitation.email)
                           .order_by(OutgoingMail.id.desc())).first()
    link = mail.params["link"]
    assert link.startswith(f"{BASE_URL}/loi-moi/")
    return link.rsplit("/", 1)[1]


def test_a_member_invites_an_address_into_its_organization(db_session, member, organization):
    invitation = invite(db_session, actor=member, email="  Khach.Moi@THU.vn ", base_url=BASE_URL)
    assert (invitation.organization_id, invitation.email, invitation.invited_by_id) == (organization.id, GUEST,
                                                                                        member.id)
    assert invitation.expires_at - utcnow() > VALID_FOR - timedelta(minutes=1)
    mail = db_session.scalars(select(OutgoingMail)).one()
    assert (mail.kind, mail.to_address) == ("invitation", GUEST)
    assert "/loi-moi/" in mail.params["link"]
    assert mail.params["organization"] == organization.name and mail.params["inviter"] == "Phạm Minh Đức"


def test_only_the_hash_of_the_invitation_token_is_stored(db_session, member):
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    token = _token(db_session, invitation)
    assert invitation.token_hash == key_hash(token) != token


def test_inviting_is_audited(db_session, member):
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "invite")).one()
    assert event.actor_id == member.id and event.object_id == str(invitation.id) and event.detail["email"] == GUEST


def test_accepting_creates_an_enterprise_member_of_that_organization(db_session, member, organization,
                                                                     other_organization):
    token = _token(db_session, invite(db_session, actor=member, email=GUEST, base_url=BASE_URL))
    user = accept_invitation(db_session, token=token, full_name="  Võ Thị   Hoa ", password=PASSWORD)
    assert (user.email, user.role, user.organization_id) == (GUEST, Role.enterprise, organization.id)
    assert user.full_name == "Võ Thị Hoa" and verify_password(user.password_hash, PASSWORD)
    invitation = db_session.scalars(select(Invitation)).one()
    assert invitation.accepted_at is not None and invitation.accepted_user_id == user.id


def test_an_invitation_works_only_once(db_session, member, count_rows):
    token = _token(db_session, invite(db_session, actor=member, email=GUEST, base_url=BASE_URL))
    accept_invitation(db_session, token=token, full_name="Võ Thị Hoa", password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        accept_invitation(db_session, token=token, full_name="Kẻ Khác", password=PASSWORD)
    assert refused.value.message == INVALID and "7 ngày" in INVALID
    with pytest.raises(ValidationError):
        open_invitation(db_session, token)
    assert count_rows(User, User.email == GUEST) == 1


def test_an_expired_invitation_fails(db_session, member, count_rows):
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    token = _token(db_session, invitation)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db_session.flush()
    with pytest.raises(ValidationError):
        accept_invitation(db_session, token=token, full_name="Võ Thị Hoa", password=PASSWORD)
    assert count_rows(User, User.email == GUEST) == 0


@pytest.mark.parametrize("token", ["", "khong-co-loi-moi-nay", "x" * 10_000])
def test_an_unknown_token_fails(db_session, member, token):
    invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    with pytest.raises(ValidationError):
        open_invitation(db_session, token)


def test_accepting_needs_a_name_and_a_good_password_and_keeps_the_invitation(db_session, member, count_rows):
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    token = _token(db_session, invitation)
    with pytest.raises(ValidationError) as no_name:
        accept_invitation(db_session, token=token, full_name="  ", password=PASSWORD)
    assert no_name.value.fields == {"full_name": "Bắt buộc."}
    with pytest.raises(ValidationError) as weak:
        accept_invitation(db_session, token=token, full_name="Võ Thị Hoa", password="matkhau123")
    assert set(weak.value.fields) == {"password"}
    assert count_rows(User, User.email == GUEST) == 0
    assert open_invitation(db_session, token) is invitation


def test_inviting_an_address_that_has_an_account_is_refused(db_session, member, make_user, count_rows):
    make_user("broker", email=GUEST)
    with pytest.raises(ValidationError) as refused:
        invite(db_session, actor=member, email=GUEST.upper(), base_url=BASE_URL)
    assert refused.value.fields == {"email": "E-mail này đã có tài khoản."}
    assert count_rows(Invitation) == count_rows(OutgoingMail) == 0


@pytest.mark.parametrize("email", ["", "khong-phai-email", "a@b", "hai@@thu.vn"])
def test_inviting_a_malformed_address_is_refused(db_session, member, email):
    with pytest.raises(ValidationError) as refused:
        invite(db_session, actor=member, email=email, base_url=BASE_URL)
    assert refused.value.fields == {"email": "Địa chỉ e-mail không hợp lệ."}


def test_a_member_cannot_invite_into_another_organization(db_session, member, other_organization, count_rows):
    with pytest.raises(PermissionDenied):
        invite(db_session, actor=member, email=GUEST, base_url=BASE_URL, organization_id=other_organization.id)
    assert count_rows(Invitation) == count_rows(OutgoingMail) == 0


def test_a_member_naming_its_own_organization_may_invite(db_session, member, organization):
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL, organization_id=organization.id)
    assert invitation.organization_id == organization.id


def test_staff_invite_into_any_organization(db_session, make_user, other_organization):
    staff = make_user("staff")
    token = _token(db_session, invite(db_session, actor=staff, email=GUEST, base_url=BASE_URL,
                                      organization_id=other_organization.id))
    user = accept_invitation(db_session, token=token, full_name="Võ Thị Hoa", password=PASSWORD)
    assert user.organization_id == other_organization.id


def test_the_system_invites_into_any_organization_in_the_organizations_name(db_session, system, other_organization):
    invitation = invite(db_session, actor=system, email=GUEST, base_url=BASE_URL,
                        organization_id=other_organization.id)
    assert invitation.invited_by_id is None
    assert db_session.scalars(select(OutgoingMail)).one().params["inviter"] == other_organization.name


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_without_an_organization_named_a_broker_or_staff_cannot_invite(db_session, make_user, role):
    with pytest.raises(PermissionDenied):
        invite(db_session, actor=make_user(role), email=GUEST, base_url=BASE_URL)


def test_a_broker_cannot_invite_even_naming_an_organization(db_session, make_user, organization, count_rows):
    with pytest.raises(PermissionDenied):
        invite(db_session, actor=make_user("broker"), email=GUEST, base_url=BASE_URL, organization_id=organization.id)
    assert count_rows(Invitation) == 0


def test_a_deactivated_staff_member_cannot_invite(db_session, make_user, organization):
    staff = make_user("staff")
    staff.is_active = False
    with pytest.raises(PermissionDenied):
        invite(db_session, actor=staff, email=GUEST, base_url=BASE_URL, organization_id=organization.id)


def test_a_new_invitation_to_the_same_address_withdraws_the_earlier_one(db_session, member, make_user):
    first = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    first_token = _token(db_session, first)
    colleague = make_user("enterprise")
    second = invite(db_session, actor=colleague, email=GUEST, base_url=BASE_URL)
    second_token = _token(db_session, second)
    assert first_token != second_token
    with pytest.raises(ValidationError):
        open_invitation(db_session, first_token)
    assert open_invitation(db_session, second_token) is second
    assert pending_invitations(db_session, member.organization_id) == [second]


def test_an_invitation_to_another_address_stays_pending(db_session, member):
    first = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    second = invite(db_session, actor=member, email="nguoi.khac@thu.vn", base_url=BASE_URL)
    assert set(pending_invitations(db_session, member.organization_id)) == {first, second}


def test_a_member_sees_its_organization_with_members_and_pending_invitations(db_session, member, make_user,
                                                                           other_organization):
    colleague = make_user("enterprise")
    make_user("enterprise", organization=other_organization)
    invitation = invite(db_session, actor=member, email=GUEST, base_url=BASE_URL)
    overview = own_organization(db_session, actor=member)
    assert overview.organization is member.organization
    assert set(overview.members) == {member, colleague}
    assert overview.invitations == [invitation]


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_only_enterprise_members_have_an_own_organization_page(db_session, make_user, role):
    with pytest.raises(PermissionDenied):
        own_organization(db_session, actor=make_user(role))
