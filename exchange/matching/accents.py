"""Restore diacritics of unaccented text: a syllable bigram model of the fitted corpus and a dictionary.

A listing typed without diacritics ("may say lua") is re-spelt before matching. Each folded
syllable may stand for several accented ones (lo → lò, lở, lớn, ...); the spelling of the whole
sequence is chosen by Viterbi search under a bigram model whose counts come from the accented
listings of the corpus and of a background text written in the style of the exchange's listings
(exchange/text/data/background.txt), smoothed with the word list bundled with underthesea
(Viet74K: which syllables occur and which follow each other inside a word). The restored
syllables are grouped into the corpus's own compound words, so that they meet the offers' tokens.
"""
from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from exchange.text import fold as _fold_text
from exchange.text import normalize
from exchange.text.resources import DATA_DIR
from exchange.text.tones import place_tone

MAX_SPAN = 4
# Accented documents whose syllables are counted (evenly spread): the counts saturate long before.
MAX_COUNTED_DOCS = 2_000
# Candidate spellings kept per folded syllable, most frequent first.
MAX_CANDIDATES = 6
# Weight of one dictionary occurrence against one corpus occurrence.
DICTIONARY_WEIGHT = 0.1
# Weight of one occurrence in the background text against one in the corpus.
BACKGROUND_WEIGHT = 1.0
BACKGROUND_FILE = "background.txt"
# Punctuation and digits end a run of syllables in the background text.
_PHRASE_BREAK = re.compile(r"[^\w\s]|\d|_")
# Spellings rarer than this share of a folded syllable's most frequent one are not considered.
PRUNE = 0.01
# Pair scores kept by a restorer before it starts afresh (bounds a long-running web process).
MEMO_SIZE = 500_000
# Count given to a syllable never seen, so that no spelling has probability zero.
UNSEEN = 0.01


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Folded form of one token (cached: syllables repeat a lot)."""
    return _fold_text(token)


@lru_cache(maxsize=200_000)
def is_usable(token: str) -> bool:
    """A token worth matching on: has a letter (so not punctuation or a lone number)."""
    return any(c.isalpha() for c in token)


@dataclass(frozen=True)
class SyllableCounts:
    """How often each syllable occurs, and each pair of syllables one after the other."""

    unigrams: dict[str, int]
    bigrams: dict[tuple[str, str], int]


def count_syllables(runs: Iterable[Sequence[str]]) -> SyllableCounts:
    """Counts of runs of syllables (pairs never cross from one run to the next)."""
    runs = list(runs)
    return SyllableCounts(dict(Counter(s for run in runs for s in run)),
                          dict(Counter(pair for run in runs for pair in zip(run, run[1:]))))


@lru_cache(maxsize=1)
def dictionary() -> SyllableCounts:
    """Viet74K, the word list bundled with underthesea (offline; its version is in the pipeline version):
    which syllables occur and which follow each other inside a word."""
    lines = [line.split() for line in _word_list().lower().splitlines()]
    spelling = {s: place_tone(s) for s in {s for line in lines for s in line}}
    return count_syllables([spelling[s] for s in line if is_usable(s)] for line in lines)


@lru_cache(maxsize=1)
def background() -> SyllableCounts:
    """Syllable and pair counts of the background text (exchange/text/data/background.txt): accented
    sentences in the style of the exchange's listings, so that a young exchange with few accented
    listings still knows which syllables follow each other ("bờ sông", "sạt lở")."""
    path = DATA_DIR / BACKGROUND_FILE
    text = normalize(path.read_text(encoding="utf-8")).lower() if path.is_file() else ""
    return count_syllables([s for s in run.split() if is_usable(s)] for run in _PHRASE_BREAK.split(text))


def _word_list() -> str:
    """The text of Viet74K.txt, found without importing underthesea (empty when it is missing)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - no underthesea
        return ""
    path = Path(next(iter(spec.submodule_search_locations))) / "corpus" / "data" / "Viet74K.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@dataclass(frozen=True)
class AccentMap:
    """What restoration needs from the corpus: syllable and bigram counts, and its compound words."""

    unigrams: dict[str, int]
    bigrams: dict[tuple[str, str], int]
    words: frozenset[tuple[str, ...]]
    max_len: int = MAX_SPAN
    # Filled on first use (fitting may restore nothing): see ready().
    lazy: dict = field(default_factory=dict, compare=False, repr=False)

    def ready(self) -> "_Restorer":
        """The restorer of this map (built on first use, then kept)."""
        restorer = self.lazy.get("restorer")
        if restorer is None:
            restorer = self.lazy["restorer"] = _Restorer(self)
        return restorer


class _Restorer:
    """Candidate spellings and the interpolated bigram model of one accent map, in lookup tables."""

    def __init__(self, amap: AccentMap) -> None:
        """Merge corpus, (weighted) dictionary and background counts; prune unlikely spellings."""
        count: Counter = Counter({s: float(n) for s, n in amap.unigrams.items()})
        self.pairs: dict[tuple[str, str], float] = {k: float(n) for k, n in amap.bigrams.items()}
        for source, weight in ((dictionary(), DICTIONARY_WEIGHT), (background(), BACKGROUND_WEIGHT)):
            for syl, n in source.unigrams.items():
                count[syl] += weight * n
            for key, n in source.bigrams.items():
                self.pairs[key] = self.pairs.get(key, 0.0) + weight * n
        followers = Counter(a for a, _ in self.pairs)
        total = sum(count.values()) + UNSEEN
        self.log_p = {syl: math.log((n + UNSEEN) / total) for syl, n in count.items()}
        self.unseen_log_p = math.log(UNSEEN / total)
        # log P(cur | prev) is Witten-Bell: log((pair + types(prev) · P(cur)) / (count(prev) + types(prev))),
        # log(types) - log(count + types) + log P(cur) for an unseen pair, log P(cur) after a syllable
        # that precedes nothing. Per previous syllable:
        # (types, log(count + types), log(types) - log(count + types)).
        self.norm = {syl: (followers[syl], math.log(n + followers[syl]),
                           math.log(followers[syl]) - math.log(n + followers[syl]))
                     for syl, n in count.items() if followers[syl]}
        by_fold: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for syl, n in count.items():
            by_fold[fold(syl)].append((n, syl))
        self.candidates = {f: _likely(options) for f, options in by_fold.items()}
        # log P(cur | prev) of the pairs met so far (they repeat from listing to listing).
        self.memo: dict[tuple[str, str], float] = {}

    def transition(self, prev: str, cur: str) -> float:
        """log P(cur | prev)."""
        log_p_cur = self.log_p.get(cur, self.unseen_log_p)
        norm = self.norm.get(prev)
        if norm is None:
            return log_p_cur
        types, log_denominator, unseen_pair = norm
        pair = self.pairs.get((prev, cur))
        if pair is None:
            return unseen_pair + log_p_cur
        return math.log(pair + types * math.exp(log_p_cur)) - log_denominator


def _likely(options: list[tuple[float, str]]) -> tuple[str, ...]:
    """The most frequent spellings of one folded syllable, dropping those far rarer than the first."""
    options.sort(reverse=True)
    best = options[0][0]
    return tuple(syl for n, syl in options[:MAX_CANDIDATES] if n >= PRUNE * best)


def is_unaccented(words: Iterable[str]) -> bool:
    """True when the words carry no diacritics at all (and have some letters)."""
    seen = False
    for word in words:
        if is_usable(word):
            seen = True
            if fold(word) != word:
                return False
    return seen


def _syllables(words: Sequence[str]) -> list[str]:
    """Lower-cased syllables of segmented words."""
    return [s for word in words for s in word.lower().split("_") if s]


def build_accent_map(token_lists: Iterable[Sequence[str]]) -> AccentMap:
    """Count syllables, syllable pairs and compound words of (a spread sample of) the accented documents."""
    accented = [tokens for tokens in token_lists if not is_unaccented(tokens)]
    sample = accented[::max(1, math.ceil(len(accented) / MAX_COUNTED_DOCS))]
    text = "\n".join(" ".join(tokens) for tokens in sample).lower()
    words = frozenset(key for key in (tuple(w.split("_")) for w in set(text.split()) if "_" in w)
                      if len(key) <= MAX_SPAN and all(key))
    counts = count_syllables([[s for s in text.replace("_", " ").split() if is_usable(s)]])
    return AccentMap(counts.unigrams, counts.bigrams, words)


def restore(words: Sequence[str], amap: AccentMap) -> list[str]:
    """Unaccented words re-spelt with diacritics and regrouped into the corpus's compound words."""
    return group(respell(_syllables(words), amap), amap)


def respell(syls: Sequence[str], amap: AccentMap) -> list[str]:
    """The most likely accented spelling of a syllable sequence (Viterbi over the candidates)."""
    if not syls:
        return []
    model = amap.ready()
    candidates, log_p, unseen, memo = model.candidates, model.log_p, model.unseen_log_p, model.memo
    lattice = [candidates.get(s, (s,)) if is_usable(s) else (s,) for s in syls]
    score = [log_p.get(c, unseen) for c in lattice[0]]
    back: list[list[int]] = []
    for i in range(1, len(syls)):
        previous = lattice[i - 1]
        row_score, row_back = [], []
        for cur in lattice[i]:
            best, arg = -math.inf, 0
            for k, prev in enumerate(previous):
                step = memo.get((prev, cur))
                if step is None:
                    if len(memo) >= MEMO_SIZE:
                        memo.clear()
                    step = memo[(prev, cur)] = model.transition(prev, cur)
                s = score[k] + step
                if s > best:
                    best, arg = s, k
            row_score.append(best)
            row_back.append(arg)
        score = row_score
        back.append(row_back)
    at = max(range(len(score)), key=score.__getitem__)
    out = [lattice[-1][at]]
    for i in range(len(syls) - 2, -1, -1):
        at = back[i][at]
        out.append(lattice[i][at])
    return out[::-1]


def group(syls: Sequence[str], amap: AccentMap) -> list[str]:
    """Syllables joined into the corpus's compound words, longest first ("_"-joined)."""
    out: list[str] = []
    i = 0
    while i < len(syls):
        for n in range(min(amap.max_len, len(syls) - i), 1, -1):
            if tuple(syls[i:i + n]) in amap.words:
                out.append("_".join(syls[i:i + n]))
                i += n
                break
        else:
            out.append(syls[i])
            i += 1
    return out
