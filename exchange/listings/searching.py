"""Listing search: the index finds ids, the database supplies the rows (the only source of truth)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.models import Field, Listing, ListingStatus, Locality
from exchange.search import SearchBackend, SearchHit, SearchQuery


@dataclass(frozen=True)
class ListingHit:
    """A listing found by search, with its score and highlighted fragments."""

    listing: Listing
    hit: SearchHit

    @property
    def fragments(self) -> list[tuple[str, bool]]:
        """The highlight to show (see best_fragments)."""
        return best_fragments(self.hit)


@dataclass(frozen=True)
class ListingSearchPage:
    """One page of listing results, ready for a template or a serializer."""

    query: SearchQuery
    hits: list[ListingHit]
    total: int
    facets: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]]
    is_relaxed: bool

    @property
    def page_count(self) -> int:
        """How many pages the total fills."""
        return max(1, -(-self.total // self.query.per_page))


def _rows(session: Session, ids: list[int]) -> dict[int, Listing]:
    if not ids:
        return {}
    stmt = (select(Listing).where(Listing.id.in_(ids), Listing.status == ListingStatus.published)
            .options(joinedload(Listing.organization), joinedload(Listing.locality), joinedload(Listing.field)))
    return {l.id: l for l in session.scalars(stmt)}


def facet_labels(session: Session, facets: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Display names of the facet values that appear (fields and localities come from the database)."""
    codes = {"field": list(facets.get("field", {})), "locality": list(facets.get("locality", {}))}
    labels: dict[str, dict[str, str]] = {"field": {}, "locality": {}}
    if codes["field"]:
        labels["field"] = {c: n for c, n in session.execute(select(Field.code, Field.name)
                                                            .where(Field.code.in_(codes["field"])))}
    if codes["locality"]:
        labels["locality"] = {c: n for c, n in session.execute(select(Locality.code, Locality.name)
                                                               .where(Locality.code.in_(codes["locality"])))}
    return labels


def search_listings(session: Session, backend: SearchBackend, query: SearchQuery) -> ListingSearchPage:
    """Run the query on the index, then load the published rows of the hits (stale hits are dropped)."""
    result = backend.search(query)
    rows = _rows(session, [h.doc_id for h in result.hits if h.doc_type == "listing"])
    hits = [ListingHit(rows[h.doc_id], h) for h in result.hits if h.doc_id in rows]
    return ListingSearchPage(query, hits, result.total, result.facets, facet_labels(session, result.facets),
                             result.is_relaxed)


def best_fragments(hit: SearchHit) -> list[tuple[str, bool]]:
    """The title's fragments when they show a match, else the snippet's (else whatever there is)."""
    for fragments in (hit.title_highlight, hit.highlight):
        if any(is_match for _, is_match in fragments):
            return list(fragments)
    return list(hit.highlight or hit.title_highlight)
