"""Turn raw rescored similarities into scores in [0, 1] that one threshold can cut."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from exchange.matching.features import DocFeatures

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored


def calibrate(model: "MatchModel", feat: DocFeatures, scored: Sequence["Scored"]) -> list[float]:
    """Scores in [0, 1], non-increasing along the ranking."""
    return [round(min(1.0, max(0.0, s.raw)), 4) for s in scored]
