"""Organizations, the people who sign in, and what proves who they are."""
from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from exchange.db import Base, UTCDateTime, utcnow
from exchange.models.columns import created_at_column, enum_column, timestamp_column
from exchange.models.enums import OrganizationType, Role
from exchange.models.reference import Locality


class Organization(Base):
    """An enterprise, cooperative, institute, university, individual or agency."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    # The name as compared: NFC, single spaces, case-folded in Python (SQLite's lower() is ASCII-only),
    # so "CÔNG TY A" and "Công ty A" are the same organization.
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    type: Mapped[OrganizationType] = enum_column(OrganizationType, default=OrganizationType.enterprise)
    locality_code: Mapped[str | None] = mapped_column(ForeignKey("locality.code"), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    contact_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    website: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Registered organizations start unverified ("chưa xác minh") until staff check them; it blocks nothing.
    is_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    verified_at: Mapped[datetime | None] = timestamp_column()
    created_at: Mapped[datetime] = created_at_column()

    locality: Mapped[Locality | None] = relationship()

    @validates("name")
    def _keep_key(self, _key: str, name: str) -> str:
        self.name_key = organization_key(name)
        return name


def clean_organization_name(name: str) -> str:
    """An organization name as stored: NFC, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def organization_key(name: str) -> str:
    """How organization names are compared for uniqueness: the stored form, case-folded."""
    return clean_organization_name(name).casefold()


class User(Base):
    """A signed-in user: an enterprise member, a broker or a staff member of the Sở."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Empty until the owner sets one through an activation link (staff never type a password for someone).
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[Role] = enum_column(Role)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised to end every browser session and API token at once (sign out everywhere, password change, …).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = timestamp_column()
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_login_at: Mapped[datetime | None] = timestamp_column()
    password_changed_at: Mapped[datetime | None] = timestamp_column()
    created_at: Mapped[datetime] = created_at_column()

    organization: Mapped[Organization | None] = relationship()

    @property
    def has_mfa(self) -> bool:
        """Whether a second factor (TOTP) is turned on."""
        return self.totp_enabled_at is not None

    @property
    def has_password(self) -> bool:
        """False for an account whose owner has not yet followed the activation link."""
        return bool(self.password_hash)


class LoginSession(Base):
    """One signed-in browser: the cookie holds a random key whose hash is kept here."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int] = mapped_column(Integer)
    client_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = created_at_column()
    ended_at: Mapped[datetime | None] = timestamp_column()

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A bearer token of the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = timestamp_column()
    expires_at: Mapped[datetime] = timestamp_column(nullable=False)
    revoked_at: Mapped[datetime | None] = timestamp_column()

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """A sign-in attempt (web or API), kept in the database so every server process counts the same failures."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    user_agent: Mapped[str | None] = mapped_column(String(300), nullable=True)
    is_success: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class RecoveryCode(Base):
    """A single-use code that stands in for a TOTP code (the user keeps them on paper)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = timestamp_column()


class Invitation(Base):
    """An invitation to join an organization: single use, valid 7 days, only the token's hash is kept."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                      nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = timestamp_column(nullable=False)
    accepted_at: Mapped[datetime | None] = timestamp_column()
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                         nullable=True)

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
