"""Turn raw rescored similarities into scores in [0, 1] that one threshold can cut.

A suggestion is good when it is similar in absolute terms and stands out from the
rest of the ranking: score = 1 - exp(-(a·raw + b·(raw - raw at the reference rank))),
then scaled by how much of the query title's nouns and of a need's request it mentions, and cut
when it is about another thing of the same kind (see confidence.py).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored


def calibrate(model: "MatchModel", scored: Sequence["Scored"], limit: int | None = None,
              factors: Sequence[float] = ()) -> list[float]:
    """Scores in [0, 1] of the ranking (its first `limit` when given), rounded to 4 places.

    `factors`: per suggestion, the share of its score the confidence keeps (confidence.doubts);
    they may reorder suggestions: rescore.py sorts them by these scores.
    """
    cfg = model.config
    if not scored:
        return []
    ref_rank = min(cfg.reference_rank, len(scored)) - 1
    ref = scored[ref_rank].raw if len(scored) > ref_rank else 0.0
    head = scored[:limit] if limit is not None else scored
    out = [1.0 - math.exp(-(cfg.absolute_weight * max(s.raw, 0.0) + cfg.standout_weight * max(s.raw - ref, 0.0)))
           for s in head]
    out = [x * (factors[i] if i < len(factors) else 1.0) for i, x in enumerate(out)]
    return [round(x, 4) for x in out]
