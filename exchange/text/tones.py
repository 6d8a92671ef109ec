"""Syllable-level tone-mark placement: hoà → hòa, thuỷ → thủy, qúy → quý."""

import re
import unicodedata
from functools import cache

# Tone marks as combining characters (NFD); U+0340/U+0341 become U+0300/U+0301 under NFC.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowels that carry a shape mark (ă â ê ô ơ ư) attract the tone.
_SHAPED = frozenset("ăâêôơư")
_VOWELS = frozenset("aăâeêioôơuưy")
_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "kh", "ph", "th", "tr", "qu", "gi",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
_FINALS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
_SYLLABLE = re.compile(r"[^\W\d_]+")


def _strip_tone(word: str) -> tuple[str, list[str]]:
    """Return the word without tone marks and the tone marks found, in order."""
    base, tones = [], []
    for char in word:
        parts = unicodedata.normalize("NFD", char)
        tones.extend(c for c in parts[1:] if c in TONE_MARKS)
        base.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS)))
    return "".join(base), tones


def _split_initial(lower: str) -> int:
    """Length of the initial consonant of a toneless lower-case syllable."""
    for initial in _INITIALS:
        if lower.startswith(initial):
            rest = lower[len(initial):]
            # "gi"/"qu" are initials only when a vowel follows (gì, quý vs. gìa).
            if initial in ("gi", "qu") and not (rest and rest[0] in _VOWELS):
                continue
            return len(initial)
    return -1


def tone_position(toneless: str) -> int | None:
    """Index of the letter that carries the tone in a toneless syllable, or None if not Vietnamese."""
    lower = toneless.lower()
    start = _split_initial(lower)
    if start < 0:
        return None
    end = start
    while end < len(lower) and lower[end] in _VOWELS:
        end += 1
    nucleus, final = lower[start:end], lower[end:]
    if not 1 <= len(nucleus) <= 3 or final not in _FINALS:
        return None
    shaped = [i for i, c in enumerate(nucleus) if c in _SHAPED]
    if shaped:
        return start + shaped[-1]
    if len(nucleus) == 1:
        return start
    if final or len(nucleus) == 3:
        # toán, hoàng, khuyến; hoài, ngoẹo: second vowel
        return start + 1
    return start  # open two-vowel syllable: hòa, thủy, khỏe, mùa, tài


def place_tone(word: str) -> str:
    """Move a syllable's single tone mark to its standard letter; leave other words alone."""
    toneless, tones = _strip_tone(word)
    if len(tones) != 1:
        return word
    position = tone_position(toneless)
    if position is None:
        return word
    letter = toneless[position] + tones[0]
    return unicodedata.normalize("NFC", toneless[:position] + letter + toneless[position + 1:])


@cache
def _place_cached(word: str) -> str:
    return place_tone(word)


def unify_tones(text: str) -> str:
    """Apply `place_tone` to every run of letters in an NFC text."""
    return _SYLLABLE.sub(lambda m: _place_cached(m.group()) if len(m.group()) <= 8 else m.group(), text)


@cache
def is_syllable(word: str) -> bool:
    """True if a lower- or mixed-case word is shaped like one Vietnamese syllable (nhiệt, not plc)."""
    if not word.isalpha():
        return False
    toneless, tones = _strip_tone(word)
    return len(tones) <= 1 and tone_position(toneless) is not None
