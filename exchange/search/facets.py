"""Facet counting over the documents a query matches.

Drill-down semantics: every filter (including a facet's own) applies before
counting, so each facet is counted over exactly the result set shown. A facet
whose value is selected therefore shows that one value with the total; the UI
offers "remove this filter" to widen it again. One search pass gives all counts.
"""
from __future__ import annotations

from whoosh.sorting import Count, FieldFacet

from exchange.search.backend import FACETS


def grouped_by() -> dict[str, FieldFacet]:
    """The facets to group by, for Searcher.search(groupedby=…)."""
    return {name: FieldFacet(name) for name in FACETS}


MAP_TYPE = Count


def facet_counts(results) -> dict[str, dict[str, int]]:
    """Counts per facet value, largest first; documents without a value are not counted."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        groups = results.groups(name)
        values = {str(k): int(v) for k, v in groups.items() if k not in (None, "", b"")}
        counts[name] = dict(sorted(values.items(), key=lambda item: (-item[1], item[0])))
    return counts
