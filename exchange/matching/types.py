"""Value types of the matching engine: documents, suggestions, configuration."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Literal, Protocol

Kind = Literal["offer", "need", "expert"]
KINDS: tuple[str, ...] = ("offer", "need", "expert")


class TokenFields(Protocol):
    """Token views of a listing: what `exchange.text.FieldTokens` provides."""

    title: tuple[str, ...]
    keywords: tuple[str, ...]
    description: tuple[str, ...]


@dataclass(frozen=True)
class Tokens:
    """A plain TokenFields, for callers without `exchange.text`."""

    title: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    description: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchDoc:
    """One rankable listing or expert; confidential text never enters here."""

    key: str
    kind: Kind
    tokens: TokenFields
    field: str | None = None
    title: str = ""
    keywords: tuple[str, ...] = ()
    trl: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    locality: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A ranked candidate with its calibrated score and Vietnamese reasons."""

    key: str
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineConfig:
    """Every weight of the engine; its hash is part of the model version."""

    title_weight: float = 3.0
    keyword_weight: float = 3.0
    description_weight: float = 1.0
    view_weights: tuple[tuple[str, float], ...] = (
        ("w", 1.0), ("s", 0.5), ("f", 0.25), ("b", 0.5),
    )
    folded_only_penalty: float = 0.9
    restore_accents: bool = True
    shortlist: int = 50
    fuzz_weight: float = 0.15
    field_bonus: float = 0.03
    max_reason_terms: int = 4
    min_df: int = 1
    absolute_weight: float = 1.0
    standout_weight: float = 3.0
    reference_rank: int = 5
    # Share of the calibrated score kept by a suggestion that mentions none of the query title's nouns.
    noun_floor: float = 0.5
    # Share kept by a suggestion that mentions none of what a need's title asks for after "cần",
    # "tìm", "muốn" (its request clause: "..., cần cách kè bờ rẻ mà bền").
    request_floor: float = 0.5
    # Share of the calibrated score kept by a suggestion about another member of a class of
    # alternatives the query names (another species, crop, material, machine kind: classes.tsv).
    conflict_factor: float = 0.3

    def weight_of(self, view: str) -> float:
        """The weight of one token view ("w", "s", "f" or "b")."""
        return dict(self.view_weights)[view]

    def digest(self) -> str:
        """A short stable hash of every setting."""
        raw = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
