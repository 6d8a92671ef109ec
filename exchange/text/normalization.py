"""Display-safe cleaning of Vietnamese text, and accent folding for search keys."""

import re
import unicodedata
from functools import cache

from exchange.text.tones import unify_tones

_NEWLINES = re.compile(r"\r\n?|[\x85\u2028\u2029\x0b\x0c]")
# Cc controls (tab and newline are handled before), surrogates, invisible format characters.
_UNWANTED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u200b-\u200d\u2060\ufeff]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _drop_controls(text: str) -> str:
    """Drop control, surrogate and invisible characters; tabs become spaces."""
    return _UNWANTED.sub("", text.replace("\t", " "))


def _collapse_whitespace(text: str) -> str:
    """One space inside lines, no blank-line runs longer than one (paragraph breaks stay)."""
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalize(text: str) -> str:
    """NFC, no control characters, collapsed whitespace, tone marks placed hòa/thủy style."""
    if not text:
        return ""
    text = _drop_controls(_NEWLINES.sub("\n", text))
    text = unicodedata.normalize("NFC", text)
    text = _collapse_whitespace(text)
    return unicodedata.normalize("NFC", unify_tones(text))


@cache
def _fold_table() -> dict[int, int | None]:
    """Translation table: every combining mark in the BMP removed, đ/Đ mapped to d."""
    table: dict[int, int | None] = {
        cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))
    }
    table[ord("đ")] = ord("d")
    table[ord("Đ")] = ord("d")
    return table


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Đà Nẵng ĐƯỜNG" → "da nang duong"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", decomposed.translate(_fold_table()))
