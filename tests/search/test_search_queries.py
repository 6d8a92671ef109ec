"""What a query finds and how it ranks: folding, tone marks, NFD, phrases, prefixes, junk input."""
from __future__ import annotations

import unicodedata

import pytest

from exchange.search import SearchQuery, SearchResult, open_backend
from tests.search.conftest import make_doc

DOCS = {
    "dryer": make_doc("Máy sấy nông sản bằng bơm nhiệt", "Buồng sấy dùng bơm nhiệt, tiết kiệm điện.", doc_id=1),
    "instant": make_doc("Cà phê hòa tan", "Quy trình sản xuất cà phê hòa tan từ hạt Robusta.", doc_id=2),
    "pump": make_doc("Máy bơm nước tưới tiêu", "Máy bơm ly tâm cho đồng ruộng.", doc_id=3),
    "bomb": make_doc("Xử lý bom mìn", "Dò tìm bom mìn còn sót sau chiến tranh.", doc_id=4),
    "apart": make_doc("Thiết bị nhiệt luyện", "Lò nhiệt luyện có bơm dầu làm mát.", doc_id=5),
    "oxygen": make_doc("Xử lý nước ao nuôi tôm", "Tăng oxy hoà tan cho ao tôm, giúp tôm khoẻ.", doc_id=6),
    "body_only": make_doc("Thiết bị chế biến", "Dây chuyền có máy sấy tầng sôi.", doc_id=7),
}
ID = {name: doc.doc_id for name, doc in DOCS.items()}


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """One index with DOCS, shared by the read-only tests of this module."""
    live = open_backend(tmp_path_factory.mktemp("queries") / "search")
    live.index(DOCS.values())
    yield live
    live.close()


def ids(backend, text: str, **options) -> list[int]:
    """The doc ids a query returns, best first."""
    return [hit.doc_id for hit in backend.search(SearchQuery(text=text, per_page=50, **options)).hits]


def test_query_without_diacritics_finds_the_accented_document(backend):
    assert ids(backend, "may say nong san")[0] == ID["dryer"]


@pytest.mark.parametrize("text", ["hoà tan", "hòa tan", "HOÀ TAN", "hoa tan"])
def test_either_tone_mark_placement_finds_both_spellings(backend, text):
    assert {ID["instant"], ID["oxygen"]} <= set(ids(backend, text))


def test_decomposed_query_finds_composed_text(backend):
    query = unicodedata.normalize("NFD", "máy sấy nông sản")
    assert query != "máy sấy nông sản"
    assert ids(backend, query)[0] == ID["dryer"]


def test_exact_diacritics_rank_above_a_folded_only_match(backend):
    found = ids(backend, "bơm")
    assert ID["bomb"] in found
    assert found.index(ID["pump"]) < found.index(ID["bomb"])
    assert found.index(ID["dryer"]) < found.index(ID["bomb"])


def test_query_without_diacritics_matches_every_spelling(backend):
    assert {ID["pump"], ID["bomb"], ID["dryer"]} <= set(ids(backend, "bom"))


def test_title_match_ranks_above_description_only_match(backend):
    found = ids(backend, "máy sấy")
    assert found.index(ID["dryer"]) < found.index(ID["body_only"])


def test_quoted_phrase_needs_adjacent_words(backend):
    assert ID["apart"] in ids(backend, "bơm nhiệt")
    phrase = ids(backend, '"bơm nhiệt"')
    assert ID["dryer"] in phrase and ID["apart"] not in phrase


def test_unclosed_quote_is_a_phrase_to_the_end(backend):
    assert ids(backend, '"bơm nhiệt') == [ID["dryer"]]


def test_last_word_is_a_prefix_while_typing(backend):
    assert ids(backend, "máy sấ") != [ID["dryer"]]
    assert ids(backend, "máy sấ", is_typing=True)[0] == ID["dryer"]


def test_one_letter_prefix_is_ignored_while_typing(backend):
    assert ids(backend, "nhiệt l", is_typing=True) == ids(backend, "nhiệt")


def test_all_words_are_required_when_some_document_has_them_all(backend):
    result = backend.search(SearchQuery(text="bơm nước"))
    assert [hit.doc_id for hit in result.hits] == [ID["pump"]] and not result.is_relaxed


def test_no_document_with_every_word_relaxes_to_any_word(backend):
    result = backend.search(SearchQuery(text="tôm robusta"))
    assert result.is_relaxed
    assert {hit.doc_id for hit in result.hits} == {ID["instant"], ID["oxygen"]}


BAD_QUERIES = [
    "", "   ", "\t\n", "!!!", "...,;", "🙂🚀🔥", "\x00", "máy\x00sấy", "\ud800", "a" * 10_000,
    "máy " * 3000, '"', '""', '"""', "AND", "OR NOT", 'máy AND "bơm', "title:bơm", "(máy", "máy)",
    "máy*", "*", "bơm~2", "bơm^3", "NOT bơm", "[a TO z]", "{}", "\\", "'", "%", "_", "__init__",
    "<script>alert(1)</script>", "' OR 1=1 --",
]


@pytest.mark.parametrize("text", BAD_QUERIES)
@pytest.mark.parametrize("is_typing", [False, True])
def test_bad_query_returns_a_result_and_never_raises(backend, text, is_typing):
    query = SearchQuery(text=text, facets=True, highlight=True, is_typing=is_typing)
    assert isinstance(backend.search(query), SearchResult)


@pytest.mark.parametrize("text", ["", "   ", "!!!", "🙂", "\x00"])
def test_query_without_words_browses_everything_newest_first(backend, text):
    expected = sorted(ID.values(), reverse=True)
    assert ids(backend, text) == expected


@pytest.mark.parametrize("text", ["title:bơm", "bơm*", "(bơm)", "bơm^3"])
def test_query_syntax_characters_are_plain_text(backend, text):
    assert set(ids(backend, text)) == set(ids(backend, "bơm"))
