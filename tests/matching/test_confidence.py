"""Confidence: the query title's nouns must appear in a suggestion for its full score."""
from __future__ import annotations

import dataclasses

from exchange.matching import EngineConfig
from exchange.matching.confidence import MAX_TAGGED_WORDS, pos_tags, wanted_terms

from exchange.text.classes import parse_classes

from tests.matching.conftest import TEST_SYNONYMS, fit_test, make_doc


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
    assert len(wanted_terms(model, need).nouns) <= 1


def test_offer_about_another_member_of_the_needs_class_keeps_conflict_factor_of_its_score(filler):
    need = make_doc("N-1", "sản xuất giống cá chình nhân tạo", "cho đẻ nhân tạo", kind="need")
    snail = make_doc("O-1", "sản xuất giống ốc hương nhân tạo", "cho đẻ nhân tạo trong bể")
    docs = [*filler, need, snail]
    plain = fit_test(docs, dataclasses.replace(EngineConfig(), conflict_factor=1.0)).rank(need, "offer", 1)[0]
    doubted = fit_test(docs).rank(need, "offer", 1)[0]
    assert doubted.key == plain.key == "O-1"
    assert abs(doubted.score - plain.score * EngineConfig().conflict_factor) < 2e-4


def test_offer_mentioning_the_needs_member_anywhere_is_not_in_conflict(filler):
    need = make_doc("N-1", "sản xuất giống cá chình nhân tạo", kind="need")
    both = make_doc("O-1", "sản xuất giống ốc hương nhân tạo", "quy trình dùng được cho cá chình")
    docs = [*filler, need, both]
    plain = fit_test(docs, dataclasses.replace(EngineConfig(), conflict_factor=1.0)).rank(need, "offer", 1)[0]
    assert fit_test(docs).rank(need, "offer", 1)[0].score == plain.score


def test_regional_word_finds_its_class_member_through_synonyms(filler):
    need = make_doc("N-1", "vắc xin cho heo", kind="need")
    cow = make_doc("O-1", "vắc xin cho bò", "tiêm phòng cho bò")
    pig = make_doc("O-2", "vắc xin cho lợn", "tiêm phòng cho lợn")
    model = fit_test([*filler, need, cow, pig])
    scores = {s.key: s.score for s in model.rank(need, "offer", 2)}
    assert scores["O-2"] > scores["O-1"]
    no_classes = fit_test([*filler, need, cow], classes=parse_classes([], TEST_SYNONYMS)).rank(need, "offer", 1)[0]
    assert model.rank(need, "offer", 2, exclude=["O-2"])[0].score < no_classes.score


def test_a_doubted_suggestion_falls_behind_one_that_is_not(filler):
    need = make_doc("N-1", "sản xuất giống cá chình nhân tạo", "cho đẻ nhân tạo trong bể", kind="need")
    snail = make_doc("O-1", "sản xuất giống ốc hương nhân tạo", "cho đẻ nhân tạo trong bể xi măng")
    eel = make_doc("O-2", "nuôi cá chình thương phẩm", "ao nuôi cá chình")
    docs = [*filler, need, snail, eel]
    plain = fit_test(docs, dataclasses.replace(EngineConfig(), conflict_factor=1.0)).rank(need, "offer", 2)
    assert [s.key for s in plain] == ["O-1", "O-2"]
    doubted = fit_test(docs).rank(need, "offer", 2)
    assert [s.key for s in doubted] == ["O-2", "O-1"] and doubted[0].score >= doubted[1].score


def test_need_title_words_after_a_request_verb_are_its_request(filler):
    need = make_doc("N-1", "bờ sông lở mỗi mùa lũ cần cách kè bờ rẻ mà bền", kind="need")
    model = fit_test([*filler, need])
    request = wanted_terms(model, need).request
    assert len(request) >= 4  # cách, kè, bờ, rẻ, bền (stopword "mà" dropped)
    columns = {model.space.of("w").terms[t.word_col - model.space.of("w").offset] for t in request if t.word_col}
    assert {"kè", "bờ"} <= columns and "sông" not in columns


def test_negated_request_verb_and_offers_ask_for_nothing(filler):
    need = make_doc("N-1", "máy sấy không cần dùng điện", kind="need")
    offer = make_doc("O-1", "cần máy sấy tốt", kind="offer")
    model = fit_test([*filler, need, offer])
    assert wanted_terms(model, need).request == ()
    assert wanted_terms(model, offer).request == ()


def test_offer_sharing_the_setting_but_not_what_the_need_asks_for_scores_lower(filler):
    need = make_doc("N-1", "bờ sông lở mỗi mùa lũ cần cách kè bờ", "đất vườn ven sông mất dần", kind="need")
    station = make_doc("O-1", "trạm đo mực nước sông cảnh báo lũ", "mùa lũ ven sông cảnh báo sớm")
    revetment = make_doc("O-2", "kè bờ sông bằng rọ đá", "chống lở bờ sông mùa lũ")
    docs = [*filler, need, station, revetment]
    plain = fit_test(docs, dataclasses.replace(EngineConfig(), request_floor=1.0))
    model = fit_test(docs)
    before = {s.key: s.score for s in plain.rank(need, "offer", 2)}
    after = {s.key: s.score for s in model.rank(need, "offer", 2)}
    assert after["O-1"] < before["O-1"] * 0.8
    assert after["O-2"] > after["O-1"] and after["O-2"] >= before["O-2"] * 0.9


def test_reasons_say_which_asked_for_nouns_an_offer_leaves_out(filler):
    need = make_doc("N-1", "bờ sông lở mỗi mùa lũ cần cách kè bờ", "đất vườn ven sông mất dần", kind="need")
    station = make_doc("O-1", "trạm đo mực nước sông cảnh báo lũ", "mùa lũ ven sông cảnh báo sớm")
    revetment = make_doc("O-2", "kè bờ sông bằng rọ đá", "chống lở bờ sông mùa lũ")
    reasons = {s.key: s.reasons for s in fit_test([*filler, need, station, revetment]).rank(need, "offer", 2)}
    left_out = [r for r in reasons["O-1"] if r.startswith("Chào bán chưa nói tới điều nhu cầu cần: ")]
    assert len(left_out) == 1 and "bờ" in left_out[0].split(": ", 1)[1].split(", ")
    assert not any("chưa nói tới" in r for r in reasons["O-2"])
