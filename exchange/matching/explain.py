"""Vietnamese reasons for a suggestion."""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from exchange.matching.features import DocFeatures
from exchange.matching.types import MatchDoc

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored


def explain(model: "MatchModel", query: MatchDoc, feat: DocFeatures, scored: "Scored",
            field_names: Mapping[str, str]) -> tuple[str, ...]:
    """Reasons, in Vietnamese, why the document suits the query."""
    return ()
