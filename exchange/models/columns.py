"""Column helpers shared by the models: checked string enums, timestamps, money."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum
from sqlalchemy.orm import mapped_column

from exchange.db import UTCDateTime, utcnow

# VND amounts pass 2.1 billion easily, so money is always 64-bit.
Money = BigInteger
JsonList = JSON


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """A VARCHAR column with a CHECK constraint holding the enum's values."""
    return mapped_column(
        Enum(enum_cls, native_enum=False, create_constraint=True, length=32,
             values_callable=lambda e: [m.value for m in e], name=enum_cls.__name__.lower()),
        **kwargs,
    )


def created_at_column() -> Any:
    """Creation timestamp, set in Python so SQLite and PostgreSQL agree on the zone."""
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def updated_at_column() -> Any:
    """Last-change timestamp."""
    return mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


def timestamp_column(**kwargs: Any) -> Any:
    """An optional timestamp (submitted_at, decided_at, …)."""
    kwargs.setdefault("nullable", True)
    return mapped_column(UTCDateTime(), **kwargs)


__all__ = ["Money", "JsonList", "enum_column", "created_at_column", "updated_at_column",
           "timestamp_column", "datetime"]
