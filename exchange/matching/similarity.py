"""TF-IDF similarity of queries to the fitted documents: exact, or through candidate pruning.

The stacked matrix holds four views per document. The folded views (f, b) give a folded-only
score (rescaled to unit norm) and, with the accented views (w, s), the full score; an accented
query meets accented documents by the full score and the others by the folded one.

Candidate pruning (large corpora): a query's terms found in more than PRUNE_DF_SHARE of the
documents (syllables such as "của", "và") touch most rows but rarely decide the best ones.
They are left out to find the CANDIDATES best documents by estimate, whose similarity is then
computed in full: the shortlist's scores are exact. A query with fewer positive estimates than
the shortlist is scored in full. At 100k listings the gathered entries fall to a fifth, and the
exact top 50 was inside the estimated top 200 for every sampled query (bench/RESULTS.md).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

import numpy as np
import scipy.sparse as sp

from exchange.matching.features import FOLDED_VIEWS, VIEWS, DocFeatures
from exchange.matching.types import EngineConfig
from exchange.matching.vectors import dense_product, queries_matrix, query_vector, view_scales

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel

PRUNE_MIN_DOCS = 20_000
PRUNE_DF_SHARE = 0.1
CANDIDATES = 200
# A query's (column indices, values).
Vector = tuple[np.ndarray, np.ndarray]
# Rows of documents and their similarities to a query.
Scores = tuple[np.ndarray, np.ndarray]
NOTHING: Vector = (np.zeros(0, np.int64), np.zeros(0, np.float32))


def common_columns(full_csc: sp.csc_matrix, n_docs: int) -> np.ndarray | None:
    """Per column, whether pruning leaves it out of queries; None when the corpus is too small to prune."""
    if n_docs < PRUNE_MIN_DOCS:
        return None
    return np.diff(full_csc.indptr) > PRUNE_DF_SHARE * n_docs


def fold_factor(config: EngineConfig) -> float:
    """Rescales the folded views of the full matrix to a unit-norm folded-only space."""
    total = sum(config.weight_of(v) for v in VIEWS)
    return math.sqrt(total / sum(config.weight_of(v) for v in FOLDED_VIEWS))


def penalty_arrays(config: EngineConfig, accented: np.ndarray, restored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per document, for a query typed with diacritics (index 0) or re-accented (1): 1, or the
    folded-only penalty where an accented query meets guessed accents."""
    return tuple(np.where(weak, config.folded_only_penalty, 1.0).astype(np.float32)  # type: ignore[return-value]
                 for weak in (~accented | restored, ~accented))


def penalties(model: "MatchModel", restored: bool) -> np.ndarray:
    """The model's penalty array for a query re-accented or not (computed once, when it is assembled)."""
    return model.penalties[int(restored)]


def query_parts(model: "MatchModel", feat: DocFeatures) -> tuple[Vector, Vector]:
    """The query's folded views and its accented views (nothing when it has no diacritics)."""
    scales = view_scales(model.config, VIEWS)
    folded = query_vector(feat, model.space, {v: scales[v] for v in FOLDED_VIEWS})
    if not feat.accented:
        return folded, NOTHING
    return folded, query_vector(feat, model.space, {v: scales[v] for v in VIEWS if v not in FOLDED_VIEWS})


def similarities(model: "MatchModel", feat: DocFeatures, rows: np.ndarray | None = None) -> np.ndarray:
    """Exact similarity of a query to every fitted document (or to `rows`), in [0, 1]."""
    folded_q, accented_q = query_parts(model, feat)
    return _combine(model, feat, *_products(model, folded_q, accented_q, rows), rows)


def scores(model: "MatchModel", feat: DocFeatures, mask: np.ndarray) -> Scores:
    """The documents where `mask` holds (when pruning: the candidates among them) and their exact
    similarity to the query."""
    folded_q, accented_q = query_parts(model, feat)
    if model.common is not None:
        pruned = (_without(folded_q, model.common), _without(accented_q, model.common))
        estimate = np.where(mask, _combine(model, feat, *_products(model, *pruned, None)), -1.0)
        count = int(np.count_nonzero(estimate > 0))
        if count >= model.config.shortlist:
            size = min(CANDIDATES, count)
            rows = np.sort(np.argpartition(estimate, len(estimate) - size)[-size:])
            return rows, _combine(model, feat, *_products(model, folded_q, accented_q, rows), rows)
    rows = np.flatnonzero(mask)
    return rows, _combine(model, feat, *_products(model, folded_q, accented_q, None))[rows]


def block_similarities(model: "MatchModel", feats: Sequence[DocFeatures],
                       targets: tuple[sp.csr_matrix, np.ndarray, dict[bool, np.ndarray]]) -> np.ndarray:
    """Exact similarity of many queries to the target documents (dense, float32, in place where possible):
    one sparse product per part, the folded views serving both scores."""
    targets_t, accented_t, penalty = targets
    scales = view_scales(model.config, VIEWS)
    sims = dense_product(queries_matrix(feats, model.space, {v: scales[v] for v in FOLDED_VIEWS}), targets_t)
    rows = np.flatnonzero([f.accented for f in feats])
    if len(rows):
        accented_q = queries_matrix([feats[r] for r in rows], model.space,
                                    {v: scales[v] for v in VIEWS if v not in FOLDED_VIEWS})
        full = dense_product(accented_q, targets_t) + sims[rows]
    sims *= np.float32(fold_factor(model.config) ** 2)
    for restored in (False, True):
        picked = np.flatnonzero([feats[r].restored == restored for r in rows])
        if len(picked):
            at = rows[picked]
            sims[at] = np.where(accented_t, full[picked], sims[at]) * penalty[restored]
    return sims


def _without(vector: Vector, common: np.ndarray) -> Vector:
    """The vector without its common columns (values unchanged: still those of the whole query)."""
    cols, vals = vector
    kept = ~common[cols]
    return cols[kept], vals[kept]


def _combine(model: "MatchModel", feat: DocFeatures, folded: np.ndarray, accented: np.ndarray,
             rows: np.ndarray | None = None) -> np.ndarray:
    """Full score for accented documents, rescaled folded score for the others (of `rows`)."""
    rescaled = folded * np.float32(fold_factor(model.config) ** 2)
    if not feat.accented:
        return rescaled
    picked = slice(None) if rows is None else rows
    return np.where(model.accented[picked], folded + accented, rescaled) * penalties(model, feat.restored)[picked]


def _products(model: "MatchModel", folded_q: Vector, accented_q: Vector,
              rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Dot products of the two parts of a query with every document (gathering the query's columns
    once), or with a few rows (against the query as a dense vector)."""
    if rows is None:
        return _gather(model.full_csc, np.concatenate([folded_q[0], accented_q[0]]),
                       np.concatenate([folded_q[1], accented_q[1]]), len(folded_q[0]))
    sub = model.full[rows]
    parts = []
    for cols, vals in (folded_q, accented_q):
        dense = np.zeros(model.space.width, np.float32)
        dense[cols] = vals
        parts.append(np.asarray(sub @ dense, np.float32).ravel())
    return parts[0], parts[1]


def _gather(csc: sp.csc_matrix, cols: np.ndarray, vals: np.ndarray, split: int) -> tuple[np.ndarray, np.ndarray]:
    """Dot products of every row with a sparse query, gathering only its columns (once): the part of
    its first `split` columns and the part of the others."""
    n = csc.shape[0]
    first, rest = np.zeros(n, np.float32), np.zeros(n, np.float32)
    if len(cols) == 0:
        return first, rest
    sub = csc[:, cols]
    try:
        from scipy.sparse._sparsetools import csc_matvec
    except ImportError:  # pragma: no cover - other scipy layouts
        return (np.asarray(sub[:, :split] @ vals[:split], np.float32).ravel(),
                np.asarray(sub[:, split:] @ vals[split:], np.float32).ravel())
    # The columns of a CSC matrix are consecutive ranges of its arrays: each part is a matvec over
    # a slice of indptr (scipy's own routine, without copying the columns again).
    vals = vals.astype(sub.dtype, copy=False)
    csc_matvec(n, split, sub.indptr[:split + 1], sub.indices, sub.data, vals[:split], first)
    csc_matvec(n, len(cols) - split, sub.indptr[split:], sub.indices, sub.data, vals[split:], rest)
    return first, rest
