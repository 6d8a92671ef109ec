"""What explanations and the class check read of a document's text, from one canonicalization.

Both need, for every suggested document, its canonical (token, surface) pairs: explanations
spell shared terms as the document does, the class check looks for members of classes of
alternatives. The pairs cost most of a suggestion's Python time, so they are computed once per
document and only their small products are kept, per fitted row, in a bounded cache.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from exchange.matching.accents import fold
from exchange.matching.extract import doc_pairs
from exchange.matching.types import MatchDoc

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel

# Fitted documents whose text facts are kept between queries (the cache is dropped when full).
TEXT_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class TextFacts:
    """Surfaces of a document's words and syllables, and the class terms it names and mentions."""

    # Canonical token → surface, first occurrence wins.
    words: dict[str, str]
    # Folded syllable → surface syllable, first occurrence wins.
    syllables: dict[str, str]
    # Class terms its title and keywords name, and those its whole text mentions (classes.tsv).
    named: frozenset
    mentioned: frozenset


def text_facts(model: "MatchModel", doc: MatchDoc) -> TextFacts:
    """The facts of a document (cached when it is one of the model's fitted documents)."""
    row = model.index.get(doc.key)
    if row is None or model.docs[row] is not doc:
        return _facts(model, doc)
    cache = model.text_cache
    known = cache.get(row)
    if known is None:
        if len(cache) >= TEXT_CACHE_SIZE:
            cache.clear()
        known = cache[row] = _facts(model, doc)
    return known


def row_facts(model: "MatchModel", row: int) -> TextFacts:
    """The facts of a fitted document, by row."""
    return text_facts(model, model.docs[row])


def _facts(model: "MatchModel", doc: MatchDoc) -> TextFacts:
    """Compute the facts from the document's canonical pairs."""
    pairs, _ = doc_pairs(doc, model.lexicon, model.accent_map)
    words: dict[str, str] = {}
    syllables: dict[str, str] = {}
    for field in pairs:
        for token, surface in field:
            words.setdefault(token, surface)
            for syl in surface.split():
                syllables.setdefault(fold(syl), syl)
    (title, title_all), (keywords, keywords_all), (_, body_all) = (
        model.classes.terms([token for token, _ in field]) for field in pairs)
    return TextFacts(words, syllables, title | keywords, title_all | keywords_all | body_all)
