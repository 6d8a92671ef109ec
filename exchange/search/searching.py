"""Run one SearchQuery against an open Whoosh searcher and build the SearchResult."""
from __future__ import annotations

import dataclasses
import logging

from whoosh import collectors
from whoosh import query as wq
from whoosh.sorting import FieldFacet

from exchange.search import facets as facet_counting
from exchange.search.backend import MAX_PER_PAGE, SearchHit, SearchQuery, SearchResult
from exchange.search.highlight import highlight_hit, make_marker
from exchange.search.parsing import ParsedQuery, parse_query
from exchange.search.queries import filter_query, text_query

logger = logging.getLogger(__name__)

# Facet counts of a browse (no text) depend only on the filters, and browsing is the
# landing page: counting 20k documents costs ~100 ms, so they are cached per searcher.
MAX_CACHED_BROWSES = 256
NEWEST_FIRST = FieldFacet("published_at", reverse=True)


def _page_bounds(query: SearchQuery) -> tuple[int, int]:
    """Clamp page (1-based) and per_page to sane values."""
    per_page = min(max(int(query.per_page or 1), 1), MAX_PER_PAGE)
    return max(int(query.page or 1), 1), per_page


def collector(searcher, query: SearchQuery, limit: int | None, *, is_browse: bool, filter=None):
    """The Whoosh collector of one search: every match is collected, none pruned.

    Whoosh's own TopCollector calls ``matcher.replace(minscore)`` every few matches,
    which drops the documents that only match a weak sub-query once the heap is full
    (even with optimize=False); its total and top page are then wrong. So the collector
    is built here: no block-quality skipping, no matcher replacement. Counting the total
    in the same pass also beats block-skipping plus Whoosh's separate recount.
    """
    if is_browse or query.sort == "newest":
        # One sort key: a second (doc_id) tie-breaker doubles the cost of sorting a browse.
        chosen = collectors.SortingCollector(NEWEST_FIRST, limit=limit)
    elif limit is None:
        chosen = collectors.UnlimitedCollector()
    else:
        chosen = collectors.TopCollector(limit, usequality=False, replace=0)
    if query.facets:
        chosen = collectors.FacetCollector(chosen, facet_counting.grouped_by(), maptype=facet_counting.MAP_TYPE)
    if filter is not None:
        chosen = collectors.FilterCollector(chosen, filter)
    return chosen


def _run(searcher, main: wq.Query, query: SearchQuery, limit: int | None, *, is_browse: bool):
    """One Whoosh search: main query, filters, sort, facets when asked."""
    found = collector(searcher, query, limit, is_browse=is_browse,
                      filter=None if is_browse else filter_query(query))
    searcher.search_with_collector(main, found)
    return found.results()


def _hits(searcher, results, parsed: ParsedQuery, query: SearchQuery, start: int) -> list[SearchHit]:
    """The hits of the page, highlighted if asked (stored fields are read only for these)."""
    marker = make_marker(parsed) if query.highlight else None
    hits = []
    for position in range(start, min(start + _page_bounds(query)[1], results.scored_length())):
        docnum = results.docnum(position)
        stored = searcher.stored_fields(docnum)
        doc_type, _, doc_id = stored["key"].partition(":")
        score = results.score(position) if query.sort != "newest" and not parsed.is_empty else 0.0
        hit = SearchHit(doc_type=doc_type, doc_id=int(doc_id), score=float(score or 0.0))
        if marker is not None:
            title, snippet = highlight_hit(marker, stored.get("title", ""), stored.get("summary", ""),
                                           stored.get("body", ""))
            hit = SearchHit(hit.doc_type, hit.doc_id, hit.score, title, snippet)
        hits.append(hit)
    return hits


def _result(searcher, results, parsed, query, *, is_relaxed=False) -> SearchResult:
    """Assemble the page, total and facets from Whoosh results."""
    page, per_page = _page_bounds(query)
    return SearchResult(
        hits=_hits(searcher, results, parsed, query, (page - 1) * per_page),
        total=len(results),
        page=page,
        per_page=per_page,
        facets=facet_counting.facet_counts(results) if query.facets else {},
        is_relaxed=is_relaxed,
    )


def _browse(searcher, query: SearchQuery, parsed: ParsedQuery, limit: int, cache: dict) -> SearchResult:
    """Every document passing the filters, newest first; facet counts cached per searcher."""
    key = (query.doc_type, tuple(sorted(query.filters().items())), query.trl_min, query.trl_max)
    cached = cache.get(key) if query.facets else None
    wanted = dataclasses.replace(query, facets=False) if cached is not None else query
    result = _result(searcher, _run(searcher, filter_query(query), wanted, limit, is_browse=True), parsed, wanted)
    if not query.facets:
        return result
    if cached is None:
        if len(cache) >= MAX_CACHED_BROWSES:
            cache.clear()
        cache[key] = cached = result.facets
    return dataclasses.replace(result, facets=cached)


def run_search(searcher, query: SearchQuery, browse_cache: dict | None = None) -> SearchResult:
    """Parse, search (relaxing to any-word when all-words finds nothing), paginate.

    browse_cache must belong to this searcher (a new searcher gets a new, empty one).
    """
    page, per_page = _page_bounds(query)
    limit = page * per_page
    parsed = parse_query(query.text, is_typing=query.is_typing)
    main = text_query(parsed)
    if main is None:
        return _browse(searcher, query, parsed, limit, {} if browse_cache is None else browse_cache)
    results = _run(searcher, main, query, limit, is_browse=False)
    relaxed = text_query(parsed, is_relaxed=True)
    if results.is_empty() and relaxed is not None:
        results = _run(searcher, relaxed, query, limit, is_browse=False)
        return _result(searcher, results, parsed, query, is_relaxed=True)
    return _result(searcher, results, parsed, query)
