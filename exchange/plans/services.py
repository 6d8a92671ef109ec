"""Loading a yearly plan and reading it back with its targets and recorded outputs."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import Actor, record
from exchange.errors import NotFound, ValidationError
from exchange.models import Periodicity, Plan, PlanActivity, PlanTarget


def _target(data: dict[str, Any]) -> PlanTarget:
    try:
        periodicity = Periodicity(data["periodicity"])
    except (KeyError, ValueError):
        raise ValidationError("Chỉ tiêu không hợp lệ.", {"periodicity": f"không hợp lệ: {data.get('periodicity')}"}) from None
    return PlanTarget(quantity=data.get("quantity"), unit=data.get("unit"), periodicity=periodicity,
                      quarters=list(data.get("quarters") or []), text=data.get("text") or "")


def load_plan(session: Session, *, actor: Actor, data: dict[str, Any]) -> Plan:
    """Create the plan of a year from its document (activities, parents, targets); the year must be new."""
    year = int(data["year"])
    if session.scalar(select(Plan).where(Plan.year == year)) is not None:
        raise ValidationError(f"Kế hoạch năm {year} đã có.", {"year": "đã có kế hoạch của năm này"})
    plan = Plan(year=year, title=data["title"], decision=data.get("decision"))
    by_code: dict[str, PlanActivity] = {}
    for position, item in enumerate(data["activities"]):
        activity = PlanActivity(code=str(item["code"]), position=position, title=item["title"],
                                period=item.get("period"), product=item.get("product"),
                                parent=by_code.get(str(item.get("parent") or "")),
                                targets=[_target(t) for t in item.get("targets") or []])
        plan.activities.append(activity)
        by_code[activity.code] = activity
    session.add(plan)
    session.flush()
    record(session, actor, "load_plan", "plan", plan.id, year=year, activities=len(by_code))
    return plan


def get_plan(session: Session, year: int) -> Plan:
    """The plan of a year with activities, targets and outputs loaded."""
    stmt = (select(Plan).where(Plan.year == year)
            .options(selectinload(Plan.activities).selectinload(PlanActivity.targets)
                     .selectinload(PlanTarget.outputs)))
    plan = session.scalar(stmt)
    if plan is None:
        raise NotFound(f"Chưa có kế hoạch năm {year}.")
    return plan
