"""Token views of a document: canonical words, syllables, folded syllables and bigrams."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from exchange.text import fold as _fold_text
from exchange.text.synonyms import SynonymTable, canonicalize_pairs

from exchange.matching.types import EngineConfig, MatchDoc

VIEWS: tuple[str, ...] = ("w", "s", "f", "b")
FOLDED_VIEWS: tuple[str, ...] = ("f", "b")


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Folded form of one token (cached: syllables repeat a lot)."""
    return _fold_text(token)


def is_usable(token: str) -> bool:
    """A token worth matching on: has a letter and is not a lone number."""
    return any(c.isalpha() for c in token)


@dataclass(frozen=True)
class DocFeatures:
    """Weighted counts per view, and whether the text carries diacritics."""

    views: dict[str, Counter]
    accented: bool
    fuzz_text: str = ""

    @property
    def is_empty(self) -> bool:
        """True when no view has any term."""
        return not any(self.views.values())


def field_pairs(doc: MatchDoc, table: SynonymTable, stop: frozenset[str]) -> list[list[tuple[str, str]]]:
    """Title, keywords, description: (canonical token, surface) pairs of their content words."""
    fields = (doc.tokens.title, doc.tokens.keywords, doc.tokens.description)
    return [
        [(t, s) for t, s in canonicalize_pairs([w.lower() for w in words], table) if t not in stop and is_usable(t)]
        for words in fields
    ]


def doc_features(doc: MatchDoc, table: SynonymTable, stop: frozenset[str], config: EngineConfig) -> DocFeatures:
    """All four views of a document, counts weighted by field."""
    views: dict[str, Counter] = {v: Counter() for v in VIEWS}
    accented = False
    head: list[str] = []
    weights = (config.title_weight, config.keyword_weight, config.description_weight)
    for n, (weight, pairs) in enumerate(zip(weights, field_pairs(doc, table, stop))):
        syls: list[str] = []
        for token, _surface in pairs:
            views["w"][token] += weight
            for syl in token.split("_"):
                if syl and is_usable(syl):
                    syls.append(syl)
        folded = [fold(s) for s in syls]
        accented = accented or any(f != s for f, s in zip(folded, syls))
        for s, f in zip(syls, folded):
            views["s"][s] += weight
            views["f"][f] += weight
        for a, b in zip(folded, folded[1:]):
            views["b"][f"{a} {b}"] += weight
        if n < 2:
            head.extend(folded)
    return DocFeatures(views, accented, " ".join(head))
