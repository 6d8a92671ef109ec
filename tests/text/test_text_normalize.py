import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.text import fold, normalize

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠUƯY" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
        ("uỷ ban", "ủy ban"),
        ("qúy", "quý"),
        ("toà nhà", "tòa nhà"),
        ("HOÀ TAN", "HÒA TAN"),
        ("Thuỷ sản", "Thủy sản"),
        ("hoạ sĩ", "họa sĩ"),
    ],
)
def test_normalize_moves_tone_mark_to_new_placement(old, new):
    assert normalize(old) == new


@pytest.mark.parametrize("word", ["hoàng", "thuở", "khuya", "quốc", "người", "nghiêng", "già", "gì", "café", "Siemens"])
def test_normalize_leaves_correct_and_foreign_words_alone(word):
    assert normalize(word) == word


def test_normalize_keeps_punctuation_spacing():
    text = "Máy ép viên 1,5 tấn/giờ, động cơ 22kW (80°C) – giá: 120.000.000 đồng."
    assert normalize(text) == text


def test_normalize_turns_nfd_into_nfc():
    nfd = unicodedata.normalize("NFD", "Hệ thống sấy bơm nhiệt")
    assert normalize(nfd) == "Hệ thống sấy bơm nhiệt"
    assert unicodedata.is_normalized("NFC", normalize(nfd))


def test_normalize_drops_control_characters_and_collapses_spaces():
    assert normalize("  bơm\x00 nhiệt\t\t cho\u200b nông\u00a0 sản \x07") == "bơm nhiệt cho nông sản"


def test_normalize_keeps_paragraph_breaks_but_not_blank_runs():
    assert normalize("Đoạn một.\r\n\r\n\r\n\r\nĐoạn  hai.\ndòng ba") == "Đoạn một.\n\nĐoạn hai.\ndòng ba"


@pytest.mark.parametrize("text", ["", "   ", "\x00", "\n\n\t"])
def test_normalize_of_blank_input_is_empty(text):
    assert normalize(text) == ""


@given(st.text())
def test_normalize_is_idempotent_on_any_text(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=VIETNAMESE_LETTERS + " \u0300\u0301\u0303\u0309\u0323\n.,"))
def test_normalize_is_idempotent_on_vietnamese_text(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đà Nẵng ĐƯỜNG", "da nang duong"),
        ("thuỷ thủy", "thuy thuy"),
        ("Bơm NHIỆT", "bom nhiet"),
        (unicodedata.normalize("NFD", "Quảng Nam"), "quang nam"),
        ("e\u0341", "e"),
        ("IoT UV-C 22kW", "iot uv-c 22kw"),
    ],
)
def test_fold_lowercases_and_strips_diacritics(text, expected):
    assert fold(text) == expected
