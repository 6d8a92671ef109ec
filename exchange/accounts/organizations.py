"""Organizations: created on first use by import and the CLI, registered by their first member, verified by staff."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.permissions import require_staff
from exchange.accounts.sessions import Client
from exchange.accounts.users import account_problems, create_user, email_problem, normalize_email
from exchange.audit import Actor, SystemActor, record
from exchange.db import utcnow
from exchange.errors import NotFound, ValidationError
from exchange.i18n import N_, Msg
from exchange.models import Locality, Organization, OrganizationType, Role, User
from exchange.models.accounts import clean_organization_name as clean_name
from exchange.models.accounts import organization_key
from exchange.reference.localities import LocalityResolver

MAX_NAME = 300
PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")
NAME_TAKEN = N_("Tổ chức này đã có trên Sàn. Hãy nhờ một thành viên của tổ chức hoặc Sở Khoa học và Công nghệ "
                "gửi lời mời tham gia.")


def find_organization(session: Session, name: str) -> Organization | None:
    """The organization of this name (case and spacing ignored)."""
    key = organization_key(name)
    return session.scalar(select(Organization).where(Organization.name_key == key)) if key else None


def get_organization(session: Session, organization_id: int) -> Organization:
    """The organization with this id, or NotFound."""
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound(Msg(N_("Không có tổ chức số %(id)s."), id=organization_id))
    return org


def get_or_create_organization(session: Session, *, actor: Actor, name: str, **details: Any) -> Organization:
    """The organization of this name, created (verified, with the details given) on first use."""
    name = clean_name(name)
    if not name:
        raise ValidationError(N_("Thiếu tên tổ chức."), {"organization": N_("Bắt buộc.")})
    if len(name) > MAX_NAME:
        raise ValidationError(N_("Tên tổ chức quá dài."),
                              {"organization": Msg(N_("Tối đa %(max)s ký tự."), max=MAX_NAME)})
    org = find_organization(session, name)
    if org is not None:
        return org
    locality = details.pop("locality", None)
    if locality:
        code = LocalityResolver.from_session(session).resolve(locality)
        if code is None:
            raise ValidationError(N_("Không rõ địa phương."),
                                  {"locality": Msg(N_("Không rõ địa phương '%(name)s'."), name=locality)})
        details["locality_code"] = code
    try:
        org_type = OrganizationType(details.pop("type", OrganizationType.enterprise.value))
    except ValueError:
        raise ValidationError(N_("Loại tổ chức không hợp lệ."), {"organization_type": _type_choices()}) from None
    org = Organization(name=name, type=org_type, is_verified=True, **details)
    session.add(org)
    session.flush()
    record(session, actor, "create_organization", "organization", org.id, name=name)
    return org


def _type_choices() -> str:
    return Msg(N_("Chỉ nhận: %(values)s."), values=", ".join(t.value for t in OrganizationType))


@dataclass(frozen=True)
class Registration:
    """What the registration form asks: the new organization and its first member."""

    organization_name: str
    organization_type: str
    locality_code: str
    address: str
    contact_person: str
    phone: str
    organization_email: str
    full_name: str
    email: str
    password: str


def _registration_problems(session: Session, form: Registration) -> dict[str, str]:
    problems: dict[str, str] = {}
    required = {"organization_name": form.organization_name, "address": form.address,
                "contact_person": form.contact_person, "phone": form.phone, "full_name": form.full_name}
    for key, value in required.items():
        if not clean_name(value):
            problems[key] = N_("Bắt buộc.")
    for key, limit in (("organization_name", 300), ("address", 500), ("contact_person", 200), ("full_name", 200)):
        if len(getattr(form, key) or "") > limit:
            problems[key] = Msg(N_("Tối đa %(max)s ký tự."), max=limit)
    if form.organization_type not in {t.value for t in OrganizationType}:
        problems["organization_type"] = _type_choices()
    if session.get(Locality, form.locality_code or "") is None:
        problems["locality_code"] = N_("Hãy chọn địa phương trong danh sách.")
    if form.phone and not PHONE.match(form.phone.strip()):
        problems["phone"] = N_("Số điện thoại không hợp lệ.")
    if (problem := email_problem(normalize_email(form.organization_email))) is not None:
        problems["organization_email"] = problem
    if "organization_name" not in problems and find_organization(session, form.organization_name) is not None:
        problems["organization_name"] = NAME_TAKEN
    return problems


def register_organization(session: Session, *, form: Registration, client: Client) -> User:
    """A new organization (unverified) and its first enterprise member; never joins an existing one."""
    problems = _registration_problems(session, form)
    problems.update(account_problems(session, email=form.email, role=Role.enterprise.value, full_name=form.full_name,
                                     has_organization=True, password=form.password))
    if problems:
        raise ValidationError(N_("Chưa đăng ký được, vui lòng sửa các mục được đánh dấu."), problems)
    org = Organization(name=clean_name(form.organization_name), type=OrganizationType(form.organization_type),
                       locality_code=form.locality_code, address=clean_name(form.address),
                       contact_person=clean_name(form.contact_person), phone=form.phone.strip(),
                       email=normalize_email(form.organization_email), is_verified=False)
    session.add(org)
    session.flush()
    member = create_user(session, actor=SystemActor("registration"), email=form.email, role=Role.enterprise.value,
                         password=form.password, organization=org, full_name=form.full_name)
    record(session, member, "register_organization", "organization", org.id, name=org.name, address=client.address)
    return member


def verify_organization(session: Session, *, actor: Actor, organization_id: int) -> Organization:
    """Staff mark an organization as checked."""
    require_staff(actor)
    org = get_organization(session, organization_id)
    if not org.is_verified:
        org.is_verified, org.verified_at = True, utcnow()
        session.flush()
        record(session, actor, "verify_organization", "organization", org.id, name=org.name)
    return org


def list_organizations(session: Session, *, actor: Actor, unverified_only: bool = False) -> list[Organization]:
    """Every organization for staff, unverified first, newest first."""
    require_staff(actor)
    stmt = select(Organization).order_by(Organization.is_verified, Organization.created_at.desc())
    if unverified_only:
        stmt = stmt.where(Organization.is_verified.is_(False))
    return list(session.scalars(stmt))
