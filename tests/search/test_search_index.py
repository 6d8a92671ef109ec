"""Adding, replacing, deleting and counting documents; versions; what callers get back."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from exchange.search import SearchBackend, SearchQuery, open_backend
from tests.search.conftest import make_doc


def test_backend_satisfies_the_protocol(backend):
    assert isinstance(backend, SearchBackend)


def test_indexed_document_is_found_and_counted(backend):
    backend.index([make_doc("Máy gặt đập liên hợp", doc_id=10)])
    assert backend.count() == backend.count("listing") == 1 and backend.count("expert") == 0
    assert [h.doc_id for h in backend.search(SearchQuery(text="gặt đập")).hits] == [10]


def test_indexing_the_same_key_replaces_the_document(backend):
    backend.index([make_doc("Máy gặt lúa", doc_id=10, version="v1")])
    backend.index([make_doc("Máy cấy lúa", doc_id=10, version="v2")])
    assert backend.count() == 1 and backend.versions("listing") == {10: "v2"}
    assert backend.search(SearchQuery(text="gặt")).total == 0
    assert backend.search(SearchQuery(text="cấy")).total == 1


def test_same_key_twice_in_one_call_keeps_the_last(backend):
    backend.index([make_doc("Máy gặt lúa", doc_id=10, version="v1"), make_doc("Máy cấy", doc_id=10, version="v2")])
    assert backend.versions("listing") == {10: "v2"}


def test_delete_removes_only_the_given_keys(backend):
    backend.index([make_doc("Máy gặt", doc_id=1), make_doc("Máy cấy", doc_id=2),
                   make_doc("Chuyên gia máy gặt", doc_id=1, doc_type="expert", kind=None)])
    backend.delete([("listing", 1), ("listing", 999)])
    assert backend.versions("listing") == {2: "v1"} and backend.versions("expert") == {1: "v1"}


def test_clear_removes_everything(backend):
    backend.index([make_doc("Máy gặt", doc_id=1), make_doc("Máy cấy", doc_id=2)])
    backend.clear()
    assert backend.count() == 0
    backend.index([make_doc("Máy xới", doc_id=3)])
    assert backend.count() == 1


def test_a_second_backend_sees_commits_of_the_first(base_dir, backend):
    other = open_backend(base_dir)
    assert other.search(SearchQuery(text="xới")).total == 0
    backend.index([make_doc("Máy xới đất", doc_id=3)])
    assert other.search(SearchQuery(text="xới")).total == 1
    other.close()


def test_versions_lists_every_document_of_a_type(backend):
    backend.index([make_doc("Tài liệu", doc_id=i, version=f"h{i}") for i in range(1, 6)])
    assert backend.versions("listing") == {i: f"h{i}" for i in range(1, 6)}


def test_aware_publication_dates_are_accepted(backend):
    from datetime import datetime, timezone
    backend.index([make_doc("Máy gặt", doc_id=1, published_at=datetime(2024, 5, 1, tzinfo=timezone.utc))])
    assert backend.count() == 1


def test_results_are_plain_data_without_whoosh_types(backend):
    backend.index([make_doc("Máy sấy nông sản", "Sấy nông sản bằng bơm nhiệt.", doc_id=1, field="nong-nghiep")])
    result = backend.search(SearchQuery(text="sấy", facets=True, highlight=True))
    text = json.dumps(dataclasses.asdict(result), ensure_ascii=False)
    assert "sấy" in text and "whoosh" not in text.lower()


def test_highlights_are_only_computed_when_asked(backend):
    backend.index([make_doc("Máy sấy nông sản", "Sấy bằng bơm nhiệt.", doc_id=1)])
    plain = backend.search(SearchQuery(text="sấy")).hits[0]
    marked = backend.search(SearchQuery(text="sấy", highlight=True)).hits[0]
    assert plain.highlight == plain.title_highlight == []
    assert ("sấy", True) in marked.title_highlight and ("Sấy", True) in marked.highlight


def test_search_package_imports_neither_flask_nor_sqlalchemy():
    code = ("import sys, exchange.search, exchange.search.whoosh_backend; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_deletion_is_seen_by_a_searcher_that_was_already_open(backend):
    backend.index([make_doc("Máy gặt", doc_id=1), make_doc("Máy gặt lúa", doc_id=2)])
    assert backend.search(SearchQuery(text="gặt")).total == 2
    backend.delete([("listing", 1)])
    assert [h.doc_id for h in backend.search(SearchQuery(text="gặt")).hits] == [2]
    assert backend.count() == 1 and backend.versions("listing") == {2: "v1"}


def test_many_small_commits_are_all_visible_to_an_open_searcher(backend):
    for doc_id in range(1, 31):
        backend.index([make_doc("Máy gặt", doc_id=doc_id)])
        assert backend.search(SearchQuery(text="gặt")).total == doc_id
    backend.delete([("listing", i) for i in range(1, 31, 2)])
    assert backend.search(SearchQuery(text="gặt", per_page=100)).total == 15


def test_browse_facet_counts_follow_new_commits(backend):
    backend.index([make_doc("Máy gặt", doc_id=1, field="co-khi")])
    assert backend.search(SearchQuery(facets=True)).facets["field"] == {"co-khi": 1}
    backend.index([make_doc("Máy cấy", doc_id=2, field="co-khi"), make_doc("Tôm", doc_id=3, field="thuy-san")])
    assert backend.search(SearchQuery(facets=True)).facets["field"] == {"co-khi": 2, "thuy-san": 1}
    assert backend.search(SearchQuery(field="co-khi", facets=True)).facets["field"] == {"co-khi": 2}
