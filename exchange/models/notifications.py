"""Notifications, each user's mail preference per kind, and the outbox of mails to send."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.accounts import User
from exchange.models.columns import JsonList, created_at_column, enum_column, timestamp_column
from exchange.models.enums import Delivery, MailStatus, NotificationKind


class Notification(Base):
    """Something a user should see; its text is rendered from kind + params in the reader's language."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = enum_column(NotificationKind)
    params: Mapped[dict[str, Any]] = mapped_column(JsonList, default=dict)
    link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = timestamp_column()
    # Set when the user wants this kind in the daily digest; cleared (digested_at) when the digest is written.
    is_digest_pending: Mapped[bool] = mapped_column(default=False, index=True)
    digested_at: Mapped[datetime | None] = timestamp_column()

    user: Mapped[User] = relationship()


class NotificationPreference(Base):
    """How one user wants one kind of notification by e-mail (absent: immediately)."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preference_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = enum_column(NotificationKind)
    delivery: Mapped[Delivery] = enum_column(Delivery)


class OutgoingMail(Base):
    """A mail to send, written in the same transaction as what caused it; the worker renders and sends it."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    to_address: Mapped[str] = mapped_column(String(254))
    # A notification kind, or a system mail: password_reset, account_activation, digest.
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JsonList, default=dict)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    status: Mapped[MailStatus] = enum_column(MailStatus, default=MailStatus.pending, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = created_at_column()
    claimed_at: Mapped[datetime | None] = timestamp_column()
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = timestamp_column()
