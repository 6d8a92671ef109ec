"""User accounts: create, find, activate, change password or role, deactivate and reactivate."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.links import LinkPurpose, make_link_token, read_link_token
from exchange.accounts.passwords import hash_password, password_problem, verify_password
from exchange.accounts.permissions import is_staff, require_staff
from exchange.accounts.sessions import end_all_sessions
from exchange.audit import Actor, record
from exchange.db import utcnow
from exchange.errors import Conflict, NotFound, PermissionDenied, ValidationError
from exchange.i18n import N_, Msg
from exchange.models import Organization, OutgoingMail, Role, User
from exchange.notifications.outbox import queue_mail

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254
MAX_NAME = 200
BAD_ROLE = N_("Vai trò không hợp lệ.")
MAX_RESETS_PER_HOUR = 3


def normalize_email(email: str) -> str:
    """The e-mail as stored: trimmed, lower case."""
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    """Why an e-mail address is refused, or None."""
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return N_("Địa chỉ e-mail không hợp lệ.")
    return None


def find_user(session: Session, email: str) -> User | None:
    """The user with this e-mail (case-insensitive); None for a malformed or unknown one."""
    email = normalize_email(email)
    if email_problem(email):
        return None
    return session.scalar(select(User).where(func.lower(User.email) == email))


def get_user(session: Session, user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(Msg(N_("Không có tài khoản số %(id)s."), id=user_id))
    return user


def account_problems(session: Session, *, email: str, role: str, full_name: str | None, has_organization: bool,
                     password: str | None) -> dict[str, str]:
    """Why a new account with these details would be refused, by field (empty: acceptable)."""
    email = normalize_email(email)
    problems: dict[str, str] = {}
    if (problem := email_problem(email)) is not None:
        problems["email"] = problem
    elif find_user(session, email) is not None:
        problems["email"] = N_("E-mail này đã có tài khoản.")
    if role not in {r.value for r in Role}:
        problems["role"] = N_("Vai trò phải là enterprise, broker hoặc staff.")
    elif role == Role.enterprise.value and not has_organization:
        problems["organization"] = N_("Thành viên doanh nghiệp phải thuộc một tổ chức.")
    if full_name and len(full_name) > MAX_NAME:
        problems["full_name"] = Msg(N_("Tối đa %(max)s ký tự."), max=MAX_NAME)
    if password is not None and (problem := password_problem(password, email=email)):
        problems["password"] = problem
    return problems


def create_user(session: Session, *, actor: Actor, email: str, role: str, password: str | None,
                organization: Organization | None = None, full_name: str | None = None) -> User:
    """Add a user; without a password the account waits for its owner to set one (activation link)."""
    email = normalize_email(email)
    full_name = " ".join((full_name or "").split()) or None
    problems = account_problems(session, email=email, role=role, full_name=full_name,
                                has_organization=organization is not None, password=password)
    if problems:
        raise ValidationError(N_("Không tạo được tài khoản."), problems)
    user = User(email=email, role=Role(role), password_hash=hash_password(password) if password else "",
                organization=organization, full_name=full_name, session_version=1,
                password_changed_at=utcnow() if password else None)
    session.add(user)
    session.flush()
    record(session, actor, "create_user", "user", user.id, email=email, role=role,
           organization=organization.name if organization else None)
    return user


def invite_staff_account(session: Session, *, actor: Actor, email: str, role: str, full_name: str | None,
                         secret: str, base_url: str) -> User:
    """Staff create a broker or staff account; its owner sets the password through an activation link."""
    require_staff(actor)
    if role not in (Role.broker.value, Role.staff.value):
        raise ValidationError(N_("Không tạo được tài khoản."),
                              {"role": N_("Chỉ tạo được tài khoản môi giới hoặc cán bộ Sở ở đây.")})
    user = create_user(session, actor=actor, email=email, role=role, password=None, full_name=full_name)
    send_activation(session, user=user, secret=secret, base_url=base_url)
    return user


def send_activation(session: Session, *, user: User, secret: str, base_url: str) -> None:
    """Mail the owner a link to set the account's first password."""
    token = make_link_token(secret, LinkPurpose.activation, user)
    queue_mail(session, to=user.email, kind="account_activation", user=user,
               params={"link": f"{base_url}/kich-hoat/{token}", "role": user.role.value})


def activate_account(session: Session, *, token: str, password: str, secret: str) -> User:
    """Set the first password of an account created by staff (the link then stops working)."""
    user = read_link_token(session, secret, LinkPurpose.activation, token)
    if user.has_password:
        raise Conflict(N_("Tài khoản này đã được kích hoạt; hãy đăng nhập."))
    _set_password(session, user, password)
    record(session, user, "activate_account", "user", user.id)
    return user


def _set_password(session: Session, user: User, password: str) -> None:
    """Hash and keep a new password; every session and token of the user ends."""
    if (problem := password_problem(password, email=user.email)) is not None:
        raise ValidationError(N_("Mật khẩu chưa đạt yêu cầu."), {"password": problem})
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user=user)


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    """The signed-in user changes its password (the current one is asked again)."""
    if not verify_password(user.password_hash, current):
        raise ValidationError(N_("Mật khẩu hiện tại không đúng."), {"current": N_("Mật khẩu hiện tại không đúng.")})
    _set_password(session, user, new)
    record(session, user, "change_password", "user", user.id)


def request_password_reset(session: Session, *, email: str, secret: str, base_url: str,
                           client_address: str | None) -> None:
    """Mail a reset link if the address has an active account; the caller answers the same either way."""
    user = find_user(session, email)
    if user is None or not user.is_active:
        log.info("password reset asked for an unknown or inactive address from %s", client_address)
        return
    if _recent_resets(session, user) >= MAX_RESETS_PER_HOUR:
        log.warning("password reset for user %s refused: %s mails in the last hour", user.id, MAX_RESETS_PER_HOUR)
        return
    token = make_link_token(secret, LinkPurpose.password_reset, user)
    queue_mail(session, to=user.email, kind="password_reset", user=user,
               params={"link": f"{base_url}/dat-lai-mat-khau/{token}"})
    record(session, user, "request_password_reset", "user", user.id, address=client_address)


def _recent_resets(session: Session, user: User) -> int:
    """Reset mails made for the user within the last hour (the form must not become a mail cannon)."""
    since = utcnow() - timedelta(hours=1)
    return int(session.scalar(select(func.count()).select_from(OutgoingMail).where(
        OutgoingMail.kind == "password_reset", OutgoingMail.user_id == user.id,
        OutgoingMail.created_at > since)) or 0)


def reset_password(session: Session, *, token: str, password: str, secret: str) -> User:
    """Set a new password from a reset link (single use: the link dies with the old session version)."""
    user = read_link_token(session, secret, LinkPurpose.password_reset, token)
    _set_password(session, user, password)
    record(session, user, "reset_password", "user", user.id)
    return user


def _other_account(session: Session, actor: Actor, user_id: int, refusal: str) -> User:
    """The account staff act on, never their own."""
    require_staff(actor)
    user = get_user(session, user_id)
    if isinstance(actor, User) and actor.id == user.id:
        raise PermissionDenied(refusal)
    return user


def set_active(session: Session, *, actor: Actor, user_id: int, is_active: bool) -> User:
    """Staff deactivate (every session and token ends) or reactivate an account."""
    user = _other_account(session, actor, user_id, N_("Bạn không thể tự khoá tài khoản của mình."))
    _set_active(session, actor, user, is_active)
    return user


def _set_active(session: Session, actor: Actor, user: User, is_active: bool) -> None:
    if user.is_active == is_active:
        return
    user.is_active = is_active
    if not is_active:
        end_all_sessions(session, user=user)
    record(session, actor, "activate_user" if is_active else "deactivate_user", "user", user.id, email=user.email)


def remove_colleague(session: Session, *, actor: User, user_id: int) -> User:
    """A member removes a colleague from its organization: the account is deactivated."""
    user = get_user(session, user_id)
    is_colleague = (actor.role is Role.enterprise and actor.is_active and user.role is Role.enterprise
                    and actor.organization_id is not None and user.organization_id == actor.organization_id)
    if not is_colleague or actor.id == user.id:
        raise PermissionDenied(N_("Bạn chỉ có thể gỡ đồng nghiệp trong tổ chức của mình."))
    _set_active(session, actor, user, False)
    return user


def change_role(session: Session, *, actor: Actor, user_id: int, role: str) -> User:
    """Staff change a user's role (an enterprise member needs an organization)."""
    user = _other_account(session, actor, user_id, N_("Bạn không thể tự đổi vai trò của mình."))
    if role not in {r.value for r in Role}:
        raise ValidationError(BAD_ROLE, {"role": N_("Vai trò phải là enterprise, broker hoặc staff.")})
    if role == Role.enterprise.value and user.organization_id is None:
        raise ValidationError(BAD_ROLE, {"role": N_("Thành viên doanh nghiệp phải thuộc một tổ chức.")})
    if user.role.value != role:
        record(session, actor, "change_role", "user", user.id, old=user.role.value, new=role)
        user.role = Role(role)
        end_all_sessions(session, user=user)
    return user


def set_language(session: Session, *, user: User, language: str) -> None:
    """Remember the user's interface language."""
    user.language = language
    session.flush()


def list_users(session: Session, *, actor: Actor, query: str = "", role: str | None = None,
               page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    """Users for staff, newest first, filtered by e-mail or name and role; (page of users, total)."""
    require_staff(actor)
    stmt = select(User)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        stmt = stmt.where(func.lower(User.email).like(pattern) | func.lower(User.full_name).like(pattern))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(User.created_at.desc(), User.id.desc())
                           .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), int(total)


def organization_members(session: Session, *, actor: Actor, organization_id: int | None) -> list[User]:
    """The members of an organization, for its enterprise members and staff."""
    is_member = (isinstance(actor, User) and actor.role is Role.enterprise and organization_id is not None
                 and actor.organization_id == organization_id)
    if not (is_staff(actor) or is_member):
        raise PermissionDenied(N_("Chỉ thành viên của tổ chức (hoặc cán bộ Sở) mới xem được danh sách thành viên."))
    return list(session.scalars(select(User).where(User.organization_id == organization_id)
                                .order_by(User.is_active.desc(), User.full_name, User.email)))
