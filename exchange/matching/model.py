"""Fit the engine on documents and rank candidates of one kind for a query document."""
from __future__ import annotations

import math
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from exchange.text.classes import ClassTable, parse_classes
from exchange.text.synonyms import SynonymTable, parse_synonyms

from exchange.matching.accents import AccentMap, build_accent_map
from exchange.matching.counts import count_views, fuzz_texts, token_views
from exchange.matching.extract import extract
from exchange.matching.lexicon import Lexicon
from exchange.matching.features import FOLDED_VIEWS, VIEWS, DocFeatures, doc_features
from exchange.matching.rescore import Candidate, rescore
from exchange.matching.types import EngineConfig, MatchDoc, Suggestion
from exchange.matching.vectors import Corpus, Space, dense_product, fit_space, query_vector, queries_matrix, stack, view_scales

MODEL_FORMAT = 1
NO_CLASSES = parse_classes([], parse_synonyms([]))
# Rows of dense similarities computed at once in batch ranking (memory: rows × documents × 4 bytes).
SIMILARITY_BLOCK = 128
# Blocks whose similarities are computed ahead, in as many threads (each holds a dense block).
BLOCKS_AHEAD = 2


@dataclass(frozen=True)
class MatchModel:
    """A fitted engine: documents, TF-IDF spaces and matrices. Immutable once built."""

    docs: tuple[MatchDoc, ...]
    corpus: Corpus
    space: Space
    full: sp.csr_matrix
    config: EngineConfig
    synonyms: SynonymTable
    stopwords: frozenset[str]
    pipeline_version: str
    accent_map: AccentMap | None
    index: dict[str, int] = field(repr=False)
    kinds: np.ndarray = field(repr=False)
    accented: np.ndarray = field(repr=False)
    restored: np.ndarray = field(repr=False)
    full_csc: sp.csc_matrix = field(repr=False)
    # Memo of word canonicalization (grows with the vocabulary; never changes results).
    lexicon: Lexicon = field(repr=False, compare=False)
    kind_masks: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    # Classes of alternative objects (confidence.py).
    classes: ClassTable = field(default=NO_CLASSES, repr=False)
    # Surfaces and class terms of fitted documents, filled on demand (rowtext.py; bounded; never changes results).
    text_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def row_terms(self, row: int, view: str) -> dict[str, float]:
        """The terms of one fitted document in one view, with their TF-IDF weights."""
        vs = self.space.of(view)
        start, end = self.full.indptr[row], self.full.indptr[row + 1]
        cols, vals = self.full.indices[start:end], self.full.data[start:end]
        inside = (cols >= vs.offset) & (cols < vs.offset + len(vs.terms))
        return {vs.terms[c - vs.offset]: float(v) for c, v in zip(cols[inside], vals[inside])}

    @property
    def version(self) -> str:
        """Model format, text pipeline version and engine config hash."""
        return f"m{MODEL_FORMAT}-{self.pipeline_version}-{self.config.digest()}"

    def features(self, doc: MatchDoc) -> DocFeatures:
        """Features of a document (computed afresh: the model keeps only their TF-IDF rows)."""
        return doc_features(doc, self.synonyms, self.stopwords, self.config, self.accent_map, self.lexicon)

    def similarities(self, feat: DocFeatures) -> np.ndarray:
        """TF-IDF similarity of a query to every fitted document, in [0, 1]."""
        # As in batch ranking: the folded views (f, b) give the folded-only score (rescaled) and,
        # plus the accented views (w, s), the full score; the columns are gathered once.
        scales = view_scales(self.config, VIEWS)
        folded_cols, folded_vals = query_vector(feat, self.space, {v: scales[v] for v in FOLDED_VIEWS})
        cols, vals = ((np.zeros(0, np.int64), np.zeros(0, np.float32)) if not feat.accented else
                      query_vector(feat, self.space, {v: scales[v] for v in VIEWS if v not in FOLDED_VIEWS}))
        folded, accented = _gather(self.full_csc, np.concatenate([folded_cols, cols]),
                                   np.concatenate([folded_vals, vals]), len(folded_cols))
        rescaled = folded * np.float32(self._fold_factor ** 2)
        if not feat.accented:
            return rescaled
        return np.where(self.accented, folded + accented, rescaled) * self._penalties(feat.restored)

    @property
    def _fold_factor(self) -> float:
        """Rescales the folded views of the full matrix to a unit-norm folded-only space."""
        total = sum(self.config.weight_of(v) for v in VIEWS)
        return math.sqrt(total / sum(self.config.weight_of(v) for v in FOLDED_VIEWS))

    def _penalties(self, restored: bool) -> np.ndarray:
        """Per document: 1, or the folded-only penalty when an accented query meets guessed accents."""
        weak = ~self.accented if restored else (~self.accented | self.restored)
        return np.where(weak, self.config.folded_only_penalty, 1.0).astype(np.float32)

    def rank(self, query: MatchDoc, target_kind: str, top_k: int = 10, exclude: Sequence[str] = (),
             field_names: Mapping[str, str] | None = None) -> list[Suggestion]:
        """The best `top_k` documents of `target_kind` for `query`, best first."""
        feat = self.features(query)
        if feat.is_empty:
            return []
        scores = np.where(self._kind_mask(target_kind), self.similarities(feat), -1.0)
        return self._finish(query, feat, scores, top_k, exclude, field_names or {})

    def rank_many(self, queries: Sequence[MatchDoc], target_kind: str, top_k: int = 10,
                  chunk_size: int = 1000, field_names: Mapping[str, str] | None = None) -> Iterator[list[Suggestion]]:
        """Rankings for many queries, in order; memory bounded by the block size × target documents."""
        # The next blocks' sparse products run in threads (scipy releases the GIL) while the
        # current block is rescored and explained.
        target = np.flatnonzero(self._kind_mask(target_kind))
        blocks = (sp.csr_matrix(self.full[target].T), self.accented[target],
                  {flag: self._penalties(flag)[target] for flag in (False, True)})
        step = max(1, min(chunk_size, SIMILARITY_BLOCK))
        with ThreadPoolExecutor(max_workers=BLOCKS_AHEAD) as pool:
            ahead: deque = deque()
            for start in range(0, len(queries), step):
                chunk = queries[start:start + step]
                feats = [self.features(q) for q in chunk]
                ahead.append((chunk, feats, pool.submit(self._block_similarities, feats, blocks)))
                if len(ahead) > BLOCKS_AHEAD:
                    yield from self._finish_block(*ahead.popleft(), target, top_k, field_names or {})
            while ahead:
                yield from self._finish_block(*ahead.popleft(), target, top_k, field_names or {})

    def _finish_block(self, chunk: Sequence[MatchDoc], feats: Sequence[DocFeatures], future: Future,
                      target: np.ndarray, top_k: int, field_names: Mapping[str, str]) -> Iterator[list[Suggestion]]:
        """Rankings of one block of queries once its similarities (to the target documents) are ready."""
        for q, feat, row in zip(chunk, feats, future.result()):
            if feat.is_empty:
                yield []
                continue
            scores = np.full(len(self.docs), -1.0, np.float32)
            scores[target] = row
            yield self._finish(q, feat, scores, top_k, (), field_names)

    def _block_similarities(self, feats: Sequence[DocFeatures],
                            blocks: tuple[sp.csr_matrix, np.ndarray, dict[bool, np.ndarray]]) -> np.ndarray:
        """Similarity of many queries to the target documents (dense, float32, in place where possible)."""
        # One product per part: the folded views (f, b) serve both the folded-only score
        # (rescaled) and, plus the accented views (w, s), the full score.
        targets_t, accented_t, penalties = blocks
        scales = view_scales(self.config, VIEWS)
        folded_q = queries_matrix(feats, self.space, {v: scales[v] for v in FOLDED_VIEWS})
        sims = dense_product(folded_q, targets_t)
        rows = np.flatnonzero([f.accented for f in feats])
        if len(rows):
            accented_q = queries_matrix([feats[r] for r in rows], self.space,
                                        {v: scales[v] for v in VIEWS if v not in FOLDED_VIEWS})
            full = dense_product(accented_q, targets_t) + sims[rows]
        sims *= np.float32(self._fold_factor ** 2)
        for restored in (False, True):
            picked = np.flatnonzero([feats[r].restored == restored for r in rows])
            if len(picked):
                at = rows[picked]
                sims[at] = np.where(accented_t, full[picked], sims[at]) * penalties[restored]
        return sims

    def _kind_mask(self, kind: str) -> np.ndarray:
        """Which documents are of `kind` (cached: comparing the object array costs ~1 ms)."""
        mask = self.kind_masks.get(kind)
        if mask is None:
            mask = self.kind_masks[kind] = self.kinds == kind
        return mask

    def _finish(self, query: MatchDoc, feat: DocFeatures, scores: np.ndarray, top_k: int,
                exclude: Sequence[str], field_names: Mapping[str, str]) -> list[Suggestion]:
        """Shortlist (scores: -1 for documents of other kinds), rescore, calibrate and explain."""
        banned = [self.index[k] for k in (query.key, *exclude) if k in self.index]
        scores[banned] = -1.0
        n = int(min(self.config.shortlist, int((scores > 0).sum())))
        if n == 0 or top_k <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        shortlist = [Candidate(int(i), float(scores[i])) for i in top]
        return rescore(self, query, feat, shortlist, top_k, field_names)


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


def fit(docs: Sequence[MatchDoc], config: EngineConfig = EngineConfig(), *, synonyms: SynonymTable | None = None,
        stopwords: frozenset[str] | None = None, pipeline_version: str | None = None,
        workers: int | None = None, classes: ClassTable | None = None) -> MatchModel:
    """Fit TF-IDF views on every document (all kinds share one idf); workers: processes (default: up to 2)."""
    from exchange import text
    from exchange.text.classes import load_classes
    from exchange.text.synonyms import load_synonyms
    synonyms = synonyms if synonyms is not None else load_synonyms()
    classes = classes if classes is not None else load_classes(synonyms=synonyms)
    stopwords = stopwords if stopwords is not None else text.stopwords()
    version = pipeline_version if pipeline_version is not None else text.PIPELINE_VERSION
    amap = build_accent_map(_all_words(d) for d in docs) if config.restore_accents else None
    return build_model(tuple(docs), config, synonyms, stopwords, version, amap, workers, classes)


def _all_words(doc: MatchDoc) -> tuple[str, ...]:
    """Every token of a document."""
    return (*doc.tokens.title, *doc.tokens.keywords, *doc.tokens.description)


def build_model(docs: tuple[MatchDoc, ...], config: EngineConfig, synonyms: SynonymTable,
                stopwords: frozenset[str], version: str, amap: AccentMap | None, workers: int | None = None,
                classes: ClassTable = NO_CLASSES) -> MatchModel:
    """Extract every document's tokens, count the views and assemble the model."""
    lexicon = Lexicon(synonyms, stopwords)
    extracted = extract(docs, lexicon, amap, workers)
    tv = token_views(extracted.names, stopwords)
    weights = (config.title_weight, config.keyword_weight, config.description_weight)
    views, accented = count_views(extracted, tv, weights)
    corpus = Corpus(accented, extracted.restored, tuple(fuzz_texts(extracted, tv)))
    del extracted
    space, blocks = fit_space(views)
    full = stack(blocks, view_scales(config, VIEWS), space)
    del blocks
    return assemble(docs, corpus, space, full, config, synonyms, stopwords, version, amap, lexicon, classes)


def assemble(docs: tuple[MatchDoc, ...], corpus: Corpus, space: Space, full: sp.csr_matrix, config: EngineConfig,
             synonyms: SynonymTable, stopwords: frozenset[str], version: str, amap: AccentMap | None,
             lexicon: Lexicon | None = None, classes: ClassTable = NO_CLASSES) -> MatchModel:
    """A model from its fitted parts (after fitting, or when loading a saved one)."""
    index = {d.key: i for i, d in enumerate(docs)}
    kinds = np.asarray([d.kind for d in docs], dtype=object)
    return MatchModel(docs, corpus, space, full, config, synonyms, stopwords, version, amap, index, kinds,
                      corpus.accented, corpus.restored, full.tocsc(), lexicon or Lexicon(synonyms, stopwords),
                      classes=classes)
