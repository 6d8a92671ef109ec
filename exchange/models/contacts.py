"""Negotiation contacts between the two sides and their messages."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.accounts import Organization, User
from exchange.models.brokering import Match
from exchange.models.columns import Money, created_at_column, enum_column, timestamp_column, updated_at_column
from exchange.models.enums import ContactStatus
from exchange.models.listings import Listing


class ContactRequest(Base):
    """One side asks to talk about a listing; the other accepts or declines; the outcome is recorded."""

    __tablename__ = "contact_request"
    __table_args__ = (
        CheckConstraint("contract_value_vnd IS NULL OR contract_value_vnd >= 0", name="contract_value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    requester_listing_id: Mapped[int | None] = mapped_column(ForeignKey("listing.id", ondelete="SET NULL"),
                                                             nullable=True)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("match.id", ondelete="SET NULL"), nullable=True)
    requester_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), nullable=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    status: Mapped[ContactStatus] = enum_column(ContactStatus, default=ContactStatus.requested, index=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    contract_value_vnd: Mapped[int | None] = mapped_column(Money, nullable=True)
    contract_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    responded_at: Mapped[datetime | None] = timestamp_column()
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    listing: Mapped[Listing] = relationship(foreign_keys=[listing_id])
    requester_listing: Mapped[Listing | None] = relationship(foreign_keys=[requester_listing_id])
    match: Mapped[Match | None] = relationship()
    requester_organization: Mapped[Organization | None] = relationship()
    requested_by: Mapped[User | None] = relationship()


class Message(Base):
    """A message in a negotiation thread."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact_request.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    contact: Mapped[ContactRequest] = relationship()
    author: Mapped[User | None] = relationship()
