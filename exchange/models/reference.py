"""Reference tables: localities (pre-2025 units and where they belong now) and the field taxonomy."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base
from exchange.models.columns import enum_column
from exchange.models.enums import LocalityLevel


class Locality(Base):
    """A pre-2025 province or district, with the post-2025 province it now belongs to."""

    __tablename__ = "locality"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[LocalityLevel] = enum_column(LocalityLevel)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("locality.code"), nullable=True)
    province_2025: Mapped[str] = mapped_column(String(120))


class Field(Base):
    """A field code of the exchange, mapped to its level-1 field of Circular 24/2025/TT-BKHCN."""

    __tablename__ = "field"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    tt24_code: Mapped[str] = mapped_column(String(8))
    tt24_name: Mapped[str] = mapped_column(String(120))
