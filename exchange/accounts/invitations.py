"""Invitations to join an organization: sent by a member or staff, single use, valid 7 days."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.accounts.organizations import get_organization
from exchange.accounts.permissions import is_staff
from exchange.accounts.sessions import key_hash
from exchange.accounts.users import create_user, email_problem, find_user, normalize_email, organization_members
from exchange.audit import Actor, SystemActor, record
from exchange.db import utcnow
from exchange.errors import PermissionDenied, ValidationError
from exchange.i18n import N_
from exchange.models import Invitation, NotificationKind, Organization, Role, User
from exchange.notifications.outbox import queue_mail

VALID_FOR = timedelta(days=7)
INVALID = N_("Lời mời không hợp lệ, đã được dùng hoặc đã hết hạn (hiệu lực 7 ngày).")


def _inviting_organization(session: Session, actor: Actor, organization_id: int | None) -> Organization:
    """The organization the actor may invite to: its own, or any for staff."""
    if is_staff(actor) and organization_id is not None:
        return get_organization(session, organization_id)
    if isinstance(actor, User) and actor.organization_id is not None and actor.role is Role.enterprise:
        if organization_id not in (None, actor.organization_id):
            raise PermissionDenied(N_("Bạn chỉ mời được người vào tổ chức của mình."))
        return get_organization(session, actor.organization_id)
    raise PermissionDenied(N_("Chỉ thành viên của tổ chức hoặc cán bộ Sở mới gửi được lời mời."))


def invite(session: Session, *, actor: Actor, email: str, base_url: str,
           organization_id: int | None = None) -> Invitation:
    """Invite an address to join an organization; earlier pending invitations to it are withdrawn."""
    org = _inviting_organization(session, actor, organization_id)
    email = normalize_email(email)
    if (problem := email_problem(email)) is not None:
        raise ValidationError(N_("Không gửi được lời mời."), {"email": problem})
    if find_user(session, email) is not None:
        raise ValidationError(N_("Không gửi được lời mời."), {"email": N_("E-mail này đã có tài khoản.")})
    now = utcnow()
    session.execute(update(Invitation).where(Invitation.organization_id == org.id, Invitation.email == email,
                                             Invitation.accepted_at.is_(None), Invitation.expires_at > now)
                    .values(expires_at=now))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(organization_id=org.id, email=email, token_hash=key_hash(token),
                            invited_by_id=actor.id if isinstance(actor, User) else None, expires_at=now + VALID_FOR)
    session.add(invitation)
    session.flush()
    inviter = actor.full_name or actor.email if isinstance(actor, User) else org.name
    queue_mail(session, to=email, kind=NotificationKind.invitation.value,
               params={"link": f"{base_url}/loi-moi/{token}", "organization": org.name, "inviter": inviter})
    record(session, actor, "invite", "invitation", invitation.id, email=email, organization=org.name)
    return invitation


def open_invitation(session: Session, token: str) -> Invitation:
    """The pending invitation of a link; ValidationError when used, expired or unknown."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == key_hash(token or "")))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        raise ValidationError(INVALID, {"token": INVALID})
    return invitation


def accept_invitation(session: Session, *, token: str, full_name: str, password: str) -> User:
    """Create the invited member's account in the organization (the link then stops working)."""
    invitation = open_invitation(session, token)
    if not " ".join((full_name or "").split()):
        raise ValidationError(N_("Chưa tạo được tài khoản."), {"full_name": N_("Bắt buộc.")})
    user = create_user(session, actor=invitation.invited_by or SystemActor("invitation"), email=invitation.email,
                       role=Role.enterprise.value, password=password, organization=invitation.organization,
                       full_name=full_name)
    invitation.accepted_at, invitation.accepted_user_id = utcnow(), user.id
    session.flush()
    record(session, user, "accept_invitation", "invitation", invitation.id, organization=invitation.organization.name)
    return user


def pending_invitations(session: Session, organization_id: int) -> list[Invitation]:
    """Invitations of an organization still waiting to be used."""
    return list(session.scalars(select(Invitation).where(
        Invitation.organization_id == organization_id, Invitation.accepted_at.is_(None),
        Invitation.expires_at > utcnow()).order_by(Invitation.created_at.desc())))


@dataclass(frozen=True)
class OrganizationOverview:
    """What a member sees of its own organization."""

    organization: Organization
    members: list[User]
    invitations: list[Invitation]


def own_organization(session: Session, *, actor: Actor) -> OrganizationOverview:
    """The actor's organization with its members and pending invitations (enterprise members only)."""
    if not (isinstance(actor, User) and actor.role is Role.enterprise and actor.organization is not None):
        raise PermissionDenied(N_("Trang này dành cho thành viên doanh nghiệp; cán bộ Sở dùng trang Các tổ chức."))
    members = organization_members(session, actor=actor, organization_id=actor.organization_id)
    return OrganizationOverview(actor.organization, members, pending_invitations(session, actor.organization_id))
