"""Confidence: the query title's nouns must appear in a suggestion for its full score."""
from __future__ import annotations

import dataclasses

from exchange.matching import EngineConfig
from exchange.matching.confidence import MAX_TAGGED_WORDS, pos_tags, title_nouns

from tests.matching.conftest import fit_test, make_doc


def test_tagger_gives_one_tag_per_segmented_word():
    words = ("máy", "bóc", "vỏ", "hạt_điều")
    assert len(pos_tags(words)) == len(words)
    assert pos_tags(()) == ()


def test_offer_missing_the_needs_object_scores_lower_than_one_naming_it(filler):
    need = make_doc("N-1", "máy bóc vỏ hạt điều", kind="need")
    peanut = make_doc("O-1", "máy bóc vỏ đậu phộng", "máy bóc vỏ đậu phộng lấy hạt")
    cashew = make_doc("O-2", "máy bóc vỏ hạt điều", "máy bóc vỏ hạt điều")
    model = fit_test([*filler, need, peanut])
    with_cashew = fit_test([*filler, need, cashew])
    assert model.rank(need, "offer", 1)[0].score < with_cashew.rank(need, "offer", 1)[0].score


def test_noun_floor_one_leaves_calibrated_scores_alone(filler):
    need = make_doc("N-1", "máy bóc vỏ hạt điều", kind="need")
    docs = [*filler, need, make_doc("O-1", "máy bóc vỏ đậu phộng")]
    plain = fit_test(docs, dataclasses.replace(EngineConfig(), noun_floor=1.0))
    scaled = fit_test(docs)
    assert scaled.rank(need, "offer", 1)[0].score <= plain.rank(need, "offer", 1)[0].score


def test_long_titles_are_tagged_only_up_to_the_cap(filler):
    need = make_doc("N-1", "sấy " * (MAX_TAGGED_WORDS * 3), kind="need")
    model = fit_test([*filler, need])
    assert len(title_nouns(model, need)) <= 1
