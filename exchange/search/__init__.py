"""Full-text search of listings and experts behind a small interface.

Callers use the types of ``backend`` and the functions below; no Whoosh type
leaves this package. The index lives under ``<EXCHANGE_INDEX_DIR>/search``.
"""
from exchange.search.backend import (FACETS, IndexBusy, RebuildInProgress, SearchBackend, SearchDocument,
                                     SearchError, SearchHit, SearchQuery, SearchResult, SearchUnavailable)
from exchange.search.rebuild import open_backend, rebuild

__all__ = [
    "FACETS", "IndexBusy", "RebuildInProgress", "SearchBackend", "SearchDocument", "SearchError",
    "SearchHit", "SearchQuery", "SearchResult", "SearchUnavailable", "open_backend", "rebuild",
]
