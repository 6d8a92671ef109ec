"""Ranking every listing afresh from cached tokens (exchange suggest / evaluate); nothing is stored."""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy.orm import Session

from exchange.brokering.documents import all_listing_documents, field_names
from exchange.errors import NotFound
from exchange.matching import MatchDoc, fit


def _select_needs(docs: list[MatchDoc], refs: dict[str, str], need_refs: Sequence[str] | None) -> list[MatchDoc]:
    needs = [d for d in docs if d.kind == "need"]
    if need_refs is None:
        return needs
    wanted = set(need_refs)
    chosen = [d for d in needs if refs[d.key] in wanted]
    missing = wanted - {refs[d.key] for d in chosen}
    if missing:
        raise NotFound(f"Không có nhu cầu mang mã: {', '.join(sorted(missing))}")
    return chosen


def suggestion_rows(session: Session, *, top_k: int = 10, need_refs: Sequence[str] | None = None
                    ) -> list[dict[str, Any]]:
    """One row per need, best offers first: {"need", "matches": [{"offer", "score", "reasons"}]}."""
    docs, refs = all_listing_documents(session)
    needs = _select_needs(docs, refs, need_refs)
    if not needs:
        return []
    model = fit(docs)
    names = field_names(session)
    rows = []
    for need, ranking in zip(needs, model.rank_many(needs, "offer", top_k, field_names=names)):
        matches = [{"offer": refs[s.key], "score": round(float(s.score), 4), "reasons": list(s.reasons)}
                   for s in ranking]
        rows.append({"need": refs[need.key], "matches": matches})
    return rows
