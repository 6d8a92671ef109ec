"""Creating users and organizations; passwords are hashed with Werkzeug's scrypt."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from exchange.audit import Actor, record
from exchange.errors import ValidationError
from exchange.models import Organization, OrganizationType, Role, User
from exchange.reference.localities import LocalityResolver

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def find_user(session: Session, email: str) -> User | None:
    """The user with this e-mail (case-insensitive)."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_user_input(session: Session, email: str, role: str, password: str) -> dict[str, str]:
    problems = {}
    if not EMAIL.match(email):
        problems["email"] = "địa chỉ e-mail không hợp lệ"
    elif find_user(session, email):
        problems["email"] = "e-mail này đã có tài khoản"
    if role not in {r.value for r in Role}:
        problems["role"] = "vai trò phải là enterprise, broker hoặc staff"
    if len(password) < MIN_PASSWORD:
        problems["password"] = f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự"
    return problems


def create_user(session: Session, *, actor: Actor, email: str, role: str, password: str,
                organization: Organization | None = None, full_name: str | None = None) -> User:
    """Add a user; raises ValidationError (Vietnamese) on a bad e-mail, role or password."""
    email = email.strip().lower()
    problems = _check_user_input(session, email, role, password)
    if role == Role.enterprise.value and organization is None and "role" not in problems:
        problems["organization"] = "thành viên doanh nghiệp phải thuộc một tổ chức"
    if problems:
        raise ValidationError("Không tạo được tài khoản.", problems)
    user = User(email=email, role=Role(role), password_hash=generate_password_hash(password),
                organization=organization, full_name=full_name)
    session.add(user)
    session.flush()
    record(session, actor, "create_user", "user", user.id, email=email, role=role)
    return user


def verify_password(user: User, password: str) -> bool:
    """Whether the password is the user's."""
    return check_password_hash(user.password_hash, password)


def get_or_create_organization(session: Session, *, actor: Actor, name: str, **details: Any) -> Organization:
    """The organization of this name, created (with the details given) on first use."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Thiếu tên tổ chức.", {"organization": "bắt buộc"})
    org = session.scalar(select(Organization).where(Organization.name == name))
    if org is not None:
        return org
    locality = details.pop("locality", None)
    if locality:
        code = LocalityResolver.from_session(session).resolve(locality)
        if code is None:
            raise ValidationError("Không rõ địa phương.", {"locality": f"không rõ địa phương '{locality}'"})
        details["locality_code"] = code
    org_type = OrganizationType(details.pop("type", OrganizationType.enterprise.value))
    org = Organization(name=name, type=org_type, **details)
    session.add(org)
    session.flush()
    record(session, actor, "create_organization", "organization", org.id, name=name)
    return org
