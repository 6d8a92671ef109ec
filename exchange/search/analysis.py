"""Whoosh analyzers for pre-segmented Vietnamese tokens.

Whoosh pickles analyzer classes into the index schema, so they live here, in a
module every process can import, never in a script or ``__main__``.
"""
from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from exchange.text import fold

# A word: a space-separated token with at least one letter or digit ("máy_sấy", "s7-1200").
WORD_PATTERN = r"\S*[^\W_]\S*"
# A syllable: a run of letters and digits; "_" (the compound joiner) and punctuation split.
SYLLABLE_PATTERN = r"[^\W_]+"


class FoldFilter(Filter):
    """Replace each token by its accent-folded form (đ → d, lower case); drop empty ones."""

    def __call__(self, tokens):
        """Fold the tokens' text in place, as Whoosh filters do."""
        for token in tokens:
            token.text = fold(token.text)
            if token.text:
                yield token


def words_analyzer():
    """Whole words, compounds kept together: "máy_sấy nông_sản" → máy_sấy, nông_sản."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def syllables_analyzer():
    """Syllables with their diacritics: "máy_sấy" → máy, sấy."""
    return RegexTokenizer(SYLLABLE_PATTERN) | LowercaseFilter()


def folded_analyzer():
    """Syllables without diacritics: "máy_sấy đá" → may, say, da."""
    return RegexTokenizer(SYLLABLE_PATTERN) | FoldFilter()


def analyze(analyzer, text: str) -> list[str]:
    """The token texts an analyzer produces, so queries are cut exactly like documents."""
    return [token.text for token in analyzer(text)]
