"""Loading the Vietnamese demo data of fixtures/demo (idempotent: a second run changes nothing)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from exchange.accounts.organizations import find_organization, get_or_create_organization
from exchange.accounts.users import create_user, find_user
from exchange.audit import Actor
from exchange.experts.services import upsert_experts
from exchange.listings.importing import ImportReport, prepare_import, read_listing_file, write_rows
from exchange.models import Plan

log = logging.getLogger(__name__)
DEMO_SOURCE = "demo"
DEMO_PASSWORDS = {"enterprise": "demo-doanhnghiep", "broker": "demo-moigioi", "staff": "demo-canbo"}
DEFAULT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class DemoReport:
    """What loading the demo did, and the logins it made."""

    listings: ImportReport
    experts: int
    logins: list[tuple[str, str, str]]


def load_people(session: Session, actor: Actor, folder: Path) -> list[tuple[str, str, str]]:
    """Organizations and one demo user per role; returns (role, e-mail, password) for each user."""
    for org in read_jsonl(folder / "organizations.jsonl"):
        get_or_create_organization(session, actor=actor, **org)
    logins = []
    for row in read_jsonl(folder / "users.jsonl"):
        password = DEMO_PASSWORDS[row["role"]]
        if find_user(session, row["email"]) is None:
            org = find_organization(session, row.get("organization") or "")
            create_user(session, actor=actor, email=row["email"], role=row["role"], password=password,
                        organization=org, full_name=row.get("full_name"))
        logins.append((row["role"], row["email"], password))
    return logins


def load_plan_file(session: Session, actor: Actor, path: Path) -> None:
    """The plan of the file's year, unless that year already has one."""
    from exchange.plans.services import load_plan

    data = json.loads(path.read_text(encoding="utf-8"))
    if session.scalar(select(Plan).where(Plan.year == int(data["year"]))) is None:
        load_plan(session, actor=actor, data=data)


def load_demo(factory: sessionmaker[Session], actor: Actor, folder: Path = DEFAULT_FIXTURES,
              progress: Callable[[int], None] | None = None) -> DemoReport:
    """Load every demo file; listings go through the import path, published."""
    with factory.begin() as session:
        logins = load_people(session, actor, folder)
        load_plan_file(session, actor, folder / "plan-2024.json")
    rows = read_listing_file(folder / "listings.jsonl")
    with factory() as session:
        prepared = prepare_import(session, rows, source=DEMO_SOURCE, progress=progress)
        session.rollback()
    with factory.begin() as session:
        report = write_rows(session, prepared, source=DEMO_SOURCE, publish=True, actor=actor)
        experts = upsert_experts(session, actor=actor, records=read_jsonl(folder / "experts.jsonl"))
    return DemoReport(report, len(experts), logins)
