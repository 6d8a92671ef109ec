"""The plan as text lines (for `exchange plan show`)."""
from __future__ import annotations

from typing import Iterator

from exchange.models import Periodicity, Plan, PlanTarget

PERIODICITY = {Periodicity.per_month: "mỗi tháng", Periodicity.per_year: "trong năm",
               Periodicity.in_quarters: "trong quý", Periodicity.maintained: "duy trì cả năm"}


def target_text(target: PlanTarget) -> str:
    """'2 số mỗi tháng — đã ghi nhận 5' or the qualitative text."""
    done = sum(o.quantity for o in target.outputs)
    if target.quantity is None:
        head = target.text
    else:
        quarters = f" {', '.join(map(str, target.quarters))}" if target.quarters else ""
        head = f"{target.quantity} {target.unit or ''} {PERIODICITY[target.periodicity]}{quarters}".replace("  ", " ")
    return f"{head} — đã ghi nhận {done}"


def plan_lines(plan: Plan) -> Iterator[str]:
    """Each activity with its period, product and targets, indented under its parent."""
    yield f"{plan.title} ({plan.year})"
    for activity in plan.activities:
        indent = "    " if activity.parent_id else "  "
        yield f"{indent}{activity.code}. {activity.title}"
        if activity.period:
            yield f"{indent}   Thời gian: {activity.period}"
        for target in activity.targets:
            yield f"{indent}   • {target_text(target)}"
