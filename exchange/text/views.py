"""Views of a token list: syllables, folded syllables, content words."""

from collections.abc import Iterable
from functools import cache

from exchange.text.normalization import fold, normalize
from exchange.text.resources import read_entries

STOPWORDS_FILE = "stopwords.txt"


def syllables(words: Iterable[str]) -> list[str]:
    """Split "_"-compounds into their syllables: ["bơm_nhiệt"] → ["bơm", "nhiệt"]."""
    return [s for word in words for s in word.split("_") if s]


def folded(words: Iterable[str]) -> list[str]:
    """Folded syllables: ["bơm_nhiệt"] → ["bom", "nhiet"]."""
    return [fold(s) for s in syllables(words)]


@cache
def stopwords() -> frozenset[str]:
    """Stopwords as tokens (lower-case, compounds joined by "_"), loaded on first use."""
    return frozenset("_".join(normalize(e).lower().split()) for e in read_entries(STOPWORDS_FILE))


def content_words(words: Iterable[str]) -> list[str]:
    """The tokens that are not stopwords (exact, accented match only)."""
    stop = stopwords()
    return [w for w in words if w not in stop]
