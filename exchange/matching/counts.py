"""Weighted term counts of the four views for all documents at once, from flat token ids.

Per unique token: its syllables, folded syllables and flags (Python, once); per occurrence:
numpy only. Gives the same counts as `features.doc_features` document by document.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from exchange.matching.accents import fold, is_usable
from exchange.matching.extract import Extracted

FIELDS = 3


@dataclass(frozen=True)
class TokenViews:
    """Per canonical token: stopword and diacritics flags, syllable and folded-syllable ids, folded text."""

    stop: np.ndarray
    marked: np.ndarray
    syl_ptr: np.ndarray
    syl_idx: np.ndarray
    fold_ptr: np.ndarray
    fold_idx: np.ndarray
    syllables: list[str]
    folds: list[str]
    fold_texts: list[str]


def token_views(names: Sequence[str], stop: frozenset[str]) -> TokenViews:
    """Syllable views of every token (usable syllables only)."""
    syl_ids: dict[str, int] = {}
    fold_ids: dict[str, int] = {}
    syl_idx, fold_idx, lengths, marked, texts = [], [], [], [], []
    for name in names:
        syls = [s for s in name.split("_") if s and is_usable(s)]
        folded = [fold(s) for s in syls]
        syl_idx.extend([syl_ids.setdefault(s, len(syl_ids)) for s in syls])
        fold_idx.extend([fold_ids.setdefault(f, len(fold_ids)) for f in folded])
        lengths.append(len(syls))
        marked.append(folded != syls)
        texts.append("" if name in stop else " ".join(folded))
    ptr = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    return TokenViews(np.asarray([n in stop for n in names], bool), np.asarray(marked, bool), ptr,
                      np.asarray(syl_idx, np.int64), ptr, np.asarray(fold_idx, np.int64),
                      list(syl_ids), list(fold_ids), texts)


def _expand(tok: np.ndarray, seg: np.ndarray, ptr: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The syllable ids of each token occurrence, in order, and the segment of each."""
    lens = ptr[tok + 1] - ptr[tok]
    ends = np.cumsum(lens)
    offsets = np.repeat(ptr[tok] - (ends - lens), lens) + np.arange(int(ends[-1]) if len(ends) else 0)
    return idx[offsets], np.repeat(seg, lens)


def _matrix(seg: np.ndarray, cols: np.ndarray, field_weights: np.ndarray, n_docs: int,
            terms: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Rows = documents: summed field weights per term; only terms that occur are kept."""
    present = np.bincount(cols, minlength=len(terms)) > 0
    renumber = np.cumsum(present) - 1
    width = max(int(present.sum()), 1)
    counts = sp.coo_matrix((field_weights[seg % FIELDS], (seg // FIELDS, renumber[cols])), shape=(n_docs, width))
    matrix = counts.tocsr()
    matrix.sum_duplicates()
    return sp.csr_matrix(matrix, dtype=np.float32), [terms[i] for i in np.flatnonzero(present)]


def _bigrams(folds: np.ndarray, seg: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Consecutive folded syllables of each field: (segment, bigram id, bigram terms)."""
    same = seg[1:] == seg[:-1]
    width = max(len(names), 1)
    first, second = folds[:-1][same], folds[1:][same]
    unique, inverse = _pair_ids(first, second, width)
    terms = [f"{names[k // width]} {names[k % width]}" for k in unique.tolist()]
    return seg[1:][same], inverse, terms


def _bigram_matrix(folds: np.ndarray, seg: np.ndarray, names: Sequence[str], field_weights: np.ndarray,
                   n_docs: int) -> tuple[sp.csr_matrix, list[str]]:
    """The bigram view's count matrix and terms."""
    bseg, bcols, bterms = _bigrams(folds, seg, names)
    return _matrix(bseg, bcols, field_weights, n_docs, bterms)


def _pair_ids(first: np.ndarray, second: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys first·width + second, and each pair's index among them (as np.unique)."""
    keys = first * width + second
    if width > np.iinfo(np.uint16).max or not len(keys):
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.ravel()
    # Two stable radix sorts on 16-bit halves are ~2x faster than np.unique's argsort.
    order = np.argsort(second.astype(np.uint16), kind="stable")
    order = order[np.argsort(first.astype(np.uint16)[order], kind="stable")]
    ordered = keys[order]
    starts = np.empty(len(keys), bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(len(keys), np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def count_views(ex: Extracted, tv: TokenViews, weights: Sequence[float]
                ) -> tuple[dict[str, tuple[sp.csr_matrix, list[str]]], np.ndarray]:
    """Each view's count matrix and terms, and which documents carry diacritics."""
    n_docs = len(ex.lengths) // FIELDS
    field_weights = np.asarray(weights, np.float64)
    seg = np.repeat(np.arange(len(ex.lengths), dtype=np.int64), ex.lengths)
    tok = ex.tokens.astype(np.int64)
    content = ~tv.stop[tok]
    ctok, cseg = tok[content], seg[content]
    folds, fseg = _expand(tok, seg, tv.fold_ptr, tv.fold_idx)
    # The bigram view (the largest: two sorts to number the pairs) is built in a thread while this
    # one builds the others: numpy's sorts and scipy's conversions release the GIL.
    with ThreadPoolExecutor(max_workers=1) as pool:
        bigrams = pool.submit(_bigram_matrix, folds, fseg, tv.folds, field_weights, n_docs)
        syls, sseg = _expand(ctok, cseg, tv.syl_ptr, tv.syl_idx)
        views = {"w": _matrix(cseg, ctok, field_weights, n_docs, ex.names),
                 "s": _matrix(sseg, syls, field_weights, n_docs, tv.syllables),
                 "f": _matrix(fseg, folds, field_weights, n_docs, tv.folds),
                 "b": bigrams.result()}
    accented = np.bincount(cseg // FIELDS, weights=tv.marked[ctok], minlength=n_docs) > 0
    return views, accented


def fuzz_texts(ex: Extracted, tv: TokenViews) -> list[str]:
    """Folded content syllables of each document's title and keywords, space-separated."""
    tokens = ex.tokens.tolist()
    bounds = np.concatenate([[0], np.cumsum(ex.lengths, dtype=np.int64)]).tolist()
    texts = tv.fold_texts
    out = []
    for d in range(len(ex.lengths) // FIELDS):
        head = tokens[bounds[FIELDS * d]:bounds[FIELDS * d + 2]]
        out.append(" ".join([t for t in map(texts.__getitem__, head) if t]))
    return out
