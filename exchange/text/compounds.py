"""Merge domain compounds (bơm nhiệt, thẩm thấu ngược) that underthesea leaves apart."""

import logging
from dataclasses import dataclass
from functools import cache

from exchange.text.normalize import fold, normalize
from exchange.text.resources import read_entries

logger = logging.getLogger(__name__)

COMPOUNDS_FILE = "compounds.txt"


@dataclass(frozen=True)
class CompoundDictionary:
    """Compounds as syllable tuples, accented and folded, with the longest length."""

    accented: frozenset[tuple[str, ...]]
    folded: frozenset[tuple[str, ...]]
    longest: int

    @classmethod
    def from_phrases(cls, phrases: list[str]) -> "CompoundDictionary":
        """Build from phrases such as "bơm nhiệt" (any case, any Unicode form)."""
        accented = {tuple(normalize(p).lower().split()) for p in phrases}
        accented = {c for c in accented if len(c) >= 2}
        folded = {tuple(fold(s) for s in c) for c in accented}
        return cls(frozenset(accented), frozenset(folded), max(map(len, accented), default=0))

    def lookup(self, syllables: tuple[str, ...]) -> bool:
        """True if the syllables form a compound; unaccented input matches folded entries."""
        if syllables in self.accented:
            return True
        return all(s.isascii() for s in syllables) and syllables in self.folded


@cache
def compound_dictionary() -> CompoundDictionary:
    """The package's compound dictionary, loaded on first use."""
    dictionary = CompoundDictionary.from_phrases(list(read_entries(COMPOUNDS_FILE)))
    logger.debug("loaded %d compounds", len(dictionary.accented))
    return dictionary


def _allowed(n: int, starts_token: bool, ends_token: bool) -> bool:
    """A match may split an underthesea word only if it is long (≥3 syllables) and one side aligns."""
    if starts_token and ends_token:
        return True
    return n >= 3 and (starts_token or ends_token)


def merge_compounds(tokens: list[str], dictionary: CompoundDictionary | None = None) -> list[str]:
    """Re-join lower-case "_"-compound tokens so that dictionary compounds become one token."""
    dictionary = dictionary or compound_dictionary()
    if dictionary.longest < 2:
        return tokens
    syls = [s for token in tokens for s in token.split("_")]
    starts, cuts, pos = set(), set(), 0
    for token in tokens:
        starts.add(pos)
        pos += token.count("_") + 1
    starts.add(pos)
    cuts = set(starts)
    i = 0
    while i < len(syls):
        i += _match_at(syls, i, starts, cuts, dictionary)
    return _join(syls, cuts)


def _match_at(syls, i, starts, cuts, dictionary) -> int:
    """Try the longest compound at syllable i; update cuts; return syllables consumed."""
    for n in range(min(dictionary.longest, len(syls) - i), 1, -1):
        if _allowed(n, i in starts, i + n in starts) and dictionary.lookup(tuple(syls[i:i + n])):
            cuts.difference_update(range(i + 1, i + n))
            cuts.update((i, i + n))
            return n
    return 1


def _join(syls: list[str], cuts: set[int]) -> list[str]:
    """Group syllables into tokens at the cut positions."""
    bounds = sorted(c for c in cuts if 0 <= c <= len(syls))
    return ["_".join(syls[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
