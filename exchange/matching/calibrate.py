"""Turn raw rescored similarities into scores in [0, 1] that one threshold can cut.

A suggestion is good when it is similar in absolute terms and stands out from the
rest of the ranking: score = 1 - exp(-(a·raw + b·(raw - raw at the reference rank))),
then scaled by how much of the query title's nouns and of a need's request it mentions, and cut
when it is about another thing of the same kind (see confidence.py).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from exchange.matching.confidence import coverage_factors
from exchange.matching.features import DocFeatures
from exchange.matching.types import MatchDoc

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored


def calibrate(model: "MatchModel", feat: DocFeatures, scored: Sequence["Scored"],
              query: MatchDoc | None = None, limit: int | None = None,
              conflicted: Sequence[bool] = ()) -> list[float]:
    """Scores in [0, 1] of the ranking (its first `limit` when given), rounded to 4 places.

    `conflicted`: per suggestion, whether it is about another member of a class the query names.
    The confidence factors may reorder them: rescore.py sorts suggestions by these scores.
    """
    cfg = model.config
    if not scored:
        return []
    ref_rank = min(cfg.reference_rank, len(scored)) - 1
    ref = scored[ref_rank].raw if len(scored) > ref_rank else 0.0
    head = scored[:limit] if limit is not None else scored
    out = [1.0 - math.exp(-(cfg.absolute_weight * max(s.raw, 0.0) + cfg.standout_weight * max(s.raw - ref, 0.0)))
           for s in head]
    if query is not None:
        out = [x * f for x, f in zip(out, coverage_factors(model, query, [s.row for s in head]))]
    doubted = {i for i, bad in enumerate(conflicted) if bad}
    out = [x * cfg.conflict_factor if i in doubted else x for i, x in enumerate(out)]
    return [round(x, 4) for x in out]
