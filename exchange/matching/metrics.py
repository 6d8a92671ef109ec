"""Ranking metrics exactly as shared/eval/score.py defines them (cut-off 10)."""
from __future__ import annotations

import math
from typing import Iterable, Mapping, Sequence

K = 10


def _rankings(suggestions: Iterable[Mapping]) -> dict[str, list[tuple[str, float]]]:
    """need → [(offer, score), ...] in rank order; a later line for a need wins."""
    return {
        row["need"]: [(m["offer"], float(m.get("score", 0.0))) for m in row.get("matches", [])]
        for row in suggestions
    }


def _mean(xs: Sequence[float]) -> float:
    """Arithmetic mean, NaN when empty (as score.py)."""
    return sum(xs) / len(xs) if xs else float("nan")


def _need_metrics(rel: Mapping[str, int], ids: Sequence[str]) -> tuple[float, float, float]:
    """(reciprocal rank, recall@5 hit, nDCG@10) of one answerable need."""
    first = next((i for i, offer in enumerate(ids) if rel.get(offer, 0) >= 1), None)
    rr = 0.0 if first is None else 1.0 / (first + 1)
    want = 2 if 2 in rel.values() else 1
    hit = 1.0 if any(rel.get(offer, 0) >= want for offer in ids[:5]) else 0.0
    dcg = sum(rel.get(offer, 0) / math.log2(i + 2) for i, offer in enumerate(ids))
    ideal = sorted(rel.values(), reverse=True)[:K]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return rr, hit, (dcg / idcg if idcg else 0.0)


def score_suggestions(qrels: Sequence[Mapping], suggestions: Iterable[Mapping]) -> dict:
    """MRR@10, Recall@5, nDCG@10, abstain-AUC and counts, rounded like score.py."""
    ranked = _rankings(suggestions)
    per_need, top_ok, top_none = [], [], []
    for q in qrels:
        ranking = ranked.get(q["need"], [])
        top1 = ranking[0][1] if ranking else 0.0
        if not q["relevant"]:
            top_none.append(top1)
            continue
        top_ok.append(top1)
        per_need.append(_need_metrics(q["relevant"], [offer for offer, _ in ranking[:K]]))
    pairs = [(a > b) + 0.5 * (a == b) for a in top_ok for b in top_none]
    return {
        "needs": len(qrels),
        "answerable": len(per_need),
        "MRR@10": round(_mean([m[0] for m in per_need]), 4),
        "Recall@5": round(_mean([m[1] for m in per_need]), 4),
        "nDCG@10": round(_mean([m[2] for m in per_need]), 4),
        "abstain-AUC": round(_mean(pairs), 4) if pairs else None,
        "mean-top1-answerable": round(_mean(top_ok), 4),
        "mean-top1-unanswerable": round(_mean(top_none), 4) if top_none else None,
    }
