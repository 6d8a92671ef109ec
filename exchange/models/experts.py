"""The S&T expert database (plan item 7.2)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base
from exchange.models.columns import JsonList, created_at_column, updated_at_column
from exchange.models.tokens import TokenCacheMixin


class Expert(TokenCacheMixin, Base):
    """A science and technology expert who can be attached to a need."""

    __tablename__ = "expert"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100), nullable=True)
    specialties: Mapped[list[str]] = mapped_column(JsonList, default=list)
    field_codes: Mapped[list[str]] = mapped_column(JsonList, default=list)
    organization_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
