"""Token views of a document: canonical words, syllables, folded syllables and bigrams."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable
from exchange.text.synonyms import SynonymTable, canonicalize_pairs

from exchange.matching.accents import AccentMap, fold, is_unaccented, is_usable, restore
from exchange.matching.types import EngineConfig, MatchDoc

if TYPE_CHECKING:
    from exchange.matching.lexicon import Lexicon

VIEWS: tuple[str, ...] = ("w", "s", "f", "b")
FOLDED_VIEWS: tuple[str, ...] = ("f", "b")


@dataclass(frozen=True)
class DocFeatures:
    """Weighted counts per view, and whether the text carries diacritics."""

    views: dict[str, Counter]
    accented: bool
    fuzz_text: str = ""
    restored: bool = False

    @property
    def is_empty(self) -> bool:
        """True when no view has any term."""
        return not any(self.views.values())


def doc_fields(doc: MatchDoc, amap: AccentMap | None) -> tuple[list[list[str]], bool]:
    """Lower-cased title, keywords and description; re-accented when all three lack diacritics."""
    fields = [[w.lower() for w in f] for f in (doc.tokens.title, doc.tokens.keywords, doc.tokens.description)]
    if amap is None or not is_unaccented(w for f in fields for w in f):
        return fields, False
    return [restore(f, amap) for f in fields], True


def field_pairs(doc: MatchDoc, table: SynonymTable, amap: AccentMap | None = None) -> list[list[tuple[str, str]]]:
    """Title, keywords, description: (canonical token, surface) pairs of their usable words."""
    fields, restored = doc_fields(doc, amap)
    return _pairs(fields, restored, table)


def _pairs(fields: list[list[str]], restored: bool, table: SynonymTable) -> list[list[tuple[str, str]]]:
    """Canonical (token, surface) pairs of each field's usable words."""
    return [[(t, s) for t, s in canonicalize_pairs(f, table, not restored) if is_usable(t)] for f in fields]


def _syllables(tokens: Iterable[str]) -> list[str]:
    """Usable syllables of the tokens, in order."""
    return [syl for token in tokens for syl in token.split("_") if syl and is_usable(syl)]


def _add(counter: dict[str, float], items: Iterable[str], weight: float) -> None:
    """Add `weight` per occurrence of each item (counted in C first)."""
    for item, n in Counter(items).items():
        counter[item] = counter.get(item, 0.0) + n * weight


def _add_field(views: dict[str, Counter], weight: float, tokens: list[str], stop: frozenset[str]) -> tuple[list[str], bool]:
    """Count one field into the views; return its folded content syllables and whether it is accented."""
    content = [t for t in tokens if t not in stop]
    syls = _syllables(content)
    folded = [fold(s) for s in syls]
    all_folded = [fold(s) for s in _syllables(tokens)] if len(content) < len(tokens) else folded
    _add(views["w"], content, weight)
    _add(views["s"], syls, weight)
    _add(views["f"], all_folded, weight)
    _add(views["b"], [f"{a} {b}" for a, b in zip(all_folded, all_folded[1:])], weight)
    return folded, folded != syls


def doc_features(doc: MatchDoc, table: SynonymTable, stop: frozenset[str], config: EngineConfig,
                 amap: AccentMap | None = None, lexicon: "Lexicon | None" = None) -> DocFeatures:
    """All four views of a document, counts weighted by field (canonicalized through `lexicon` when given)."""
    views: dict[str, Counter] = {v: Counter() for v in VIEWS}
    accented = False
    head: list[str] = []
    weights = (config.title_weight, config.keyword_weight, config.description_weight)
    if lexicon is not None:
        from exchange.matching.extract import doc_pairs
        pairs_per_field, restored = doc_pairs(doc, lexicon, amap)
    else:
        fields, restored = doc_fields(doc, amap)
        pairs_per_field = _pairs(fields, restored, table)
    for n, (weight, pairs) in enumerate(zip(weights, pairs_per_field)):
        folded, has_marks = _add_field(views, weight, [t for t, _ in pairs], stop)
        accented = accented or has_marks
        if n < 2:
            head.extend(folded)
    return DocFeatures(views, accented, " ".join(head), restored)
