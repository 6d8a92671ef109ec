"""Reading the reference CSV files and keeping the reference tables in step with them."""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import Field, Locality, LocalityLevel

log = logging.getLogger(__name__)
HERE = Path(__file__).parent


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a reference CSV beside this module."""
    with (HERE / name).open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class SyncReport:
    """How many reference rows were added or changed."""

    localities: int
    fields: int


def _upsert(session: Session, model: type, key: str, rows: list[dict[str, object]]) -> int:
    existing = {getattr(o, key): o for o in session.scalars(select(model))}
    changed = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            changed += 1
        elif any(getattr(obj, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(obj, k, v)
            changed += 1
    return changed


def sync_reference_data(session: Session) -> SyncReport:
    """Insert or update localities and fields from the shipped CSV files (idempotent)."""
    localities = [
        {"code": r["code"], "name": r["name"], "level": LocalityLevel(r["level"]),
         "parent_code": r["parent_code"] or None, "province_2025": r["province_2025"]}
        for r in read_csv("localities.csv")
    ]
    # parents first, so the self-reference holds while inserting
    localities.sort(key=lambda r: r["parent_code"] is not None)
    n_loc = _upsert(session, Locality, "code", localities)
    session.flush()
    fields = [{"code": r["code"], "name": r["name"], "tt24_code": r["tt24_code"], "tt24_name": r["tt24_name"]}
              for r in read_csv("fields.csv")]
    n_fields = _upsert(session, Field, "code", fields)
    session.flush()
    if n_loc or n_fields:
        log.info("reference data: %d localities, %d fields added or changed", n_loc, n_fields)
    return SyncReport(localities=n_loc, fields=n_fields)
