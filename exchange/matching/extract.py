"""Canonical token ids of many documents at once, in flat arrays (optionally on two processes)."""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from exchange.matching.accents import AccentMap, restore
from exchange.matching.lexicon import MARKED, PLAIN, Lexicon
from exchange.matching.types import MatchDoc

# Below this many documents a second process costs more than it saves.
PARALLEL_MIN_DOCS = 20_000


@dataclass(frozen=True)
class Extracted:
    """Every document's fields as canonical token ids: tokens of field f of document d are a run."""

    names: list[str]
    tokens: np.ndarray
    lengths: np.ndarray
    restored: np.ndarray


def extract_one(docs: Sequence[MatchDoc], lex: Lexicon, amap: AccentMap | None) -> Extracted:
    """Token ids of the documents, in one process."""
    tokens, lengths, restored = [], [], []
    for doc in docs:
        fields, was_restored = _doc_ids(doc, lex, amap)
        for ids in fields:
            tokens.extend(ids)
            lengths.append(len(ids))
        restored.append(was_restored)
    return Extracted(lex.names, np.asarray(tokens, np.int32), np.asarray(lengths, np.int32),
                     np.asarray(restored, bool))


def _doc_ids(doc: MatchDoc, lex: Lexicon, amap: AccentMap | None) -> tuple[list[list[int]], bool]:
    """Token ids of title, keywords and description; re-accented when all three lack diacritics."""
    fields, restored = _doc_infos(doc, lex, amap)
    return [lex.field_ids(f, not restored) for f in fields], restored


def doc_pairs(doc: MatchDoc, lex: Lexicon, amap: AccentMap | None) -> tuple[list[list[tuple[str, str]]], bool]:
    """(token, surface) pairs of the three fields (as features.field_pairs) and whether re-accented."""
    fields, restored = _doc_infos(doc, lex, amap)
    return [lex.field_pairs(f, not restored) for f in fields], restored


def _doc_infos(doc: MatchDoc, lex: Lexicon, amap: AccentMap | None) -> tuple[list[list[tuple]], bool]:
    """Word infos of the three fields (of the re-accented words when all three lack diacritics)."""
    word, memo = lex.word, lex.memo
    infos = [[memo(w) or word(w) for w in f] for f in (doc.tokens.title, doc.tokens.keywords, doc.tokens.description)]
    if amap is not None:
        states = {info[1] for f in infos for info in f}
        if PLAIN in states and MARKED not in states:
            fields = [restore([info[0] for info in f], amap) for f in infos]
            return [[word(w, False) for w in f] for f in fields], True
    return infos, False


def extract(docs: Sequence[MatchDoc], lex: Lexicon, amap: AccentMap | None, workers: int | None = None) -> Extracted:
    """Token ids of every document; large corpora are split between two forked processes."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers < 2 or len(docs) < PARALLEL_MIN_DOCS or "fork" not in multiprocessing.get_all_start_methods():
        return extract_one(docs, lex, amap)
    half = len(docs) // 2
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(docs[half:], Lexicon(lex.table, lex.stop), amap, sender), daemon=True)
    child.start()
    sender.close()
    try:
        first = extract_one(docs[:half], lex, amap)
        second = receiver.recv()
    finally:
        receiver.close()
        child.join()
    return _merge(first, second, lex)


def _child(docs: Sequence[MatchDoc], lex: Lexicon, amap: AccentMap | None, sender) -> None:
    """Forked worker: extract its share and send it back."""
    sender.send(extract_one(docs, lex, amap))
    sender.close()


def _merge(first: Extracted, second: Extracted, lex: Lexicon) -> Extracted:
    """Concatenate two extractions, renumbering the second's tokens into the first's lexicon."""
    remap = np.asarray([lex.intern(name) for name in second.names], np.int32)
    tokens = np.concatenate([first.tokens, remap[second.tokens] if len(remap) else second.tokens])
    return Extracted(lex.names, tokens, np.concatenate([first.lengths, second.lengths]),
                     np.concatenate([first.restored, second.restored]))
