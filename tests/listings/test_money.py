"""Money as Vietnamese people type it: grouped digits, tỷ/triệu/k units, refusals, and the round trip."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.listings.money import format_vnd, parse_vnd


@pytest.mark.parametrize("typed, amount", [
    ("1.250.000.000", 1_250_000_000),
    ("1 250 000", 1_250_000),
    ("1,250,000,000", 1_250_000_000),
    ("1,25 tỷ", 1_250_000_000),
    ("1.5 tỷ", 1_500_000_000),
    ("0,5 tỷ", 500_000_000),
    ("800 triệu", 800_000_000),
    ("800 trieu", 800_000_000),
    ("800 TRIỆU", 800_000_000),
    ("3 tr", 3_000_000),
    ("1,5 triệu", 1_500_000),
    ("500k", 500_000),
    ("500 K", 500_000),
    ("2 nghìn", 2_000),
    ("2 ngàn", 2_000),
    ("2 tỷ đồng", 2_000_000_000),
    ("15.000.000đ", 15_000_000),
    ("15.000.000 VNĐ", 15_000_000),
    ("1,5 triệu vnd", 1_500_000),
    ("  45.000.000  ", 45_000_000),
    ("0", 0),
])
def test_typed_amounts_are_read_as_whole_dong(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("number, amount", [(0, 0), (2_500_000_000, 2_500_000_000), (3e9, 3_000_000_000),
                                            (2.0, 2), (10**15, 10**15)])
def test_numbers_from_json_or_spreadsheets_are_accepted(number, amount):
    result = parse_vnd(number)
    assert result == amount and isinstance(result, int)


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1,25", "2,75 đồng"])
def test_a_fraction_without_a_unit_is_refused_never_read_as_a_bigger_number(typed):
    with pytest.raises(ValueError, match="không đọc được số tiền"):
        parse_vnd(typed)


@pytest.mark.parametrize("typed", ["abc", "nhiều", "", "   ", "tỷ", "1.2.3.4.5", "1,250.000", "12-000"])
def test_text_that_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError, match="không đọc được số tiền"):
        parse_vnd(typed)


@pytest.mark.parametrize("value", [-1, -2_000_000, -3.0, "-5", "-1,5 tỷ", "- 800 triệu"])
def test_negative_amounts_are_refused(value):
    with pytest.raises(ValueError, match="âm"):
        parse_vnd(value)


@pytest.mark.parametrize("value", [1.5, 0.25, "1,2345 k", "1,0000005 triệu", "1,0000000001 tỷ"])
def test_fractional_dong_are_refused(value):
    with pytest.raises(ValueError, match="không đọc được số tiền"):
        parse_vnd(value)


@pytest.mark.parametrize("value", [10**15 + 1, 1e16, "10000000 tỷ", "1.000.001 tỷ", "1 000 000 000 000 001"])
def test_amounts_above_a_million_billion_are_refused(value):
    with pytest.raises(ValueError, match="quá lớn"):
        parse_vnd(value)


def test_the_largest_amount_is_accepted_typed_with_its_unit():
    assert parse_vnd("1.000.000 tỷ") == 10**15


@pytest.mark.parametrize("typed", ["5 đô", "5 usd", "100 xu", "3 lakh", "4m"])
def test_unknown_units_are_refused(typed):
    with pytest.raises(ValueError, match="không đọc được số tiền"):
        parse_vnd(typed)


@pytest.mark.parametrize("typed, amount", [("2 tỉ", 2_000_000_000), ("1,5 tỉ đồng", 1_500_000_000)])
def test_ti_the_other_correct_spelling_of_ty_is_read_as_a_billion(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf")])
def test_booleans_and_non_finite_floats_are_refused(value):
    with pytest.raises(ValueError):
        parse_vnd(value)


def test_the_refusal_quotes_what_was_typed_and_shows_examples():
    with pytest.raises(ValueError) as caught:
        parse_vnd("  mười triệu ")
    assert "'mười triệu'" in str(caught.value) and "1,25 tỷ" in str(caught.value)


@pytest.mark.parametrize("amount, shown", [(None, ""), (0, "0"), (999, "999"), (1_000, "1.000"),
                                           (1_250_000_000, "1.250.000.000"), (10**15, "1.000.000.000.000.000")])
def test_format_groups_thousands_with_dots(amount, shown):
    assert format_vnd(amount) == shown


@given(st.integers(min_value=0, max_value=10**15))
def test_a_formatted_amount_parses_back_to_itself(amount):
    assert parse_vnd(format_vnd(amount)) == amount


@given(st.integers(min_value=0, max_value=10**6))
def test_amounts_typed_in_trieu_scale_by_a_million(millions):
    assert parse_vnd(f"{millions} triệu") == millions * 10**6
