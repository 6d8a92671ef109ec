"""Synonym groups (data/synonyms.tsv): canonicalize token sequences so both sides match.

One line of the file is one group of equivalent terms separated by tabs; the first
term is the canonical one; `#` starts a comment. Terms may span several words.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

DATA_FILE = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def _fold(s: str) -> str:
    """Lowercase, drop diacritics, đ→d."""
    s = unicodedata.normalize("NFD", s.lower().translate(_FOLD))
    return "".join(c for c in s if not unicodedata.combining(c))


def _normalize_term(term: str) -> tuple[str, ...]:
    """Syllables of a term, normalized the way segmented tokens are."""
    try:
        from exchange.text import normalize
        term = normalize(term)
    except ImportError:  # pragma: no cover - only before exchange.text exists
        term = unicodedata.normalize("NFC", term)
    return tuple(term.lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class SynonymTable:
    """Term syllables → canonical token, exact and (multi-syllable only) folded."""

    groups: tuple[tuple[str, ...], ...]
    exact: dict[tuple[str, ...], str]
    folded: dict[tuple[str, ...], str]
    max_len: int
    starts: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.groups)


def line_terms(line: str) -> list[tuple[str, ...]]:
    """The normalized terms of one tab-separated line of a data file, its comment removed."""
    return [t for t in (_normalize_term(x) for x in line.split("#", 1)[0].split("\t")) if t]


def parse_synonyms(lines: Iterable[str]) -> SynonymTable:
    """Build a table from the lines of a synonyms file."""
    groups, exact, folded = [], {}, {}
    for line in lines:
        terms = line_terms(line)
        if len(terms) < 2:
            continue
        canonical = "_".join(terms[0])
        groups.append(tuple(" ".join(t) for t in terms))
        for term in terms:
            exact.setdefault(term, canonical)
            if len(term) > 1:
                folded.setdefault(tuple(_fold(s) for s in term), canonical)
    max_len = max((len(t) for t in exact), default=1)
    return SynonymTable(tuple(groups), exact, folded, max_len, _lengths_by_start([*exact, *folded]))


def _lengths_by_start(terms: Iterable[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """First syllable → the lengths of the terms starting with it, longest first."""
    lengths: dict[str, set[int]] = {}
    for term in terms:
        lengths.setdefault(term[0], set()).add(len(term))
    return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


@lru_cache(maxsize=4)
def load_synonyms(path: str | None = None) -> SynonymTable:
    """The synonym table of `path` (default: the bundled data file)."""
    text = Path(path or DATA_FILE).read_text(encoding="utf-8")
    return parse_synonyms(text.splitlines())


def _syllables(words: Sequence[str]) -> tuple[list[str], list[int]]:
    """Syllables of the words and, for each, the index of its word."""
    syls, owner = [], []
    for i, word in enumerate(words):
        for syl in word.split("_"):
            if syl:
                syls.append(syl)
                owner.append(i)
    return syls, owner


def _match_at(syls: list[str], owner: list[int], i: int, table: SynonymTable,
              ascii_singles: bool = True) -> tuple[int, str] | None:
    """Longest term starting at syllable i: (length, canonical) or None."""
    for n in table.starts.get(syls[i], ()):
        if i + n > len(syls):
            continue
        span = tuple(syls[i:i + n])
        if n == 1:
            whole = (i == 0 or owner[i - 1] != owner[i]) and (i + 1 == len(syls) or owner[i + 1] != owner[i])
            whole = whole and (ascii_singles or not span[0].isascii())
            return (1, table.exact[span]) if whole and span in table.exact else None
        hit = table.exact.get(span) or (table.folded.get(span) if all(x.isascii() for x in span) else None)
        if hit:
            return n, hit
    return None


def canonicalize_pairs(words: Sequence[str], table: SynonymTable, ascii_singles: bool = True) -> list[tuple[str, str]]:
    """(token, surface) pairs: synonym spans replaced by their canonical token.

    ascii_singles=False skips one-syllable terms without diacritics (for text typed
    without diacritics, where "ro" may be rộ rather than RO).
    """
    syls, owner = _syllables(words)
    out: list[tuple[str, str]] = []
    pending: list[str] = []
    starts, n = table.starts, len(syls)
    i = 0
    while i < n:
        hit = _match_at(syls, owner, i, table, ascii_singles) if syls[i] in starts else None
        if hit:
            if pending:
                out.append(("_".join(pending), " ".join(pending)))
                pending = []
            out.append((hit[1], " ".join(syls[i:i + hit[0]])))
            i += hit[0]
            continue
        pending.append(syls[i])
        if i + 1 == n or owner[i + 1] != owner[i]:
            out.append(("_".join(pending), " ".join(pending)))
            pending = []
        i += 1
    return out


def canonicalize(words: Sequence[str], table: SynonymTable | None = None) -> tuple[str, ...]:
    """The words with every synonym span replaced by its group's canonical token."""
    return tuple(tok for tok, _ in canonicalize_pairs(words, table or load_synonyms()))


def expand(words: Sequence[str], table: SynonymTable | None = None) -> tuple[str, ...]:
    """The words plus every equivalent term of each synonym they contain (for search)."""
    table = table or load_synonyms()
    by_canonical = {"_".join(g[0].split()): g for g in table.groups}
    out: list[str] = []
    for tok, _surface in canonicalize_pairs(words, table):
        group = by_canonical.get(tok)
        out.extend(["_".join(t.split()) for t in group] if group else [tok])
    return tuple(out)
