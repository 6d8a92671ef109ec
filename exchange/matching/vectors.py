"""TF-IDF over the token views: per-view vocabularies, idf, and weighted block matrices."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from exchange.matching.features import VIEWS, DocFeatures
from exchange.matching.types import EngineConfig


@dataclass(frozen=True)
class ViewSpace:
    """One view's vocabulary, idf and column offset inside the block matrices."""

    view: str
    vocab: dict[str, int]
    idf: np.ndarray
    offset: int
    terms: tuple[str, ...] = ()

    @property
    def unseen_idf(self) -> float:
        """The idf given to a term no fitted document has (as rare as possible)."""
        return float(self.idf.max()) if len(self.idf) else 1.0


def fit_view(counts: sp.csr_matrix, terms: list[str], view: str, offset: int) -> tuple[ViewSpace, sp.csr_matrix]:
    """Fit idf for one view; return its space and its L2-normalised TF-IDF rows (none for no documents)."""
    vocab = {t: i for i, t in enumerate(terms)}
    if counts.shape[0] == 0:  # an exchange with nothing published yet: nothing to weigh
        return (ViewSpace(view, vocab, np.ones(counts.shape[1], np.float32), offset, tuple(terms)),
                sp.csr_matrix(counts.shape, dtype=np.float32))
    transformer = TfidfTransformer(sublinear_tf=True, norm="l2")
    tfidf = transformer.fit_transform(counts).astype(np.float32)
    return ViewSpace(view, vocab, transformer.idf_.astype(np.float32), offset, tuple(terms)), sp.csr_matrix(tfidf)


def view_scales(config: EngineConfig, views: Sequence[str]) -> dict[str, float]:
    """Multipliers that make a block-stacked row of unit-norm views have unit norm."""
    total = sum(config.weight_of(v) for v in views)
    return {v: math.sqrt(config.weight_of(v) / total) for v in views}


@dataclass(frozen=True)
class Space:
    """All view spaces, and the width of the stacked matrix."""

    views: tuple[ViewSpace, ...]
    width: int

    def of(self, view: str) -> ViewSpace:
        """The space of one view."""
        return next(v for v in self.views if v.view == view)


@dataclass(frozen=True)
class Corpus:
    """Per-document facts kept after fitting (features themselves are dropped to save memory)."""

    accented: np.ndarray
    restored: np.ndarray
    fuzz_texts: tuple[str, ...]


def fit_space(views: dict[str, tuple[sp.csr_matrix, list[str]]]) -> tuple[Space, dict[str, sp.csr_matrix]]:
    """Fit every view from its count matrix and terms; return the space and each view's TF-IDF rows."""
    spaces, blocks, offset = [], {}, 0
    for view in VIEWS:
        space, block = fit_view(*views.pop(view), view, offset)
        spaces.append(space)
        blocks[view] = block
        offset += block.shape[1]
    return Space(tuple(spaces), offset), blocks


def stack(blocks: dict[str, sp.csr_matrix], scales: dict[str, float], space: Space) -> sp.csr_matrix:
    """Stack the views named in `scales` into one matrix of width `space.width`."""
    parts = []
    for vs in space.views:
        block = blocks[vs.view]
        parts.append(block * scales[vs.view] if vs.view in scales else sp.csr_matrix(block.shape, dtype=np.float32))
    return sp.csr_matrix(sp.hstack(parts, format="csr", dtype=np.float32))


def query_vector(feat: DocFeatures, space: Space, scales: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(column indices, values) of a query in the stacked space; unseen terms only lower the norm."""
    cols: list[int] = []
    vals: list[float] = []
    for view, scale in scales.items():
        vs = space.of(view)
        terms = feat.views[view]
        weights = {t: (1.0 + math.log(c)) * (vs.idf[vs.vocab[t]] if t in vs.vocab else vs.unseen_idf) for t, c in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for term, w in weights.items():
            if term in vs.vocab:
                cols.append(vs.offset + vs.vocab[term])
                vals.append(scale * w / norm)
    return np.asarray(cols, np.int64), np.asarray(vals, np.float32)


def queries_matrix(feats: Sequence[DocFeatures], space: Space, scales: dict[str, float]) -> sp.csr_matrix:
    """Stack query vectors into a CSR matrix (rows = queries)."""
    indptr, indices, data = [0], [], []
    for feat in feats:
        cols, vals = query_vector(feat, space, scales)
        indices.append(cols)
        data.append(vals)
        indptr.append(indptr[-1] + len(cols))
    ind = np.concatenate(indices) if indices else np.zeros(0, np.int64)
    dat = np.concatenate(data) if data else np.zeros(0, np.float32)
    return sp.csr_matrix((dat, ind, np.asarray(indptr)), shape=(len(feats), space.width))


def dense_product(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """`(a @ b).toarray()` for CSR operands, by the same scipy routines minus its sizing pass."""
    # scipy first counts the product's non-zeros (a third of the time here, where the result is
    # nearly dense); the dense size bounds them. Falls back to the public product when the
    # private routines or int32 indices are not available.
    try:
        from scipy.sparse._sparsetools import csr_matmat, csr_todense
    except ImportError:  # pragma: no cover - other scipy layouts
        return (a @ b).toarray()
    m, n = a.shape[0], b.shape[1]
    arrays = (a.indptr, a.indices, b.indptr, b.indices)
    if m * n >= 2**31 - 1 or any(x.dtype != np.int32 for x in arrays) or a.dtype != b.dtype:
        return (a @ b).toarray()
    indptr, indices, data = np.empty(m + 1, np.int32), np.empty(m * n, np.int32), np.empty(m * n, a.dtype)
    csr_matmat(m, n, a.indptr, a.indices, a.data, b.indptr, b.indices, b.data, indptr, indices, data)
    out = np.zeros((m, n), a.dtype)
    csr_todense(m, n, indptr, indices, data, out)
    return out
