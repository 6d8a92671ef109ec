"""Every search collects every match: the total and each page agree with an exhaustive search.

Whoosh's own TopCollector prunes sub-queries once its heap is full (matcher.replace),
so a search without facets used to report too small a total and miss documents from
its first page. The reference here is Whoosh's UnlimitedCollector (limit=None), which
scores every matching document, over the same query objects the backend builds.
"""
from __future__ import annotations

import pytest
from whoosh.scoring import BM25F

from exchange.search import SearchQuery, open_backend, rebuild
from exchange.search.generations import generation_dir, read_current
from exchange.search.parsing import parse_query
from exchange.search.queries import filter_query, text_query
from exchange.search.whoosh_backend import open_generation
from tests.search.corpus import common_queries, generate, with_folded

CORPUS_SIZE = 2_500
PER_PAGE = 20


@pytest.fixture(scope="module")
def corpus():
    """The generated listings, by doc_id."""
    return {doc.doc_id: doc for doc in generate(CORPUS_SIZE)}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, corpus):
    """One index of the corpus, shared by the read-only tests of this module."""
    base = tmp_path_factory.mktemp("completeness") / "search"
    rebuild(base, corpus.values(), procs=2)
    return base


@pytest.fixture(scope="module")
def backend(index_dir):
    """The live backend over the corpus index."""
    live = open_backend(index_dir)
    yield live
    live.close()


@pytest.fixture(scope="module")
def exhaustive(index_dir):
    """ranked(text, **filters) → every matching doc id, best first, with Whoosh collecting everything."""
    ix = open_generation(generation_dir(index_dir, read_current(index_dir)))
    searcher = ix.searcher(weighting=BM25F())

    def ranked(text: str, **filters) -> list[int]:
        query = SearchQuery(text=text, **filters)
        main = text_query(parse_query(text))
        results = searcher.search(main, filter=filter_query(query), limit=None)
        return [int(searcher.stored_fields(docnum)["key"].partition(":")[2]) for docnum in (results.docnum(i) for i in range(results.scored_length()))]

    yield ranked
    searcher.close()
    ix.close()


@pytest.fixture(scope="module")
def queries(corpus):
    """Common one- and two-word queries of the corpus, each with and without diacritics."""
    docs = list(corpus.values())
    return with_folded(common_queries(docs, words=1, count=10) + common_queries(docs, words=2, count=8))


def test_the_corpus_makes_common_queries_match_many_pages(queries, exhaustive):
    # Guards the tests below: a query matching fewer than a page could not show truncation.
    broad = [text for text in queries if len(exhaustive(text)) > 5 * PER_PAGE]
    assert len(queries) >= 30
    assert len(broad) >= len(queries) // 2


@pytest.mark.parametrize("facets", [False, True], ids=["bare", "facets"])
def test_total_and_first_page_equal_an_exhaustive_search(backend, exhaustive, queries, facets):
    wrong = []
    for text in queries:
        expected = exhaustive(text)
        result = backend.search(SearchQuery(text=text, per_page=PER_PAGE, facets=facets))
        got = [hit.doc_id for hit in result.hits]
        if result.total != len(expected) or got != expected[:PER_PAGE]:
            wrong.append((text, result.total, len(expected)))
    assert wrong == []


def test_filtered_search_totals_equal_an_exhaustive_search(backend, exhaustive, queries):
    wrong = []
    for text in queries[:10]:
        filters = {"kind": "need", "trl_min": 3}
        expected = exhaustive(text, **filters)
        result = backend.search(SearchQuery(text=text, per_page=PER_PAGE, **filters))
        if result.total != len(expected) or [h.doc_id for h in result.hits] != expected[:PER_PAGE]:
            wrong.append((text, result.total, len(expected)))
    assert wrong == []


def test_facet_counts_add_up_to_the_total(backend, queries):
    for text in queries[:6]:
        result = backend.search(SearchQuery(text=text, facets=True))
        assert sum(result.facets["kind"].values()) == result.total


def _every_page(backend, text: str, sort: str) -> tuple[int, list[int]]:
    """(total, doc ids of every page in order) of one query."""
    first = backend.search(SearchQuery(text=text, per_page=PER_PAGE, sort=sort))
    found = [hit.doc_id for hit in first.hits]
    for page in range(2, first.page_count + 1):
        found += [hit.doc_id for hit in backend.search(SearchQuery(text=text, page=page, per_page=PER_PAGE,
                                                                   sort=sort)).hits]
    return first.total, found


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_paging_through_every_page_returns_each_match_once(backend, exhaustive, queries, sort):
    # The broadest two-word queries: pruning dropped most where every word is required.
    broadest = sorted((text for text in queries if " " in text), key=lambda text: -len(exhaustive(text)))[:3]
    for text in broadest:
        total, found = _every_page(backend, text, sort)
        assert total == len(found) == len(set(found))
        assert set(found) == set(exhaustive(text))
        if sort == "relevance":
            assert found == exhaustive(text)


def test_newest_first_page_holds_the_newest_matches(backend, exhaustive, corpus, queries):
    for text in queries[:6]:
        result = backend.search(SearchQuery(text=text, per_page=PER_PAGE, sort="newest"))
        dates = [corpus[hit.doc_id].published_at for hit in result.hits]
        newest = sorted((corpus[doc_id].published_at for doc_id in exhaustive(text)), reverse=True)
        assert dates == newest[:PER_PAGE]
