"""Organizations and the people who sign in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.columns import created_at_column, enum_column
from exchange.models.enums import OrganizationType, Role
from exchange.models.reference import Locality


class Organization(Base):
    """An enterprise, cooperative, institute, university, individual or agency."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    type: Mapped[OrganizationType] = enum_column(OrganizationType, default=OrganizationType.enterprise)
    locality_code: Mapped[str | None] = mapped_column(ForeignKey("locality.code"), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    contact_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    website: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = created_at_column()

    locality: Mapped[Locality | None] = relationship()


class User(Base):
    """A signed-in user: an enterprise member, a broker or a staff member of the Sở."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[Role] = enum_column(Role)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()

    organization: Mapped[Organization | None] = relationship()
