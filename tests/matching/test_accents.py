"""Accent restoration of listings typed without diacritics."""
from __future__ import annotations

from exchange.matching import accents
from exchange.matching.accents import build_accent_map, dictionary, group, is_unaccented, respell, restore
from exchange.text import fold

CORPUS = [
    ("lò", "sấy", "nông_sản", "bằng", "củi"),
    ("cảnh_báo", "sạt", "lở", "đất", "vùng", "núi"),
    ("núi", "lở", "sau", "mưa", "lớn"),
    ("lò", "sấy", "lúa", "đốt", "trấu"),
    ("mưa", "lớn", "kéo", "dài"),
    ("sau", "mưa", "lớn", "đất", "sạt", "lở"),
]


def test_context_chooses_between_spellings_of_one_folded_syllable():
    amap = build_accent_map(CORPUS)
    assert respell(["lo", "say"], amap) == ["lò", "sấy"]
    assert respell(["nui", "lo"], amap) == ["núi", "lở"]
    assert respell(["mua", "lon"], amap) == ["mưa", "lớn"]


def test_restored_syllables_are_grouped_into_the_corpus_words():
    amap = build_accent_map(CORPUS)
    assert restore(["lo", "say_nong", "san"], amap) == ["lò", "sấy", "nông_sản"]
    assert group(["cảnh", "báo", "sạt"], amap) == ["cảnh_báo", "sạt"]


def test_unknown_syllables_and_numbers_are_kept():
    amap = build_accent_map(CORPUS)
    assert respell(["xyzq", "500", "lo", "say"], amap) == ["xyzq", "500", "lò", "sấy"]
    assert respell([], amap) == []


def test_unaccented_documents_do_not_feed_the_counts():
    amap = build_accent_map([*CORPUS, ("lo", "lo", "lo", "say")])
    assert "lo" not in amap.unigrams or amap.unigrams["lo"] == 0
    assert is_unaccented(("lo", "say")) and not is_unaccented(("lò", "say"))


def test_the_bundled_word_list_restores_words_the_corpus_lacks():
    amap = build_accent_map(CORPUS)
    out = respell(["thuy", "san"], amap)
    if dictionary().unigrams:  # underthesea ships Viet74K
        assert out == ["thủy", "sản"]
    assert [fold(s) for s in out] == ["thuy", "san"]


def test_background_text_teaches_pairs_the_corpus_lacks(monkeypatch):
    corpus = [("bộ", "lọc", "nước"), ("bộ", "điều_khiển"), ("lắp", "bộ", "lọc"), ("sông", "thu_bồn")]
    monkeypatch.setattr(accents, "background", lambda: accents.SyllableCounts({}, {}))
    assert respell(["bo", "song"], build_accent_map(corpus))[0] == "bộ"
    taught = accents.SyllableCounts({"bờ": 3, "sông": 3}, {("bờ", "sông"): 3})
    monkeypatch.setattr(accents, "background", lambda: taught)
    assert respell(["bo", "song"], build_accent_map(corpus)) == ["bờ", "sông"]


def test_bundled_background_text_is_accented_vietnamese():
    counts = accents.background()
    if counts.unigrams:
        assert sum(n for s, n in counts.unigrams.items() if fold(s) != s) > 0.5 * sum(counts.unigrams.values())
