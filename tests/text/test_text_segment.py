import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.text import segment
from exchange.text.compounds import CompoundDictionary, merge_compounds

SYLLABLES = [
    "hệ", "thống", "sấy", "bơm", "nhiệt", "cho", "nông", "sản", "thủy", "hòa", "tan", "khỏe",
    "nước", "mắm", "Quảng", "Nam", "điện", "mặt", "trời", "đường", "ướp", "lạnh", "IoT", "500",
]


def test_segment_joins_compound_syllables_and_lowercases():
    assert segment("Hệ thống sấy bơm nhiệt cho nông sản") == ["hệ_thống", "sấy", "bơm_nhiệt", "cho", "nông_sản"]


def test_segment_keeps_numbers_and_english_terms_as_lowercase_tokens():
    tokens = segment("Giải pháp IoT và PLC, đèn UV-C và lọc RO 2000 lít/giờ")
    for term in ["iot", "plc", "uv-c", "2000"]:
        assert term in tokens
    assert "ro" in tokens or "lọc_ro" in tokens


def test_segment_drops_punctuation_tokens():
    assert segment("bơm nhiệt , ( ) ... !!! / %") == ["bơm_nhiệt"]


def test_segment_strips_punctuation_glued_to_abbreviations():
    assert "iba" in segment("môi trường MS bổ sung IBA. Hệ số nhân chồi")


@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=12))
@settings(max_examples=40, deadline=None)
def test_segment_gives_same_tokens_for_nfc_and_nfd(words):
    text = " ".join(words)
    assert segment(unicodedata.normalize("NFD", text)) == segment(unicodedata.normalize("NFC", text))


@given(st.text(alphabet="aăâđeêioôơuưy" + "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ" + "bcghkmnt ", max_size=60))
@settings(max_examples=40, deadline=None)
def test_segment_gives_same_tokens_for_nfc_and_nfd_on_any_letters(text):
    assert segment(unicodedata.normalize("NFD", text)) == segment(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Công nghệ xử lý nước thuỷ sản hoà tan oxy, giúp tôm khoẻ mạnh", "Công nghệ xử lý nước thủy sản hòa tan oxy, giúp tôm khỏe mạnh"),
        ("Uỷ ban nhân dân tỉnh, tuỳ theo nhu cầu", "Ủy ban nhân dân tỉnh, tùy theo nhu cầu"),
        ("giống cây qúy hiếm", "giống cây quý hiếm"),
    ],
)
def test_segment_gives_same_tokens_for_old_and_new_tone_placement(old, new):
    assert segment(old) == segment(new)


@pytest.mark.parametrize(
    "sentence",
    [
        "hệ thống sấy bơm nhiệt cho nông sản",
        "máy ép viên thức ăn chăn nuôi",
        "quy trình nuôi cấy mô sâm ngọc linh",
        "công nghệ xử lý nước thải sinh hoạt",
        "giải pháp tưới tiết kiệm cho vườn cây ăn quả",  # underthesea gives cho_vườn on caps
    ],
)
@pytest.mark.parametrize("casing", [str.upper, str.title])
def test_segment_of_all_caps_and_title_case_equals_lowercase(sentence, casing):
    assert segment(casing(sentence)) == segment(sentence)


def test_segment_keeps_acronyms_of_a_title_case_sentence():
    assert "kh&cn" in segment("Sở KH&CN Quảng Nam")


@pytest.mark.parametrize(
    ("text", "compound"),
    [
        ("lọc nước bằng thẩm thấu ngược cho hộ gia đình", "thẩm_thấu_ngược"),
        ("quy trình nuôi cấy mô tế bào", "nuôi_cấy_mô"),
        ("hệ thống điện mặt trời áp mái", "điện_mặt_trời"),
        ("buồng sấy lạnh dược liệu", "sấy_lạnh"),
        ("he thong say bom nhiet cho nong san", "bom_nhiet"),
        ("loc nuoc bang tham thau nguoc", "tham_thau_nguoc"),
    ],
)
def test_segment_merges_dictionary_compounds_accented_and_unaccented(text, compound):
    assert compound in segment(text)


def test_segment_does_not_merge_a_compound_across_a_known_word():
    # "bơm nhiệt" is a compound, but here nhiệt belongs to nhiệt_độ (temperature).
    assert "bơm_nhiệt" not in segment("Máy bơm nhiệt độ cao")


@pytest.mark.parametrize("text", ["", "   ", "\x00", "\x00\x00\x00", "🙂🚀", "... !!! ---", "_", "\u200b"])
def test_segment_of_empty_punctuation_emoji_or_nul_input_is_empty(text):
    assert segment(text) == []


def test_segment_handles_100k_characters():
    sentence = "Hệ thống sấy bơm nhiệt cho nông sản, công suất 500 kg/mẻ. "
    text = sentence * (100_000 // len(sentence) + 1)
    tokens = segment(text)
    assert len(text) >= 100_000
    assert tokens.count("bơm_nhiệt") == text.count("bơm nhiệt")


def test_segment_handles_100k_characters_without_sentence_breaks():
    text = "bơm nhiệt " * 10_000
    assert segment(text) == ["bơm_nhiệt"] * 10_000


def test_merge_compounds_splits_a_word_unknown_to_viet74k():
    dictionary = CompoundDictionary.from_phrases(["thẩm thấu ngược"])
    assert merge_compounds(["lọc", "thẩm_thấu", "ngược_ro"], dictionary) == ["lọc", "thẩm_thấu_ngược", "ro"]


def test_merge_compounds_prefers_the_longest_compound():
    dictionary = CompoundDictionary.from_phrases(["bơm nhiệt", "máy bơm nhiệt"])
    assert merge_compounds(["máy", "bơm", "nhiệt"], dictionary) == ["máy_bơm_nhiệt"]


def test_merge_compounds_does_not_merge_mixed_accented_and_unaccented_syllables():
    dictionary = CompoundDictionary.from_phrases(["bơm nhiệt"])
    assert merge_compounds(["bom", "nhiệt"], dictionary) == ["bom", "nhiệt"]


def test_concurrent_first_use_in_a_fresh_process_does_not_crash():
    import subprocess
    import sys

    code = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from exchange.text import segment\n"
        "with ThreadPoolExecutor(4) as pool:\n"
        "    results = list(pool.map(segment, ['máy sấy nông sản'] * 8))\n"
        "assert all(r == results[0] for r in results), results\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
