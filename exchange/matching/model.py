"""Fit the engine on documents and rank candidates of one kind for a query document."""
from __future__ import annotations

import gc
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from exchange.text.classes import ClassTable, parse_classes
from exchange.text.synonyms import SynonymTable, parse_synonyms

from exchange.matching.accents import AccentMap, build_accent_map
from exchange.matching.counts import count_views, fuzz_texts, token_views
from exchange.matching.extract import extract
from exchange.matching import similarity
from exchange.matching.lexicon import Lexicon
from exchange.matching.parallel import can_fork, interleaved
from exchange.matching.features import VIEWS, DocFeatures, doc_features
from exchange.matching.rescore import Candidate, rescore
from exchange.matching.types import EngineConfig, MatchDoc, Suggestion
from exchange.matching.vectors import Corpus, Space, fit_space, stack, view_scales

MODEL_FORMAT = 1
NO_CLASSES = parse_classes([], parse_synonyms([]))
# Rows of dense similarities computed at once in batch ranking (memory: rows × documents × 4 bytes).
SIMILARITY_BLOCK = 128
# Blocks whose similarities are computed ahead, in as many threads (each holds a dense block).
BLOCKS_AHEAD = 2
# Batches of at least this many queries are ranked on two processes (a forked child takes every
# second block): the rescoring and explaining of each suggestion is Python and holds one core.
PARALLEL_MIN_QUERIES = 1_000


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
    # Per column, whether candidate pruning leaves it out of queries (None: corpus too small to prune).
    common: np.ndarray | None = field(default=None, repr=False, compare=False)
    # similarity.penalty_arrays of the documents (derived when assembled).
    penalties: tuple[np.ndarray, ...] = field(default=(), repr=False, compare=False)

    @property
    def version(self) -> str:
        """Model format, text pipeline version and engine config hash."""
        return f"m{MODEL_FORMAT}-{self.pipeline_version}-{self.config.digest()}"

    def features(self, doc: MatchDoc) -> DocFeatures:
        """Features of a document (computed afresh: the model keeps only their TF-IDF rows)."""
        return doc_features(doc, self.synonyms, self.stopwords, self.config, self.accent_map, self.lexicon)

    def rank(self, query: MatchDoc, target_kind: str, top_k: int = 10, exclude: Sequence[str] = (),
             field_names: Mapping[str, str] | None = None) -> list[Suggestion]:
        """The best `top_k` documents of `target_kind` for `query`, best first."""
        feat = self.features(query)
        if feat.is_empty:
            return []
        scores = similarity.scores(self, feat, self._kind_mask(target_kind))
        return self._finish(query, feat, scores, top_k, exclude, field_names or {})

    def rank_many(self, queries: Sequence[MatchDoc], target_kind: str, top_k: int = 10,
                  chunk_size: int = 1000, field_names: Mapping[str, str] | None = None,
                  workers: int | None = None) -> Iterator[list[Suggestion]]:
        """Rankings for many queries, in order; memory bounded by the block size × target documents.

        workers: processes (default: 2 for PARALLEL_MIN_QUERIES queries or more, where fork exists)."""
        step = max(1, min(chunk_size, SIMILARITY_BLOCK))
        blocks = [queries[start:start + step] for start in range(0, len(queries), step)]
        parallel = can_fork() and (workers or (2 if len(queries) >= PARALLEL_MIN_QUERIES else 1)) >= 2
        run = partial(self._rank_blocks, target_kind=target_kind, top_k=top_k, field_names=field_names or {})
        for rankings in interleaved(blocks, run, parallel):
            yield from rankings

    def _rank_blocks(self, blocks: Sequence[Sequence[MatchDoc]], target_kind: str, top_k: int,
                     field_names: Mapping[str, str]) -> Iterator[list[list[Suggestion]]]:
        """The rankings of each block of queries, block by block."""
        # The next blocks' similarities are computed in threads (scipy releases the GIL) while the
        # current block is rescored and explained.
        mask = self._kind_mask(target_kind)
        target = np.flatnonzero(mask)
        targets = None
        if self.common is None:  # exact: one sparse product per block against the target documents
            targets = (sp.csr_matrix(self.full[target].T), self.accented[target],
                       {flag: similarity.penalties(self, flag)[target] for flag in (False, True)})
        with ThreadPoolExecutor(max_workers=BLOCKS_AHEAD) as pool:
            ahead: deque = deque()
            for chunk in blocks:
                feats = [self.features(q) for q in chunk]
                ahead.append((chunk, feats, pool.submit(self._block_scores, feats, mask, targets)))
                if len(ahead) > BLOCKS_AHEAD:
                    yield self._finish_block(*ahead.popleft(), top_k, field_names)
            while ahead:
                yield self._finish_block(*ahead.popleft(), top_k, field_names)

    def _block_scores(self, feats: Sequence[DocFeatures], mask: np.ndarray,
                      targets: tuple | None) -> list[similarity.Scores | None]:
        """similarity.scores of each query of a block (through one product when targets are given)."""
        if targets is None:
            return [similarity.scores(self, f, mask) if not f.is_empty else None for f in feats]
        rows = np.flatnonzero(mask)
        return [(rows, sims) for sims in similarity.block_similarities(self, feats, targets)]

    def _finish_block(self, chunk: Sequence[MatchDoc], feats: Sequence[DocFeatures], future: Future,
                      top_k: int, field_names: Mapping[str, str]) -> list[list[Suggestion]]:
        """Rankings of one block of queries once its similarities are ready."""
        return [self._finish(q, feat, scores, top_k, (), field_names) if not feat.is_empty else []
                for q, feat, scores in zip(chunk, feats, future.result())]

    def _kind_mask(self, kind: str) -> np.ndarray:
        """Which documents are of `kind` (cached: comparing the object array costs ~1 ms)."""
        mask = self.kind_masks.get(kind)
        if mask is None:
            mask = self.kind_masks[kind] = self.kinds == kind
        return mask

    def _finish(self, query: MatchDoc, feat: DocFeatures, scores: similarity.Scores, top_k: int,
                exclude: Sequence[str], field_names: Mapping[str, str]) -> list[Suggestion]:
        """Shortlist the scored documents, rescore, calibrate and explain."""
        rows, sims = scores
        banned = [self.index[k] for k in (query.key, *exclude) if k in self.index]
        live = np.flatnonzero((sims > 0) & ~np.isin(rows, banned))
        n = min(self.config.shortlist, len(live))
        if n == 0 or top_k <= 0:
            return []
        top = live[np.argpartition(-sims[live], n - 1)[:n]]
        shortlist = [Candidate(int(rows[i]), float(sims[i])) for i in top]
        return rescore(self, query, feat, shortlist, top_k, field_names)


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
    with _without_cyclic_gc():
        amap = build_accent_map(_all_words(d) for d in docs) if config.restore_accents else None
        return build_model(tuple(docs), config, synonyms, stopwords, version, amap, workers, classes)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Fitting allocates millions of long-lived objects and no cycles: the collector's passes over
    them are wasted (about 1 s of a 10 s fit at 100k listings). Reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    with ThreadPoolExecutor(max_workers=1) as pool:  # Python text joins beside numpy's counting
        texts = pool.submit(fuzz_texts, extracted, tv)
        views, accented = count_views(extracted, tv, weights)
        corpus = Corpus(accented, extracted.restored, tuple(texts.result()))
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
    full_csc = full.tocsc()
    common = similarity.common_columns(full_csc, len(docs))
    return MatchModel(docs, corpus, space, full, config, synonyms, stopwords, version, amap, index, kinds,
                      corpus.accented, corpus.restored, full_csc, lexicon or Lexicon(synonyms, stopwords),
                      classes=classes, common=common,
                      penalties=similarity.penalty_arrays(config, corpus.accented, corpus.restored))
