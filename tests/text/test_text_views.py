import pytest

from exchange.text import content_words, folded, normalize, stopwords, syllables


def test_syllables_split_compounds():
    assert syllables(["hệ_thống", "sấy", "bơm_nhiệt"]) == ["hệ", "thống", "sấy", "bơm", "nhiệt"]


def test_folded_folds_each_syllable():
    assert folded(["hệ_thống", "đường", "iot"]) == ["he", "thong", "duong", "iot"]


def test_content_words_drops_function_words_and_keeps_content():
    words = ["cần", "tìm", "công_nghệ", "sấy", "của", "bơm_nhiệt", "cho", "và", "có_thể", "nông_sản"]
    assert content_words(words) == ["công_nghệ", "sấy", "bơm_nhiệt", "nông_sản"]


@pytest.mark.parametrize("word", ["cua", "duoc", "la", "không", "cao", "mua", "bán", "dược"])
def test_content_words_keeps_words_that_collide_with_stopwords(word):
    assert content_words([word]) == [word]


def test_stopwords_are_stored_as_normalized_lowercase_tokens():
    for word in stopwords():
        assert word == normalize(word).lower()
        assert " " not in word
