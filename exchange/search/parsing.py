"""Turn the text a user typed into words, quoted phrases and an unfinished prefix.

Only the double quote means anything here; every other character (``* : ( ) ~ ^``,
AND, OR, NOT …) is plain text that the segmenter sees, so nothing the user types
can reach Whoosh's query language.
"""
from __future__ import annotations

from dataclasses import dataclass

from exchange.text import fold, normalize, segment

# Longer input is cut: segmentation cost grows with it, and no real query is this long.
MAX_QUERY_CHARS = 200
# At most this many syllables take part in the query (each one adds posting lists to merge).
MAX_SYLLABLES = 12
MIN_PREFIX_LETTERS = 2


@dataclass(frozen=True)
class ParsedQuery:
    """Segmented words outside quotes, segmented phrases, and the prefix being typed."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str | None = None
    # The user typed no diacritics at all, so folded fields are the main ones.
    is_folded: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: the request is a browse."""
        return not (self.words or self.phrases or self.prefix)


def _split_quotes(text: str) -> tuple[list[str], list[str]]:
    """Loose parts and quoted parts; an unclosed quote runs to the end."""
    pieces = text.replace("“", '"').replace("”", '"').split('"')
    return pieces[0::2], pieces[1::2]


def _take_prefix(words: list[str]) -> tuple[list[str], str | None]:
    """Split the unfinished last syllable off the words; too short a prefix is dropped."""
    if not words:
        return words, None
    *rest, last = words
    syllables = last.split("_")
    rest.extend(syllables[:-1])
    prefix = syllables[-1]
    if sum(c.isalnum() for c in prefix) < MIN_PREFIX_LETTERS:
        return rest, None
    return rest, prefix


def _cap(words: list[str], budget: int) -> tuple[list[str], int]:
    """Keep the words while their syllables fit in the budget."""
    kept = []
    for word in words:
        size = word.count("_") + 1
        if size > budget:
            break
        kept.append(word)
        budget -= size
    return kept, budget


def _ends_in_loose_word(text: str, loose: list[str], quoted: list[str]) -> bool:
    """The text ends with a letter or digit outside quotes: the cursor is in a word."""
    return bool(text) and text[-1].isalnum() and len(loose) > len(quoted)


def parse_query(text: str, *, is_typing: bool = False) -> ParsedQuery:
    """Parse raw user text; never raises, returns an empty query for junk."""
    text = normalize((text or "")[:MAX_QUERY_CHARS].replace("\x00", " "))
    loose, quoted = _split_quotes(text)
    words = [w for part in loose for w in segment(part)]
    prefix = None
    if is_typing and _ends_in_loose_word(text, loose, quoted):
        words, prefix = _take_prefix(words)
    words, budget = _cap(words, MAX_SYLLABLES)
    phrases = []
    for part in quoted:
        phrase, budget = _cap(segment(part), budget)
        if phrase:
            phrases.append(tuple(phrase))
    return ParsedQuery(
        words=tuple(words),
        phrases=tuple(phrases),
        prefix=prefix,
        is_folded=fold(text) == text.lower(),
    )
