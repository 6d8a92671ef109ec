"""Odd inputs never crash the engine, and scores stay in [0, 1]."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.matching import MatchDoc

from tests.matching.conftest import fit_test, make_doc

ODD_TEXTS = {
    "empty": "",
    "only stopwords": "và của cho các là",
    "only numbers": "2024 120.000.000 3,5 %",
    "only english": "solar pump controller with iot sensor",
    "huge description": "sấy " * 25_000,
    "huge description without diacritics": "may say nong san lo " * 5_000,
    "punctuation": "… – ; ! ? ( )",
}


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_text_as_query_or_document_does_not_crash(filler, text):
    odd_need = make_doc("N-odd", text, text, kind="need")
    odd_offer = make_doc("O-odd", text, text)
    normal_need = make_doc("N-1", "máy sấy bơm nhiệt", kind="need")
    model = fit_test([*filler, odd_offer, odd_need, normal_need])
    for need in (odd_need, normal_need):
        for s in model.rank(need, "offer", 10):
            assert 0.0 <= s.score <= 1.0


@pytest.mark.parametrize("text", ["", "và của cho", "2024 15 %", "… ; !"])
def test_document_without_usable_tokens_gets_no_suggestions(filler, text):
    need = make_doc("N-1", text, text, kind="need")
    model = fit_test([*filler, need])
    assert model.rank(need, "offer", 10) == []
    assert list(model.rank_many([need], "offer", 10)) == [[]]


def test_duplicate_documents_rank_together_without_crashing(filler):
    twins = [make_doc(f"O-{i}", "máy ép viên cám", "máy ép viên cám cho gà") for i in range(3)]
    need = make_doc("N-1", "máy ép cám viên", kind="need")
    model = fit_test([*filler, *twins, need])
    ranking = model.rank(need, "offer", 3)
    assert {s.key for s in ranking} == {"O-0", "O-1", "O-2"}
    assert len({s.score for s in ranking}) == 1


def test_query_unknown_to_the_model_is_ranked(filler):
    model = fit_test(filler)
    outsider = make_doc("N-new", "nuôi tôm thẻ", kind="need")
    assert model.rank(outsider, "offer", 1)[0].key == "F-3"


def test_empty_corpus_gives_no_suggestions():
    need = make_doc("N-1", "máy sấy", kind="need")
    model = fit_test([need])
    assert model.rank(need, "offer", 5) == []


WORDS = st.sampled_from("máy sấy bơm nhiệt may say bom nhiet lúa gạo tôm cá heo lợn và của 2024 iot".split())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(WORDS, max_size=12).map(" ".join), min_size=2, max_size=8))
def test_scores_are_in_unit_interval_and_non_increasing(texts):
    docs = [make_doc(f"D-{i}", t, t, kind="offer" if i % 2 else "need") for i, t in enumerate(texts)]
    model = fit_test(docs)
    for need in docs[::2]:
        scores = [s.score for s in model.rank(need, "offer", 10)]
        assert all(0.0 <= x <= 1.0 for x in scores)
        assert scores == sorted(scores, reverse=True)


def test_match_doc_has_no_place_for_confidential_text():
    names = {f.name for f in dataclasses.fields(MatchDoc)}
    assert not any("confidential" in n or "contact" in n for n in names)


def test_an_exchange_with_nothing_published_fits_and_ranks_nothing(tmp_path):
    from exchange.matching.persist import load, save
    model = fit_test([])
    need = make_doc("N-1", "cần máy sấy cà phê", kind="need")
    assert model.rank(need, "offer", 5) == [] and list(model.rank_many([need], "offer", 5)) == [[]]
    save(model, tmp_path / "model.zip")
    assert load(tmp_path / "model.zip").rank(need, "offer", 5) == []
