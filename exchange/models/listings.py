"""Listings (offers and needs), their pending revisions and attachments."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.accounts import Organization, User
from exchange.models.columns import (
    JsonList,
    Money,
    created_at_column,
    enum_column,
    timestamp_column,
    updated_at_column,
)
from exchange.models.enums import (
    AttachmentVisibility,
    IpStatus,
    ListingKind,
    ListingStatus,
    ProductType,
    RevisionStatus,
)
from exchange.models.reference import Field, Locality
from exchange.models.tokens import TokenCacheMixin


class Listing(TokenCacheMixin, Base):
    """A technology offered (chào bán) or needed (tìm mua)."""

    __tablename__ = "listing"
    __table_args__ = (
        UniqueConstraint("source", "kind", "ref", name="uq_listing_source_kind_ref"),
        CheckConstraint("trl IS NULL OR (trl BETWEEN 1 AND 9)", name="trl_range"),
        CheckConstraint("price_min_vnd IS NULL OR price_min_vnd >= 0", name="price_min_positive"),
        CheckConstraint("price_max_vnd IS NULL OR price_max_vnd >= 0", name="price_max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(60), default="web")
    ref: Mapped[str] = mapped_column(String(80))
    kind: Mapped[ListingKind] = enum_column(ListingKind, index=True)
    status: Mapped[ListingStatus] = enum_column(ListingStatus, default=ListingStatus.draft, index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    field_code: Mapped[str | None] = mapped_column(ForeignKey("field.code"), nullable=True, index=True)
    keywords: Mapped[list[str]] = mapped_column(JsonList, default=list)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), nullable=True, index=True)
    locality_code: Mapped[str | None] = mapped_column(ForeignKey("locality.code"), nullable=True)
    product_type: Mapped[ProductType | None] = enum_column(ProductType, nullable=True)
    trl: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ip_status: Mapped[IpStatus | None] = enum_column(IpStatus, nullable=True)
    transfer_modes: Mapped[list[str]] = mapped_column(JsonList, default=list)
    price_min_vnd: Mapped[int | None] = mapped_column(Money, nullable=True)
    price_max_vnd: Mapped[int | None] = mapped_column(Money, nullable=True)
    origin: Mapped[str | None] = mapped_column(Text, nullable=True)
    specifications: Mapped[str | None] = mapped_column(Text, nullable=True)
    advantages: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    confidential_details: Mapped[str | None] = mapped_column(Text, nullable=True)
    requires_nda: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
    submitted_at: Mapped[datetime | None] = timestamp_column()
    published_at: Mapped[datetime | None] = timestamp_column(index=True)
    expires_at: Mapped[datetime | None] = timestamp_column(index=True)
    # Set by the first publication and never again: the statistics count listings by it.
    first_published_at: Mapped[datetime | None] = timestamp_column()
    # The reviewer's reason when staff sent the listing back (shown to the poster).
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = timestamp_column()
    # The non-disclosure terms a counterpart accepts before seeing the confidential details.
    nda_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # When the owner was told that the current expires_at is near (so the warning goes once).
    expiry_warned_at: Mapped[datetime | None] = timestamp_column()

    organization: Mapped[Organization | None] = relationship()
    locality: Mapped[Locality | None] = relationship()
    field: Mapped[Field | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class ListingRevision(Base):
    """A pending edit of a published listing, waiting for staff review."""

    __tablename__ = "listing_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonList)
    status: Mapped[RevisionStatus] = enum_column(RevisionStatus, default=RevisionStatus.pending)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    decided_at: Mapped[datetime | None] = timestamp_column()

    listing: Mapped[Listing] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])


class Attachment(Base):
    """A file attached to a listing, stored under the upload folder by a generated name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Money)
    sha256: Mapped[str] = mapped_column(String(64))
    visibility: Mapped[AttachmentVisibility] = enum_column(AttachmentVisibility, default=AttachmentVisibility.public)
    # A re-encoded image gets a small JPEG beside it (stored name), for the listing page.
    thumbnail_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = created_at_column()

    listing: Mapped[Listing] = relationship()


class SuggestionRefresh(Base):
    """A listing whose suggestions must be recomputed: written in the transaction that changed it,
    removed by the worker once the refresh ran, so a crash between the two loses nothing."""

    __tablename__ = "suggestion_refresh"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = created_at_column()
