"""Turn raw rescored similarities into scores in [0, 1] that one threshold can cut.

A suggestion is good when it is similar in absolute terms and stands out from the
rest of the ranking: score = 1 - exp(-(a·raw + b·(raw - raw at the reference rank))).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from exchange.matching.features import DocFeatures

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored


def calibrate(model: "MatchModel", feat: DocFeatures, scored: Sequence["Scored"]) -> list[float]:
    """Scores in [0, 1], non-increasing along the ranking."""
    cfg = model.config
    if not scored:
        return []
    ref_rank = min(cfg.reference_rank, len(scored)) - 1
    ref = scored[ref_rank].raw if len(scored) > ref_rank else 0.0
    out = []
    for s in scored:
        x = cfg.absolute_weight * max(s.raw, 0.0) + cfg.standout_weight * max(s.raw - ref, 0.0)
        out.append(round(1.0 - math.exp(-x), 4))
    return out
