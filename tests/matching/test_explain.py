"""Reasons are Vietnamese, use the offer's own spelling and never leak confidential text."""
from __future__ import annotations

import pytest

from exchange.matching.evaluation import record_doc
from exchange.matching.explain import money, money_range
from exchange.text.synonyms import load_synonyms

from tests.matching.conftest import fit_test, make_doc

PREFIXES = ("Cùng đề cập: ", "Khác đối tượng: ", "Cùng lĩnh vực: ", "Khác lĩnh vực (", "Mức sẵn sàng công nghệ",
            "Giá chào ", "Cùng địa bàn: ")
FIELDS = {"nong-nghiep": "Nông nghiệp", "nang-luong": "Năng lượng"}


def top(need, offers, filler, **kwargs):
    model = fit_test([*filler, *offers, need], **kwargs)
    return model.rank(need, "offer", 1, field_names=FIELDS)[0]


def test_shared_terms_are_shown_with_diacritics_as_the_offer_writes_them(filler):
    need = make_doc("N-1", "can may bom nhiet say nong san", kind="need")
    offer = make_doc("O-1", "máy bơm nhiệt sấy nông sản", "bơm nhiệt tiết kiệm điện")
    reasons = top(need, [offer], filler).reasons
    assert reasons[0].startswith("Cùng đề cập: ")
    assert "bơm" in reasons[0] and "nhiệt" in reasons[0]


def test_synonym_match_names_both_words(filler):
    need = make_doc("N-1", "nuôi heo nái", kind="need")
    offer = make_doc("O-1", "chăm sóc lợn nái đẻ")
    reasons = top(need, [offer], filler, synonyms=load_synonyms()).reasons
    assert "lợn nái (≈ heo nái)" in reasons[0] or "lợn (≈ heo)" in reasons[0]


@pytest.mark.parametrize("need_field, offer_field, expected", [
    ("nong-nghiep", "nong-nghiep", "Cùng lĩnh vực: Nông nghiệp"),
    ("nong-nghiep", "nang-luong", "Khác lĩnh vực (nhu cầu: Nông nghiệp, chào bán: Năng lượng)"),
])
def test_field_reason(filler, need_field, offer_field, expected):
    need = make_doc("N-1", "máy sấy lúa", kind="need", field=need_field)
    offer = make_doc("O-1", "máy sấy lúa", field=offer_field)
    assert expected in top(need, [offer], filler).reasons


@pytest.mark.parametrize("need_trl, offer_trl, expected", [
    (6, 7, "Mức sẵn sàng công nghệ TRL 7, đạt mức TRL 6 nhu cầu đặt ra"),
    (8, 5, "Mức sẵn sàng công nghệ TRL 5, thấp hơn mức TRL 8 nhu cầu đặt ra"),
    (None, 4, "Mức sẵn sàng công nghệ: TRL 4"),
])
def test_trl_reason(filler, need_trl, offer_trl, expected):
    need = make_doc("N-1", "máy sấy lúa", kind="need", trl=need_trl)
    offer = make_doc("O-1", "máy sấy lúa", trl=offer_trl)
    assert expected in top(need, [offer], filler).reasons


@pytest.mark.parametrize("price, budget, expected", [
    ((120_000_000, 120_000_000), (100_000_000, 150_000_000), "Giá chào 120 triệu đồng nằm trong ngân sách 100–150 triệu đồng"),
    ((2_500_000_000, None), (None, 1_000_000_000), "Giá chào 2,5 tỷ đồng vượt ngân sách 1 tỷ đồng"),
    ((80_000_000, 90_000_000), (None, None), "Giá chào 80–90 triệu đồng"),
])
def test_price_reason(filler, price, budget, expected):
    need = make_doc("N-1", "máy sấy lúa", kind="need", price_min=budget[0], price_max=budget[1])
    offer = make_doc("O-1", "máy sấy lúa", price_min=price[0], price_max=price[1])
    assert expected in top(need, [offer], filler).reasons


def test_same_place_reason_ignores_diacritics(filler):
    need = make_doc("N-1", "máy sấy lúa", kind="need", locality="Tien Phuoc")
    offer = make_doc("O-1", "máy sấy lúa", locality="Tiên Phước")
    assert "Cùng địa bàn: Tiên Phước" in top(need, [offer], filler).reasons


def test_every_reason_is_one_of_the_vietnamese_forms(filler):
    need = make_doc("N-1", "máy sấy lúa", kind="need", field="nong-nghiep", trl=5, price_max=10**8, locality="Duy Xuyên")
    offer = make_doc("O-1", "máy sấy lúa đốt trấu", field="nang-luong", trl=6, price_min=9 * 10**7, locality="Duy Xuyên")
    reasons = top(need, [offer], filler).reasons
    assert len(reasons) == 5
    assert all(r.startswith(PREFIXES) for r in reasons)


def test_confidential_details_never_reach_the_reasons(filler):
    secret = "MẬTMÃXYZ"
    record = {"ref": "O-1", "kind": "offer", "title": "máy sấy lúa", "description": "máy sấy lúa",
              "confidential_details": f"{secret} bí quyết nhiệt độ", "contact_phone": "0905123456"}
    offer = record_doc(record, make_doc("x", record["title"], record["description"]).tokens)
    need = make_doc("N-1", f"máy sấy lúa {secret.lower()}", kind="need")
    suggestion = top(need, [offer], filler)
    assert suggestion.key == "O-1"
    assert not any(secret.lower() in r.lower() or "0905" in r for r in suggestion.reasons)


@pytest.mark.parametrize("vnd, text", [(120_000_000, "120 triệu đồng"), (1_500_000_000, "1,5 tỷ đồng"), (500_000, "500.000 đồng")])
def test_money(vnd, text):
    assert money(vnd) == text


def test_money_range_with_different_units():
    assert money_range(900_000_000, 1_200_000_000) == "900 triệu đồng – 1,2 tỷ đồng"


def test_offer_about_another_member_of_the_needs_class_says_so(filler):
    need = make_doc("N-1", "sản xuất giống cá chình nhân tạo", kind="need")
    offer = make_doc("O-1", "sản xuất giống ốc hương nhân tạo", "cho đẻ trong bể xi măng")
    reasons = top(need, [offer], filler).reasons
    assert "Khác đối tượng: nhu cầu nói về cá chình, chào bán nói về ốc hương" in reasons
    same = make_doc("O-2", "sản xuất giống cá chình nhân tạo", "cho đẻ trong bể xi măng")
    assert not any(r.startswith("Khác đối tượng") for r in top(need, [same], filler).reasons)
