"""Evaluate the engine on a judged set of listing records (offers, needs, qrels)."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from exchange.matching.metrics import score_suggestions
from exchange.matching.model import MatchModel, fit
from exchange.matching.types import EngineConfig, MatchDoc, TokenFields

Tokenize = Callable[[Sequence[Mapping]], Sequence[TokenFields]]


def tokenize_records(records: Sequence[Mapping]) -> list[TokenFields]:
    """Segment title, keywords and description of each record with exchange.text."""
    from exchange.text import tokenize_many
    return tokenize_many([(r.get("title") or "", r.get("keywords") or [], r.get("description") or "") for r in records])


def _int_or_none(value: object) -> int | None:
    """An int, or None for missing/blank values."""
    return None if value in (None, "") else int(value)  # type: ignore[arg-type]


def record_doc(record: Mapping, tokens: TokenFields) -> MatchDoc:
    """A MatchDoc from an import record; confidential fields are never read."""
    return MatchDoc(
        key=record["ref"], kind=record["kind"], tokens=tokens, field=record.get("field") or None,
        title=record.get("title") or "", keywords=tuple(record.get("keywords") or ()),
        trl=_int_or_none(record.get("trl")), price_min=_int_or_none(record.get("price_min_vnd")),
        price_max=_int_or_none(record.get("price_max_vnd")), locality=record.get("district") or None,
    )


def suggest_all(model: MatchModel, needs: Sequence[MatchDoc], top_k: int = 10) -> list[dict]:
    """Suggestion rows ({"need", "matches": [{"offer", "score", "reasons"}]}) for every need."""
    rows = []
    for need, ranking in zip(needs, model.rank_many(needs, "offer", top_k)):
        matches = [{"offer": s.key, "score": s.score, "reasons": list(s.reasons)} for s in ranking]
        rows.append({"need": need.key, "matches": matches})
    return rows


def evaluate_listings(offers: Sequence[Mapping], needs: Sequence[Mapping], qrels: Sequence[Mapping],
                      tokenize: Tokenize = tokenize_records, config: EngineConfig = EngineConfig(),
                      batches: Mapping[str, Iterable[str]] | None = None, **fit_options) -> dict:
    """Fit on offers and needs, rank top 10 offers per need, score; per batch when given."""
    records = list(offers) + list(needs)
    docs = [record_doc(r, t) for r, t in zip(records, tokenize(records))]
    model = fit(docs, config, **fit_options)
    rows = suggest_all(model, docs[len(offers):])
    result = {"all": score_suggestions(qrels, rows), "model_version": model.version, "suggestions": rows}
    for name, refs in (batches or {}).items():
        wanted = set(refs)
        result[name] = score_suggestions([q for q in qrels if q["need"] in wanted], rows)
    return result
