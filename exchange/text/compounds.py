"""Merge domain compounds (bơm nhiệt, thẩm thấu ngược) that underthesea leaves apart."""

import bisect
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exchange.text.normalization import fold, normalize
from exchange.text.resources import read_entries

logger = logging.getLogger(__name__)

COMPOUNDS_FILE = "compounds.txt"


@dataclass(frozen=True)
class CompoundDictionary:
    """Compounds as syllable tuples, accented and folded, with the longest length."""

    accented: frozenset[tuple[str, ...]]
    folded: frozenset[tuple[str, ...]]
    longest: int
    # first syllable (accented or folded) → compound lengths starting with it, longest first
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def from_phrases(cls, phrases: list[str]) -> "CompoundDictionary":
        """Build from phrases such as "bơm nhiệt" (any case, any Unicode form)."""
        accented = {tuple(normalize(p).lower().split()) for p in phrases}
        accented = {c for c in accented if len(c) >= 2}
        folded = {tuple(fold(s) for s in c) for c in accented}
        lengths: dict[str, set[int]] = {}
        for compound in accented | folded:
            lengths.setdefault(compound[0], set()).add(len(compound))
        index = {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}
        return cls(frozenset(accented), frozenset(folded), max(map(len, accented), default=0), index)

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


@cache
def known_words() -> frozenset[str]:
    """Words of underthesea's bundled Viet74K dictionary, lower-case, joined by "_"."""
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip().lower().replace(" ", "_") for line in handle if " " in line)


def _breakable(syls: list[str], cuts: list[int], at: int) -> bool:
    """A compound may cut through the word around `at` unless that word is in Viet74K.

    "thẩm_thấu ngược_ro" → "thẩm_thấu_ngược ro", but "máy_bơm nhiệt_độ" keeps nhiệt_độ.
    """
    index = bisect.bisect_left(cuts, at)
    if index < len(cuts) and cuts[index] == at:
        return True
    word = "_".join(syls[cuts[index - 1]:cuts[index]])
    return word not in known_words()


def merge_compounds(tokens: list[str], dictionary: CompoundDictionary | None = None) -> list[str]:
    """Re-join lower-case "_"-compound tokens so that dictionary compounds become one token."""
    dictionary = dictionary or compound_dictionary()
    syls = [s for token in tokens for s in token.split("_")]
    cuts = [0]
    for token in tokens:
        cuts.append(cuts[-1] + token.count("_") + 1)
    i = 0
    while i < len(syls) - 1 and dictionary.longest >= 2:
        i += _match_at(syls, i, cuts, dictionary)
    return ["_".join(syls[a:b]) for a, b in zip(cuts, cuts[1:])]


def _match_at(syls: list[str], i: int, cuts: list[int], dictionary: CompoundDictionary) -> int:
    """Merge the longest compound starting at syllable i; return the syllables consumed."""
    for n in dictionary.lengths.get(syls[i], ()):
        if i + n > len(syls) or not dictionary.lookup(tuple(syls[i:i + n])):
            continue
        if _breakable(syls, cuts, i) and _breakable(syls, cuts, i + n):
            cuts[:] = sorted({c for c in cuts if not i < c < i + n} | {i, i + n})
            return n
    return 1
