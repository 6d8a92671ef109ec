"""The search interface: documents, queries, results and the SearchBackend protocol.

Nothing here knows about Whoosh, Flask or SQLAlchemy; the web layer and the
services only ever see these types.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from exchange.i18n import N_

if TYPE_CHECKING:
    from exchange.text import FieldTokens

DocType = Literal["listing", "expert"]
DocKey = tuple[str, int]
Fragment = tuple[str, bool]

DOC_TYPES: tuple[str, ...] = ("listing", "expert")
FACETS: tuple[str, ...] = ("kind", "field", "locality", "product_type")
SORTS: tuple[str, ...] = ("relevance", "newest")
MAX_PER_PAGE = 100


class SearchError(Exception):
    """Base class of the search package's errors."""


class SearchUnavailable(SearchError):
    """The index is missing or unreadable; a rebuild (exchange reindex) recovers it."""

    message_vi = N_("Đang xây dựng lại chỉ mục tìm kiếm, vui lòng thử lại sau ít phút.")


class IndexBusy(SearchError):
    """Another writer held the index for longer than the writer timeout."""


class RebuildInProgress(SearchError):
    """Another rebuild of the same index folder is already running."""


@dataclass(frozen=True)
class SearchDocument:
    """One listing or expert as the index sees it: display text, cached tokens, facets."""

    doc_type: str
    doc_id: int
    title: str
    summary: str
    body: str
    tokens: FieldTokens
    version: str
    kind: str | None = None
    field: str | None = None
    locality: str | None = None
    product_type: str | None = None
    trl: int | None = None
    organization: str | None = None
    published_at: datetime | None = None

    @property
    def key(self) -> DocKey:
        """The (doc_type, doc_id) pair that identifies the document."""
        return (self.doc_type, self.doc_id)


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for: text, filters, page, sort, and which extras to compute."""

    text: str = ""
    doc_type: str = "listing"
    kind: str | None = None
    field: str | None = None
    locality: str | None = None
    product_type: str | None = None
    trl_min: int | None = None
    trl_max: int | None = None
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    facets: bool = False
    highlight: bool = False
    # Search-as-you-type: the last word may be unfinished, so it also matches as a prefix.
    is_typing: bool = False

    def filters(self) -> dict[str, str]:
        """The facet filters that are set, by facet name."""
        values = {name: getattr(self, name) for name in FACETS}
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class SearchHit:
    """One result: its key, score, and highlighted title and snippet (empty unless asked)."""

    doc_type: str
    doc_id: int
    score: float
    title_highlight: list[Fragment] = field(default_factory=list)
    highlight: list[Fragment] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, the total, and facet counts (value → count, per facet)."""

    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # True when no document had every word, so documents with some of them are shown.
    is_relaxed: bool = False

    @property
    def page_count(self) -> int:
        """How many pages the total fills."""
        return max(1, -(-self.total // self.per_page))


@runtime_checkable
class SearchBackend(Protocol):
    """A full-text index of published listings and public experts."""

    def index(self, docs: Iterable[SearchDocument]) -> None:
        """Add the documents, replacing any with the same key."""

    def delete(self, keys: Iterable[DocKey]) -> None:
        """Remove the documents with these (doc_type, doc_id) keys; unknown keys are ignored."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query; raises SearchUnavailable when the index cannot be read."""

    def clear(self) -> None:
        """Remove every document."""

    def count(self, doc_type: str | None = None) -> int:
        """How many documents (of one type, or all) are indexed."""

    def versions(self, doc_type: str) -> dict[int, str]:
        """The indexed version fingerprint of every document of a type, by doc_id."""

    def close(self) -> None:
        """Release open files."""
