"""Highlight fragments: plain text pairs that rebuild the original and mark the query's words."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exchange.search.highlight import SNIPPET_CHARS, fragments, highlight_hit, make_marker, snippet
from exchange.search.parsing import ParsedQuery


def marked(pieces) -> list[str]:
    """The matched texts of fragments."""
    return [text for text, is_match in pieces if is_match]


def test_title_fragments_mark_every_spelling_of_the_query_word():
    marker = make_marker(ParsedQuery(words=("hòa_tan",)))
    title, _ = highlight_hit(marker, "Cà phê hoà tan, HÒA TAN và hoa tan", "", "")
    assert marked(title) == ["hoà", "tan", "HÒA", "TAN", "hoa", "tan"]


def test_syllables_inside_longer_words_are_not_marked():
    marker = make_marker(ParsedQuery(words=("tan",)))
    title, _ = highlight_hit(marker, "tanh tan stan", "", "")
    assert marked(title) == ["tan"]


def test_markup_in_text_stays_literal():
    marker = make_marker(ParsedQuery(words=("bơm",)))
    title, _ = highlight_hit(marker, "<b>bơm</b> & nước", "", "")
    assert "".join(text for text, _ in title) == "<b>bơm</b> & nước"


def test_snippet_of_a_long_body_is_a_window_around_the_matches():
    body = "Mở đầu dài dòng. " * 60 + "Máy sấy bơm nhiệt ở đây. " + "Kết thúc. " * 60
    marker = make_marker(ParsedQuery(words=("bơm", "nhiệt")))
    _, pieces = highlight_hit(marker, "", "", body)
    text = "".join(t for t, _ in pieces)
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert marked(pieces) == ["bơm", "nhiệt"] and len(text) <= SNIPPET_CHARS + 40


def test_summary_is_preferred_when_it_matches():
    marker = make_marker(ParsedQuery(words=("tôm",)))
    _, pieces = highlight_hit(marker, "", "Nuôi tôm thẻ", "Ao nuôi tôm công nghệ cao")
    assert "".join(t for t, _ in pieces) == "Nuôi tôm thẻ"


def test_prefix_marks_words_that_start_with_it():
    marker = make_marker(ParsedQuery(prefix="sấ"))
    title, _ = highlight_hit(marker, "máy sấy", "", "")
    assert marked(title) == ["sấy"]


@given(st.text(max_size=400), st.lists(st.sampled_from(["máy", "bơm", "a", "đ", "x"]), max_size=3))
def test_fragments_rejoin_to_the_original_text(text, words):
    marker = make_marker(ParsedQuery(words=tuple(words)))
    spans = marker.spans(text)
    assert "".join(t for t, _ in fragments(text, spans)) == text
    assert all(t for t, _ in snippet(text, spans))
