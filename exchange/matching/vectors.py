"""TF-IDF over the token views: per-view vocabularies, idf, and weighted block matrices."""
from __future__ import annotations

import math
from dataclasses import dataclass
from array import array
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from exchange.matching.features import FOLDED_VIEWS, VIEWS, DocFeatures
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


class _Counts:
    """Growing CSR parts of one view's weighted counts (compact arrays, not dicts per row)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.indptr = array("q", [0])
        self.indices = array("i")
        self.data = array("f")

    def add(self, terms: dict[str, float]) -> None:
        """Append one document's row."""
        vocab = self.vocab
        for term, count in terms.items():
            self.indices.append(vocab.setdefault(term, len(vocab)))
            self.data.append(count)
        self.indptr.append(len(self.indices))

    def matrix(self) -> sp.csr_matrix:
        """The rows as a CSR matrix."""
        shape = (len(self.indptr) - 1, max(len(self.vocab), 1))
        arrays = (np.frombuffer(self.data, np.float32), np.frombuffer(self.indices, np.int32), np.frombuffer(self.indptr, np.int64))
        return sp.csr_matrix(arrays, shape=shape)


def fit_view(counts: _Counts, view: str, offset: int) -> tuple[ViewSpace, sp.csr_matrix]:
    """Fit idf for one view; return its space and its L2-normalised TF-IDF rows."""
    transformer = TfidfTransformer(sublinear_tf=True, norm="l2")
    tfidf = transformer.fit_transform(counts.matrix()).astype(np.float32)
    terms = tuple(sorted(counts.vocab, key=counts.vocab.__getitem__))
    return ViewSpace(view, counts.vocab, transformer.idf_.astype(np.float32), offset, terms), sp.csr_matrix(tfidf)


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


def fit_space(feats: Iterable[DocFeatures]) -> tuple[Space, dict[str, sp.csr_matrix], Corpus]:
    """Fit every view from a stream of features; return the space, each view's TF-IDF rows and the corpus facts."""
    counts = {view: _Counts() for view in VIEWS}
    accented, restored, fuzz_texts = [], [], []
    for feat in feats:
        for view in VIEWS:
            counts[view].add(feat.views[view])
        accented.append(feat.accented)
        restored.append(feat.restored)
        fuzz_texts.append(feat.fuzz_text)
    spaces, blocks, offset = [], {}, 0
    for view in VIEWS:
        space, block = fit_view(counts.pop(view), view, offset)
        spaces.append(space)
        blocks[view] = block
        offset += block.shape[1]
    corpus = Corpus(np.asarray(accented, bool), np.asarray(restored, bool), tuple(fuzz_texts))
    return Space(tuple(spaces), offset), blocks, corpus


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
