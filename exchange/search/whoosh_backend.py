"""SearchBackend implemented with Whoosh-Reloaded, over the current index generation."""
from __future__ import annotations

import gc
import logging
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Callable

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from exchange.search import journal
from exchange.search.backend import DocKey, SearchDocument, SearchQuery, SearchResult, SearchUnavailable
from exchange.search.documents import fields_to_json, key_text, to_fields
from exchange.search.generations import generation_dir, read_building, read_current, write_lock
from exchange.search.searching import run_search
from exchange.search.writing import CLEAR_ENTRY, apply_entries, delete_entry, index_entry

logger = logging.getLogger(__name__)

DEFAULT_WRITER_TIMEOUT = 10.0


def open_generation(path: Path):
    """Open one generation's Whoosh index; SearchUnavailable when it is missing or broken."""
    if not path.is_dir():
        raise SearchUnavailable(f"index folder {path} is missing")
    # Whoosh leaves a damaged TOC file open; it is closed here, without a ResourceWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(path))
        except Exception as error:  # Whoosh raises many types for a damaged folder
            detail = f"{type(error).__name__}: {error}"
        gc.collect()
    raise SearchUnavailable(f"cannot open index {path}: {detail}")


class WhooshBackend:
    """The live index under base_dir: follows CURRENT, one searcher per thread, locked writes."""

    def __init__(self, base_dir: Path | str, *, writer_timeout: float = DEFAULT_WRITER_TIMEOUT):
        self.base_dir = Path(base_dir)
        self.writer_timeout = writer_timeout
        self._lock = threading.Lock()
        self._opened: tuple[str, Any] | None = None
        # One searcher per thread (Whoosh searchers are not thread-safe), by thread id.
        self._held: dict[int, tuple[str, Any, dict]] = {}

    def _index(self) -> tuple[str, Any]:
        """The current generation's name and open index, reopened when CURRENT changed."""
        generation = read_current(self.base_dir)
        if generation is None:
            raise SearchUnavailable(f"no index under {self.base_dir}")
        path = generation_dir(self.base_dir, generation)
        with self._lock:
            if self._opened is None or self._opened[0] != generation or not path.is_dir():
                self._opened = (generation, open_generation(path))
                logger.info("search index generation %s opened", generation)
            return self._opened

    def _held_searcher(self) -> tuple[Any, dict]:
        """This thread's up-to-date searcher and the browse cache that belongs to it."""
        generation, ix = self._index()
        thread = threading.get_ident()
        held = self._held.pop(thread, None)
        try:
            if held is not None and held[0] == generation:
                searcher = _refreshed(held[1], ix)
            else:
                if held is not None:
                    held[1].close()
                searcher = ix.searcher(weighting=BM25F())
        except Exception as error:
            raise SearchUnavailable(f"cannot read index: {error}") from error
        cache = held[2] if held is not None and held[1] is searcher else {}
        self._held[thread] = (generation, searcher, cache)
        return searcher, cache

    def _reading(self, read: Callable[[Any, dict], Any]):
        """Run a read on a fresh searcher; retry once if files vanished under it (a switch)."""
        for attempt in (1, 2):
            searcher, cache = self._held_searcher()
            try:
                return read(searcher, cache)
            except OSError as error:
                self._held.pop(threading.get_ident(), None)
                if attempt == 2:
                    raise SearchUnavailable(f"index files unreadable: {error}") from error
                logger.warning("search index changed under a searcher, retrying: %s", error)

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query; raises SearchUnavailable when the index cannot be read."""
        return self._reading(lambda searcher, cache: run_search(searcher, query, cache))

    def count(self, doc_type: str | None = None) -> int:
        """How many documents (of one type, or all) are indexed."""
        if doc_type is None:
            return self._reading(lambda s, _: s.doc_count())
        return self._reading(lambda s, _: sum(1 for _ in s.docs_for_query(wq.Term("doc_type", doc_type))))

    def versions(self, doc_type: str) -> dict[int, str]:
        """The indexed version fingerprint of every document of a type, by doc_id."""
        return self._reading(lambda s, _: _versions(s, doc_type))

    def index(self, docs: Iterable[SearchDocument]) -> None:
        """Add the documents, replacing any with the same key."""
        self._write([index_entry(fields_to_json(to_fields(doc))) for doc in docs])

    def delete(self, keys: Iterable[DocKey]) -> None:
        """Remove documents by (doc_type, doc_id); unknown keys are ignored."""
        texts = [key_text(doc_type, doc_id) for doc_type, doc_id in keys]
        self._write([delete_entry(texts)] if texts else [])

    def clear(self) -> None:
        """Remove every document."""
        self._write([CLEAR_ENTRY])

    def _write(self, entries: list[dict[str, Any]]) -> None:
        """Journal the change if a rebuild runs, then apply it to the live generation."""
        if not entries:
            return
        with write_lock(self.base_dir, self.writer_timeout):
            building = read_building(self.base_dir)
            if building is not None:
                journal.append(generation_dir(self.base_dir, building), entries)
            try:
                _, ix = self._index()
            except SearchUnavailable:
                if building is None:
                    raise
                logger.warning("live index unavailable; change kept for rebuild %s", building)
                return
            apply_entries(ix, entries, self.writer_timeout)

    def close(self) -> None:
        """Close every searcher and the index."""
        with self._lock:
            held, self._held = self._held, {}
            for _, searcher, _ in held.values():
                searcher.close()
            if self._opened is not None:
                self._opened[1].close()
            self._opened = None


def _refreshed(searcher, ix):
    """The searcher itself if up to date, else a new one on the latest commit.

    Whoosh's own refresh() reuses segment readers by segment id, which keeps their
    old deletions (a deleted document stays visible) and can bring back merged-away
    segments, so a changed index always gets a fresh searcher.
    """
    if searcher.up_to_date():
        return searcher
    searcher.close()
    return ix.searcher(weighting=BM25F())


def _versions(searcher, doc_type: str) -> dict[int, str]:
    """doc_id → version for every live document of a type, read from columns."""
    reader = searcher.reader()
    ids = reader.column_reader("doc_id")
    versions = reader.column_reader("version")
    found = {}
    for docnum in searcher.docs_for_query(wq.Term("doc_type", doc_type)):
        version = versions[docnum]
        found[int(ids[docnum])] = version.decode("utf-8") if isinstance(version, bytes) else version
    return found
