"""Filters, drill-down facet counts (checked against brute force), pagination and sorting."""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.search import FACETS, SearchQuery, open_backend
from exchange.text import FieldTokens, fold
from tests.search.conftest import make_doc

VOCABULARY = ["máy", "sấy", "bơm", "bom", "nhiệt", "nông_sản", "tôm", "hòa_tan", "cà_phê", "lúa", "gạo", "keo"]
VALUES = {
    "kind": ["offer", "need"],
    "field": ["nong-nghiep", "thuy-san", "co-khi", None],
    "locality": ["tam-ky", "hoi-an", "nui-thanh", None],
    "product_type": ["technology", "equipment", None],
}


def _random_doc(rng: random.Random, doc_id: int):
    """A document with random words and facet values (tokens given, not segmented)."""
    title = tuple(rng.sample(VOCABULARY, rng.randint(1, 3)))
    body = tuple(rng.choices(VOCABULARY, k=rng.randint(0, 6)))
    facets = {name: rng.choice(values) for name, values in VALUES.items()}
    return make_doc(" ".join(title).replace("_", " "), " ".join(body).replace("_", " "),
                    tokens=FieldTokens(title, (), body), doc_id=doc_id,
                    trl=rng.choice([None, *range(1, 10)]),
                    published_at=datetime(2024, 1, 1) + timedelta(hours=rng.randint(0, 5000)), **facets)


_RNG = random.Random(7)
CORPUS = [_random_doc(_RNG, doc_id) for doc_id in range(1, 121)]
EXPERT = make_doc("Chuyên gia máy sấy bơm nhiệt", "", doc_type="expert", doc_id=1, kind=None)


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """One index with CORPUS and one expert."""
    live = open_backend(tmp_path_factory.mktemp("filters") / "search")
    live.index([*CORPUS, EXPERT])
    yield live
    live.close()


def _folded_syllables(doc) -> set[str]:
    """Every folded syllable of a document's token fields."""
    tokens = doc.tokens.title + doc.tokens.keywords + doc.tokens.description
    return {fold(part) for token in tokens for part in token.split("_")}


def brute_force(query: SearchQuery, words: list[str]) -> list:
    """The documents a query should match, found without the index."""
    wanted = {fold(part) for word in words for part in word.split("_")}
    docs = [d for d in CORPUS if all(getattr(d, name) == value for name, value in query.filters().items())]
    docs = [d for d in docs if (query.trl_min is None or (d.trl is not None and d.trl >= query.trl_min))
            and (query.trl_max is None or (d.trl is not None and d.trl <= query.trl_max))]
    matched = [d for d in docs if wanted <= _folded_syllables(d)]
    if not matched and len(wanted) > 1:  # the backend relaxes to any word
        matched = [d for d in docs if wanted & _folded_syllables(d)]
    return matched


def _facet_counts(docs) -> dict[str, dict[str, int]]:
    """Facet counts computed from the documents themselves."""
    return {name: dict(Counter(getattr(d, name) for d in docs if getattr(d, name))) for name in FACETS}


filters = st.fixed_dictionaries({}, optional={name: st.sampled_from([v for v in values if v])
                                              for name, values in VALUES.items()})
trl_bounds = st.tuples(st.none() | st.integers(1, 9), st.none() | st.integers(1, 9))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(VOCABULARY), max_size=3), chosen=filters, trl=trl_bounds,
       is_folded=st.booleans())
def test_facet_counts_and_total_equal_brute_force(backend, words, chosen, trl, is_folded):
    text = " ".join(words).replace("_", " ")
    query = SearchQuery(text=fold(text) if is_folded else text, facets=True, per_page=5,
                        trl_min=trl[0], trl_max=trl[1], **chosen)
    expected = brute_force(query, words)
    result = backend.search(query)
    assert result.total == len(expected)
    assert result.facets == _facet_counts(expected)


def test_filters_keep_only_matching_documents(backend):
    query = SearchQuery(kind="need", field="thuy-san", trl_min=3, trl_max=6, per_page=100)
    result = backend.search(query)
    assert result.total > 0
    for hit in result.hits:
        doc = CORPUS[hit.doc_id - 1]
        assert (doc.kind, doc.field) == ("need", "thuy-san") and 3 <= doc.trl <= 6


def test_drill_down_facet_counts_only_the_selected_value(backend):
    result = backend.search(SearchQuery(kind="offer", facets=True))
    assert result.facets["kind"] == {"offer": result.total}


def test_facets_are_not_computed_unless_asked(backend):
    assert backend.search(SearchQuery(text="máy")).facets == {}


def test_listing_search_never_returns_experts_and_back(backend):
    experts = backend.search(SearchQuery(text="máy sấy", doc_type="expert"))
    assert [(h.doc_type, h.doc_id) for h in experts.hits] == [("expert", 1)]
    listings = backend.search(SearchQuery(text="máy sấy", per_page=100))
    assert {h.doc_type for h in listings.hits} == {"listing"}


def test_pages_are_disjoint_and_cover_every_hit(backend):
    pages = [backend.search(SearchQuery(text="máy", page=page, per_page=7)) for page in range(1, 40)]
    seen = [hit.doc_id for page in pages for hit in page.hits]
    assert len(seen) == len(set(seen)) == pages[0].total > 7


def test_page_past_the_end_is_empty_with_the_right_total(backend):
    result = backend.search(SearchQuery(text="máy", page=1000, per_page=20))
    assert result.hits == [] and result.total == len(brute_force(SearchQuery(), ["máy"]))


@pytest.mark.parametrize("page, per_page", [(0, 20), (-3, 20), (1, 0), (1, -5), (1, 10_000)])
def test_out_of_range_paging_is_clamped(backend, page, per_page):
    result = backend.search(SearchQuery(text="máy", page=page, per_page=per_page))
    assert result.page >= 1 and 1 <= result.per_page <= 100


def test_sort_newest_orders_by_publication_date(backend):
    result = backend.search(SearchQuery(text="máy", sort="newest", per_page=100))
    dates = [CORPUS[h.doc_id - 1].published_at for h in result.hits]
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_browse_with_filters_is_newest_first(backend):
    result = backend.search(SearchQuery(locality="hoi-an", per_page=100))
    expected = sorted((d for d in CORPUS if d.locality == "hoi-an"), key=lambda d: d.published_at, reverse=True)
    assert [h.doc_id for h in result.hits] == [d.doc_id for d in expected]


def test_relevance_scores_are_descending(backend):
    scores = [hit.score for hit in backend.search(SearchQuery(text="máy sấy bơm", per_page=100)).hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
