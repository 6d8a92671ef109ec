"""Build Whoosh query objects programmatically from a ParsedQuery and the filters.

Ranking: BM25F over title (×3), keywords (×2) and description (×1). A syllable
matched with the user's diacritics scores fully; the same syllable matched only
after folding scores FOLD_WEIGHT of that, so "bơm" ranks "máy bơm" above "bom".
When the user typed no diacritics at all the folded fields are the main ones.
Compound words ("máy_sấy") add a bonus but are never required, so recall does
not depend on the segmenter cutting the query and the document the same way.
"""
from __future__ import annotations

from whoosh import query as wq

from exchange.search.analysis import analyze, folded_analyzer, syllables_analyzer
from exchange.search.backend import SearchQuery
from exchange.search.parsing import ParsedQuery

PART_BOOSTS: dict[str, float] = {"title": 3.0, "kw": 2.0, "body": 1.0}
FOLD_WEIGHT = 0.4
COMPOUND_WEIGHT = 0.5

_SYLLABLES = syllables_analyzer()
_FOLDED = folded_analyzer()


def _syllables(words: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """Syllables and folded syllables of words, cut exactly as the index cuts them."""
    text = " ".join(words)
    return analyze(_SYLLABLES, text), analyze(_FOLDED, text)


def _each_part(make, suffix: str, weight: float) -> list[wq.Query]:
    """One sub-query per text part, boosted by the part's weight."""
    return [make(f"{part}_{suffix}", boost * weight) for part, boost in PART_BOOSTS.items()]


def _alternatives(make_exact, make_folded, is_folded: bool) -> wq.Query:
    """Exact-syllable sub-queries plus weaker folded ones (folded alone when no diacritics)."""
    if is_folded:
        return wq.Or(_each_part(make_folded, "f", 1.0))
    return wq.Or(_each_part(make_exact, "s", 1.0) + _each_part(make_folded, "f", FOLD_WEIGHT))


def syllable_clause(syllable: str, folded: str, is_folded: bool) -> wq.Query:
    """A document must contain this syllable in some text part."""
    return _alternatives(
        lambda name, boost: wq.Term(name, syllable, boost=boost),
        lambda name, boost: wq.Term(name, folded, boost=boost),
        is_folded,
    )


def prefix_clause(prefix: str, is_folded: bool) -> wq.Query | None:
    """A document must contain a syllable starting with the prefix being typed."""
    exact, folded = _syllables([prefix])
    if not exact or not folded:
        return None
    return _alternatives(
        lambda name, boost: wq.Prefix(name, exact[-1], boost=boost),
        lambda name, boost: wq.Prefix(name, folded[-1], boost=boost),
        is_folded,
    )


def phrase_clause(words: tuple[str, ...], is_folded: bool) -> wq.Query | None:
    """A document must contain these syllables next to each other."""
    exact, folded = _syllables(words)
    if not exact or len(exact) != len(folded):
        return None
    if len(exact) == 1:
        return syllable_clause(exact[0], folded[0], is_folded)
    return _alternatives(
        lambda name, boost: wq.Phrase(name, exact, boost=boost),
        lambda name, boost: wq.Phrase(name, folded, boost=boost),
        is_folded,
    )


def _clauses(parsed: ParsedQuery) -> list[wq.Query]:
    """One required clause per distinct syllable, phrase and prefix."""
    exact, folded = _syllables(parsed.words)
    pairs = dict.fromkeys(zip(exact, folded)) if len(exact) == len(folded) else {}
    clauses = [syllable_clause(s, f, parsed.is_folded) for s, f in pairs]
    clauses += [phrase_clause(p, parsed.is_folded) for p in parsed.phrases]
    if parsed.prefix:
        clauses.append(prefix_clause(parsed.prefix, parsed.is_folded))
    return [c for c in clauses if c is not None]


def _compound_bonus(parsed: ParsedQuery) -> wq.Query | None:
    """Optional extra score for documents holding the query's compound words whole."""
    compounds = [w for w in parsed.words if "_" in w]
    if parsed.is_folded or not compounds:
        return None
    return wq.Or([
        wq.Term(f"{part}_w", word, boost=boost * COMPOUND_WEIGHT)
        for word in dict.fromkeys(compounds) for part, boost in PART_BOOSTS.items()
    ])


def text_query(parsed: ParsedQuery, *, is_relaxed: bool = False) -> wq.Query | None:
    """All clauses required (any, when relaxed), plus the compound bonus; None if nothing to do."""
    clauses = _clauses(parsed)
    if not clauses or (is_relaxed and len(clauses) < 2):
        return None
    core = wq.Or(clauses) if is_relaxed else wq.And(clauses)
    bonus = _compound_bonus(parsed)
    return wq.AndMaybe(core, bonus) if bonus is not None else core


def filter_query(query: SearchQuery) -> wq.Query:
    """Document type, facet values and the TRL range, all required."""
    terms: list[wq.Query] = [wq.Term("doc_type", query.doc_type)]
    terms += [wq.Term(name, value) for name, value in query.filters().items()]
    if query.trl_min is not None or query.trl_max is not None:
        terms.append(wq.NumericRange("trl", query.trl_min, query.trl_max))
    return wq.And(terms)
