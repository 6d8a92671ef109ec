"""Second stage: rescore a TF-IDF shortlist with fuzzy title matching and the field prior."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from rapidfuzz import fuzz

from exchange.matching.calibrate import calibrate
from exchange.matching.confidence import doubts
from exchange.matching.explain import explain, surfaces
from exchange.matching.features import DocFeatures
from exchange.matching.types import MatchDoc, Suggestion

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel


@dataclass(frozen=True)
class Candidate:
    """A shortlisted document: its row and its TF-IDF similarity."""

    row: int
    sim: float


@dataclass(frozen=True)
class Scored:
    """A rescored candidate, before calibration."""

    row: int
    sim: float
    fuzz: float
    same_field: bool
    raw: float


def fuzz_score(query_text: str, doc_text: str) -> float:
    """Fuzzy similarity of folded titles+keywords, in [0, 1]."""
    if not query_text or not doc_text:
        return 0.0
    return fuzz.token_set_ratio(query_text, doc_text) / 100.0


def score_candidate(model: "MatchModel", query: MatchDoc, feat: DocFeatures, cand: Candidate) -> Scored:
    """Combine TF-IDF similarity, fuzzy title similarity and the field prior."""
    cfg = model.config
    doc = model.docs[cand.row]
    fz = fuzz_score(feat.fuzz_text, model.corpus.fuzz_texts[cand.row])
    same = bool(query.field and doc.field and query.field == doc.field)
    raw = cand.sim + cfg.fuzz_weight * fz * cand.sim + (cfg.field_bonus if same else 0.0)
    return Scored(cand.row, cand.sim, fz, same, raw)


def rescore(model: "MatchModel", query: MatchDoc, feat: DocFeatures, shortlist: Sequence[Candidate],
            top_k: int, field_names: Mapping[str, str]) -> list[Suggestion]:
    """Rescore, keep the best top_k, calibrate their scores and explain them, best score first.

    The calibrated score, which users see, decides the order among the top_k: a suggestion the
    confidence doubts (another species than the need's, none of what it asks for) falls behind
    the ones it does not.
    """
    scored = sorted((score_candidate(model, query, feat, c) for c in shortlist), key=lambda s: (-s.raw, s.row))
    doubted = doubts(model, query, [s.row for s in scored[:top_k]])
    calibrated = calibrate(model, scored, top_k, [d.factor for d in doubted])
    qwords = surfaces(model, query)[0]
    ranked = sorted(zip(scored[:top_k], calibrated, doubted), key=lambda item: -item[1])
    return [
        Suggestion(model.docs[s.row].key, score, explain(model, query, feat, s, field_names, qwords, doubt))
        for s, score, doubt in ranked
    ]
