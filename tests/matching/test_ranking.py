"""Ranking behaviour of the engine on tiny hand-made documents."""
from __future__ import annotations

import dataclasses

from exchange.matching import EngineConfig
from exchange.text.synonyms import load_synonyms, parse_synonyms

from tests.matching.conftest import fit_test, make_doc


def keys(suggestions):
    return [s.key for s in suggestions]


def test_offer_sharing_the_needs_rare_terms_ranks_first(filler):
    need = make_doc("N-1", "cần máy sấy nông sản", "sấy chuối và xoài", kind="need")
    right = make_doc("O-1", "máy sấy nông sản năng lượng mặt trời", "sấy chuối xoài mít")
    model = fit_test([*filler, right, need])
    assert keys(model.rank(need, "offer", 3))[0] == "O-1"


def test_synonym_dictionary_makes_heo_match_lon(filler):
    need = make_doc("N-1", "nuôi heo nái sinh sản", kind="need")
    lon = make_doc("O-1", "kỹ thuật chăm sóc lợn nái")
    bo = make_doc("O-2", "kỹ thuật chăm sóc bò sữa")
    model = fit_test([*filler, lon, bo, need], synonyms=load_synonyms())
    assert keys(model.rank(need, "offer", 1)) == ["O-1"]


def test_without_synonyms_heo_does_not_find_lon(filler):
    need = make_doc("N-1", "nuôi heo nái", kind="need")
    lon = make_doc("O-1", "chăm sóc lợn nái")
    model = fit_test([*filler, lon, need], synonyms=parse_synonyms([]))
    scores = {s.key: s.score for s in model.rank(need, "offer", 5)}
    with_syn = fit_test([*filler, lon, need]).rank(need, "offer", 1)[0]
    assert with_syn.key == "O-1" and with_syn.score > scores.get("O-1", 0.0)


def test_unaccented_need_finds_accented_offer(filler):
    need = make_doc("N-1", "can may bom nhiet say nong san", kind="need")
    offer = make_doc("O-1", "máy bơm nhiệt sấy nông sản")
    model = fit_test([*filler, offer, need])
    assert keys(model.rank(need, "offer", 1)) == ["O-1"]


def test_folded_only_match_ranks_below_exact_match(filler):
    need = make_doc("N-1", "máy bơm nhiệt sấy nông sản", kind="need")
    exact = make_doc("O-1", "máy bơm nhiệt sấy nông sản")
    folded = make_doc("O-2", "may bom nhiet say nong san")
    model = fit_test([*filler, folded, exact, need])
    ranking = model.rank(need, "offer", 2)
    assert keys(ranking) == ["O-1", "O-2"]
    assert ranking[0].score > ranking[1].score


def test_wrong_accents_rank_below_right_ones(filler):
    need = make_doc("N-1", "bơm nước tưới", kind="need")
    right = make_doc("O-1", "bơm nước tưới vườn")
    wrong = make_doc("O-2", "bom nuốc tuơi vườn")
    model = fit_test([*filler, wrong, right, need])
    assert keys(model.rank(need, "offer", 2)) == ["O-1", "O-2"]


def test_field_is_a_soft_prior_not_a_filter(filler):
    need = make_doc("N-1", "hệ thống lọc nước giếng nhiễm phèn", kind="need", field="nong-nghiep")
    exact_other_field = make_doc("O-1", "hệ thống lọc nước giếng nhiễm phèn", field="moi-truong")
    same_field_weak = make_doc("O-2", "giếng khoan tưới", field="nong-nghiep")
    model = fit_test([*filler, exact_other_field, same_field_weak, need])
    assert keys(model.rank(need, "offer", 2)) == ["O-1", "O-2"]


def test_same_field_breaks_a_tie(filler):
    need = make_doc("N-1", "lọc nước giếng", kind="need", field="moi-truong")
    other = make_doc("O-1", "lọc nước giếng", field="nong-nghiep")
    same = make_doc("O-2", "lọc nước giếng", field="moi-truong")
    model = fit_test([*filler, other, same, need])
    assert keys(model.rank(need, "offer", 2)) == ["O-2", "O-1"]


def test_rank_returns_only_the_target_kind_and_never_the_query_or_excluded(filler):
    need = make_doc("N-1", "lọc nước giếng", kind="need")
    twin = make_doc("N-2", "lọc nước giếng", kind="need")
    offer = make_doc("O-1", "lọc nước giếng")
    model = fit_test([*filler, need, twin, offer])
    assert keys(model.rank(need, "need", 5)) == ["N-2"]
    assert "O-1" not in keys(model.rank(need, "offer", 5, exclude=["O-1"]))


def test_experts_are_ranked_for_a_need(filler):
    need = make_doc("N-1", "phòng bệnh cho tôm nuôi", kind="need")
    expert = make_doc("E-1", "TS. Nguyễn Văn A", "nghiên cứu bệnh tôm nuôi nước lợ", kind="expert", keywords=("bệnh tôm",))
    model = fit_test([*filler, expert, need])
    assert keys(model.rank(need, "expert", 3)) == ["E-1"]


def test_rank_many_equals_rank_one_by_one(filler):
    needs = [make_doc(f"N-{i}", t, kind="need") for i, t in enumerate(["máy sấy cà phê", "nuoi tom the", "đèn led", ""])]
    model = fit_test([*filler, *needs])
    batch = list(model.rank_many(needs, "offer", 3, chunk_size=2))
    assert batch == [model.rank(n, "offer", 3) for n in needs]


def test_top_k_bounds_the_number_of_suggestions(filler):
    need = make_doc("N-1", "quy trình chuyển giao", kind="need")
    model = fit_test([*filler, need])
    assert len(model.rank(need, "offer", 3)) == 3
    assert model.rank(need, "offer", 0) == []


def test_engine_config_digest_changes_with_any_weight():
    assert EngineConfig().digest() != EngineConfig(title_weight=2.0).digest()


def test_rank_many_on_two_processes_equals_one(filler):
    texts = ["máy sấy cà phê", "nuoi tom the", "đèn led", "", "gạch không nung", "phần mềm kho", "lò đốt rác"]
    needs = [make_doc(f"N-{i}", t, kind="need") for i, t in enumerate(texts)]
    model = fit_test([*filler, *needs])
    one = list(model.rank_many(needs, "offer", 3, chunk_size=2, workers=1))
    two = list(model.rank_many(needs, "offer", 3, chunk_size=2, workers=2))
    assert two == one and any(one)


def test_candidate_pruning_keeps_the_exact_ranking(filler, monkeypatch):
    from exchange.matching import similarity
    common = "quy trình chuyển giao sản xuất cho hộ nông dân"
    offers = [make_doc(f"O-{i}", f"{t} {common}", f"{t} {common} mô hình") for i, t in enumerate(
        ["máy sấy cà phê", "máy sấy cá khô", "nuôi tôm thẻ", "nuôi cá lồng", "đèn led ruộng", "lò sấy vải",
         "gạch không nung", "phần mềm kho", "máy xay cà phê", "tủ sấy thuốc"])]
    needs = [make_doc("N-1", "cần máy sấy cà phê " + common, kind="need"),
             make_doc("N-2", "nuôi cá " + common, kind="need"),
             make_doc("N-3", common, kind="need")]  # only common terms: too few candidates, ranked in full
    monkeypatch.setattr(similarity, "PRUNE_MIN_DOCS", 0)
    monkeypatch.setattr(similarity, "CANDIDATES", 4)
    pruned = fit_test([*filler, *offers, *needs], EngineConfig(shortlist=3))
    assert pruned.common is not None and pruned.common.any()
    exact = dataclasses.replace(pruned, common=None)
    for need in needs:
        found = pruned.rank(need, "offer", 3)
        assert found and found == exact.rank(need, "offer", 3)
    assert list(pruned.rank_many(needs, "offer", 3)) == [exact.rank(n, "offer", 3) for n in needs]


def test_fit_leaves_the_garbage_collector_as_it_found_it(filler):
    import gc
    assert gc.isenabled()
    fit_test(filler)
    assert gc.isenabled()
    gc.disable()
    try:
        fit_test(filler)
        assert not gc.isenabled()
    finally:
        gc.enable()
