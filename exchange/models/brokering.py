"""Suggested need–offer pairs kept for brokers, and experts suggested for needs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.accounts import User
from exchange.models.columns import JsonList, created_at_column, enum_column, timestamp_column, updated_at_column
from exchange.models.enums import MatchSource, MatchStatus
from exchange.models.experts import Expert
from exchange.models.listings import Listing


class Match(Base):
    """A need–offer pair: suggested by the engine or paired by hand, then decided by a broker."""

    __tablename__ = "match"
    __table_args__ = (
        UniqueConstraint("need_id", "offer_id", name="uq_match_need_offer"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JsonList, default=list)
    model_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[MatchStatus] = enum_column(MatchStatus, default=MatchStatus.suggested, index=True)
    source: Mapped[MatchSource] = enum_column(MatchSource, default=MatchSource.auto)
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id"), nullable=True)
    decided_at: Mapped[datetime | None] = timestamp_column()
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    need: Mapped[Listing] = relationship(foreign_keys=[need_id])
    offer: Mapped[Listing] = relationship(foreign_keys=[offer_id])
    broker: Mapped[User | None] = relationship()
    expert: Mapped[Expert | None] = relationship()


class ExpertSuggestion(Base):
    """An expert the engine suggests for a need."""

    __tablename__ = "expert_suggestion"
    __table_args__ = (UniqueConstraint("need_id", "expert_id", name="uq_expert_suggestion_need_expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JsonList, default=list)
    model_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = created_at_column()

    need: Mapped[Listing] = relationship()
    expert: Mapped[Expert] = relationship()
