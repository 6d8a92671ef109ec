"""Password policy and hashing: 10–128 characters of any kind, no common ones, scrypt, overlong never hashed."""
from __future__ import annotations

import unicodedata

import pytest

from exchange.accounts import passwords
from exchange.accounts.passwords import (MAX_LENGTH, MIN_LENGTH, common_passwords, hash_password, password_problem,
                                         verify_password)

COMMON = "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
SAME_AS_EMAIL = "Mật khẩu không được trùng với địa chỉ e-mail."


@pytest.mark.parametrize("length", [MIN_LENGTH, MIN_LENGTH + 1, 64, MAX_LENGTH])
def test_a_password_of_10_to_128_characters_is_accepted(length):
    password = ("ngựa vằn uống trà đá " * 10)[:length]
    assert len(password) == length
    assert password_problem(password) is None


@pytest.mark.parametrize("length", [0, 1, MIN_LENGTH - 1])
def test_a_password_shorter_than_10_characters_is_refused_with_the_minimum(length):
    problem = password_problem("ngựavằnuốngtrà"[:length])
    assert problem == "Mật khẩu phải có ít nhất 10 ký tự."


@pytest.mark.parametrize("length", [MAX_LENGTH + 1, 10_000])
def test_a_password_longer_than_128_characters_is_refused_with_the_maximum(length):
    assert password_problem("x" * length) == "Mật khẩu dài tối đa 128 ký tự."


@pytest.mark.parametrize("password", [
    "Ngày mai trời lại sáng",            # Vietnamese with diacritics and spaces
    "   khoảng trắng ở đầu và cuối   ",  # leading and trailing spaces are part of the password
    "🐉🌾🚜 cánh đồng lúa 🌾",             # emoji
    "đĐăĂâÂêÊôÔơƠưƯ",                     # only letters no other language has
    "không-có-chữ-hoa-hay-số",           # no composition rules
    "ÀÁẢÃẠàáảãạ1234",
])
def test_any_characters_are_accepted(password):
    assert password_problem(password) is None


def test_the_bundled_list_holds_at_least_ten_thousand_common_passwords():
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["matkhau123", "anhyeuem2024", "123456789a", "MatKhau123", "ANHYEUEM2024",
                                      "password123", "qwertyuiop"])
def test_common_passwords_are_refused_whatever_their_case(password):
    assert password_problem(password) == COMMON


@pytest.mark.parametrize("password", ["Ngày mai trời lại sáng", "ngựa vằn uống trà đá"])
def test_the_common_list_does_not_hold_ordinary_vietnamese_phrases(password):
    assert password_problem(password) is None


@pytest.mark.parametrize("password", ["nguyen.van.an@congty.vn", "NGUYEN.VAN.AN@CONGTY.VN", "nguyen.van.an",
                                      "Nguyen.Van.An"])
def test_a_password_equal_to_the_email_or_its_local_part_is_refused(password):
    assert password_problem(password, email="nguyen.van.an@congty.vn") == SAME_AS_EMAIL


def test_a_password_only_containing_the_email_is_accepted():
    assert password_problem("nguyen.van.an rất thích ăn phở", email="nguyen.van.an@congty.vn") is None


def test_a_hashed_password_verifies_and_a_different_one_does_not():
    stored = hash_password("Ngày mai trời lại sáng")
    assert stored.startswith("scrypt:") and "Ngày" not in stored
    assert verify_password(stored, "Ngày mai trời lại sáng")
    assert not verify_password(stored, "Ngày mai trời lại sáng ")
    assert not verify_password(stored, "ngày mai trời lại sáng")


def test_a_vietnamese_password_typed_decomposed_matches_the_one_set_composed():
    """Vietnamese keyboards (Unikey 'Unicode tổ hợp', macOS) may send NFD: it is the same password."""
    composed = unicodedata.normalize("NFC", "Ngày mai trời lại sáng")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert verify_password(hash_password(composed), decomposed)


def test_a_10000_character_password_is_refused_by_the_policy():
    assert password_problem("a" * 10_000) is not None


def test_an_overlong_password_never_matches_even_when_its_first_128_characters_would():
    first = "đ" * MAX_LENGTH
    stored = hash_password(first)
    assert verify_password(stored, first)
    assert not verify_password(stored, first + "x" * (10_000 - MAX_LENGTH))


def test_an_overlong_password_never_matches_a_stored_hash_of_the_empty_string():
    assert not verify_password(hash_password(""), "x" * 10_000)


def test_an_overlong_password_is_never_given_to_the_hash_function(monkeypatch):
    seen: list[int] = []
    real = passwords.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        seen.append(len(password))
        return real(pwhash, password)

    stored = hash_password("Ngày mai trời lại sáng")
    monkeypatch.setattr(passwords, "check_password_hash", spy)
    assert not verify_password(stored, "x" * 10_000)
    assert not verify_password(None, "x" * 10_000)
    assert seen and max(seen) <= MAX_LENGTH


@pytest.mark.parametrize("stored", [None, ""])
def test_an_account_without_a_password_never_matches(stored):
    assert verify_password(stored, "Ngày mai trời lại sáng") is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize("stored", [None, ""])
def test_an_account_without_a_password_still_costs_one_hash_check(monkeypatch, stored):
    """The time taken must not tell whether the account exists."""
    calls: list[str] = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    verify_password(stored, "Ngày mai trời lại sáng")
    assert len(calls) == 1 and calls[0].startswith("scrypt:")
