"""Restore diacritics of unaccented text from the accented words of the fitted corpus."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from exchange.text import fold as _fold_text

MAX_SPAN = 4
# A spelling is restored only when it clearly dominates its folded form in the corpus.
DOMINANCE_COMPOUND = 0.6
DOMINANCE_SYLLABLE = 0.9
MIN_COUNT = 2


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Folded form of one token (cached: syllables repeat a lot)."""
    return _fold_text(token)


@lru_cache(maxsize=200_000)
def is_usable(token: str) -> bool:
    """A token worth matching on: has a letter (so not punctuation or a lone number)."""
    return any(c.isalpha() for c in token)


@dataclass(frozen=True)
class AccentMap:
    """Folded syllable span → the most frequent accented word of the corpus with that spelling."""

    forms: dict[tuple[str, ...], str]
    max_len: int = MAX_SPAN


def is_unaccented(words: Iterable[str]) -> bool:
    """True when the words carry no diacritics at all (and have some letters)."""
    seen = False
    for word in words:
        if is_usable(word):
            seen = True
            if fold(word) != word:
                return False
    return seen


def build_accent_map(token_lists: Iterable[Sequence[str]]) -> AccentMap:
    """Count the accented words of accented documents by their folded spelling."""
    words: Counter = Counter()
    for tokens in token_lists:
        if not is_unaccented(tokens):
            words.update(tokens)
    counts: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for word, n in words.items():
        lower = word.lower()
        syls = tuple(s for s in lower.split("_") if s)
        if 0 < len(syls) <= MAX_SPAN and is_usable(word):
            counts[tuple(fold(s) for s in syls)][lower] += n
    forms = {key: _dominant(c, len(key)) for key, c in counts.items()}
    return AccentMap({k: v for k, v in forms.items() if v})


def _dominant(counts: Counter, span: int) -> str | None:
    """The spelling that clearly dominates its folded form (single syllables are ambiguous more often)."""
    (best, n), total = counts.most_common(1)[0], sum(counts.values())
    need = DOMINANCE_COMPOUND if span > 1 else DOMINANCE_SYLLABLE
    return best if n >= need * total and n >= MIN_COUNT else None


def restore(words: Sequence[str], amap: AccentMap) -> list[str]:
    """Unaccented words re-spelt with diacritics where the corpus knows a spelling; longest span first."""
    syls = [s for word in words for s in word.lower().split("_") if s]
    out: list[str] = []
    i = 0
    while i < len(syls):
        for n in range(min(amap.max_len, len(syls) - i), 0, -1):
            hit = amap.forms.get(tuple(syls[i:i + n]))
            if hit:
                out.append(hit)
                i += n
                break
        else:
            out.append(syls[i])
            i += 1
    return out
