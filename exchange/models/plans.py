"""The yearly plan of S&T information activities, its targets and the outputs recorded against them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base
from exchange.models.columns import JsonList, created_at_column, enum_column
from exchange.models.enums import Periodicity


class Plan(Base):
    """The plan of one year (e.g. Kế hoạch hoạt động thông tin KH&CN năm 2024)."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    decision: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = created_at_column()

    activities: Mapped[list["PlanActivity"]] = relationship(
        back_populates="plan", order_by="PlanActivity.position", cascade="all, delete-orphan")


class PlanActivity(Base):
    """One numbered item of the plan ("3", "7.1"), possibly under a parent item."""

    __tablename__ = "plan_activity"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_plan_activity_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_activity.id", ondelete="CASCADE"), nullable=True)
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(200), nullable=True)
    product: Mapped[str | None] = mapped_column(Text, nullable=True)

    plan: Mapped[Plan] = relationship(back_populates="activities")
    parent: Mapped["PlanActivity | None"] = relationship(remote_side=[id])
    targets: Mapped[list["PlanTarget"]] = relationship(
        back_populates="activity", order_by="PlanTarget.id", cascade="all, delete-orphan")


class PlanTarget(Base):
    """What an activity must produce: a quantity per period, or a qualitative target (no quantity)."""

    __tablename__ = "plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activity.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(60), nullable=True)
    periodicity: Mapped[Periodicity] = enum_column(Periodicity)
    quarters: Mapped[list[int]] = mapped_column(JsonList, default=list)
    text: Mapped[str] = mapped_column(Text)

    activity: Mapped[PlanActivity] = relationship(back_populates="targets")
    outputs: Mapped[list["PlanOutput"]] = relationship(
        back_populates="target", order_by="PlanOutput.output_date", cascade="all, delete-orphan")


class PlanOutput(Base):
    """An output recorded against a target (an issue broadcast, a newsletter printed, …)."""

    __tablename__ = "plan_output"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("plan_target.id", ondelete="CASCADE"), index=True)
    output_date: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    evidence_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = created_at_column()

    target: Mapped[PlanTarget] = relationship(back_populates="outputs")
