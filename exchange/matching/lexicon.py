"""Interned canonical tokens and a per-word memo of synonym canonicalization, for fitting many documents.

Canonicalizing one word in isolation gives the same tokens as inside its text whenever no synonym
term starting in it could reach into the next word: either none is long enough ("reach" ≤ 0) or
no term has the word's last syllable followed by the next word's first one. Only the other
words are matched syllable by syllable, exactly as `canonicalize_pairs` does.
"""
from __future__ import annotations

import threading
from itertools import chain, islice
from operator import itemgetter
from typing import Sequence

from exchange.text.synonyms import SynonymTable, _match_at, canonicalize_pairs

from exchange.matching.accents import fold, is_usable

# Accent state of a word: no letters, letters without diacritics, letters with diacritics.
NO_LETTERS, PLAIN, MARKED = 0, 1, 2


_IDS, _LEFT, _RIGHT, _PAIRS = itemgetter(3), itemgetter(4), itemgetter(5), itemgetter(7)
# Left edge of a word without syllables: it may let the words around it join.
EMPTY = "\x01"


class Lexicon:
    """Canonical tokens of one synonym table and stopword list, with a per-word memo."""

    def __init__(self, table: SynonymTable, stop: frozenset[str]) -> None:
        """An empty memo for one synonym table and stopword list."""
        self.table = table
        self.stop = stop
        self.tokens: dict[str, int] = {}
        self.names: list[str] = []
        self._words: dict[bool, dict[str, tuple]] = {True: {}, False: {}}
        self._windows: dict[tuple, tuple[list[int], list[tuple[str, str]], int]] = {}
        self._lock = threading.RLock()
        self.memo = self._words[True].get
        pairs = {pair for term in (*table.exact, *table.folded) for pair in zip(term, term[1:])}
        self.joins = frozenset(pairs | {(a, EMPTY) for a, _ in pairs})

    def intern(self, token: str) -> int:
        """The id of a canonical token, or -1 when it has no letter."""
        tid = self.tokens.get(token)
        if tid is None:
            tid = len(self.names) if is_usable(token) else -1
            self.tokens[token] = tid
            if tid >= 0:
                self.names.append(token)
        return tid

    def word(self, raw: str, ascii_singles: bool = True) -> tuple:
        """Memoized facts of one word: see _word_info."""
        info = self._words[ascii_singles].get(raw)
        if info is None:
            with self._lock:
                info = self._words[ascii_singles][raw] = self._word_info(raw, ascii_singles)
        return info

    def _word_info(self, raw: str, ascii_singles: bool) -> tuple:
        """(lower-cased, accent state, syllables, token ids, left edge, right edge, reach, (token, surface) pairs)."""
        # Reach: how many syllables past the word a term starting in it may run; the right edge
        # is "" when none can leave the word.
        lower = raw.lower()
        state = NO_LETTERS if not is_usable(lower) else (PLAIN if fold(lower) == lower else MARKED)
        syls = [s for s in lower.split("_") if s]
        starts = self.table.starts
        reach = max((p + starts[s][0] - len(syls) for p, s in enumerate(syls) if s in starts), default=0)
        pairs = [(t, s) for t, s in canonicalize_pairs([lower], self.table, ascii_singles) if is_usable(t)]
        left = syls[0] if syls else EMPTY
        right = syls[-1] if syls and reach > 0 else ""
        return lower, state, len(syls), [self.intern(t) for t, _ in pairs], left, right, reach, pairs

    def field_ids(self, infos: Sequence[tuple], ascii_singles: bool = True) -> list[int]:
        """Usable canonical token ids of one field, given the `word` infos of its words."""
        return self._field(infos, ascii_singles, 0)

    def field_pairs(self, infos: Sequence[tuple], ascii_singles: bool = True) -> list[tuple[str, str]]:
        """(canonical token, surface) pairs of one field's usable tokens, as `canonicalize_pairs` gives."""
        return self._field(infos, ascii_singles, 1)

    def _field(self, infos: Sequence[tuple], ascii_singles: bool, what: int) -> list:
        """Token ids (what=0) or pairs (what=1) of one field."""
        joins = self.joins
        if joins.isdisjoint(zip(map(_RIGHT, infos), map(_LEFT, islice(infos, 1, None)))):
            return list(chain.from_iterable(map(_IDS if what == 0 else _PAIRS, infos)))
        out: list = []
        j, n = 0, len(infos)
        while j < n:
            info = infos[j]
            if j + 1 == n or (info[5], infos[j + 1][4]) not in joins:
                out.extend(info[3] if what == 0 else info[7])
                j += 1
                continue
            j = self._match_from(infos, j, ascii_singles, out, what)
        return out

    def _match_from(self, infos: Sequence[tuple], j: int, ascii_singles: bool, out: list, what: int) -> int:
        """Canonicalize from word j to the next word start and return that word."""
        # Memoized by the words in reach of word j; run on the whole field when a term runs on past them.
        k, got, n = j + 1, 0, len(infos)
        while k < n and got < infos[j][6]:
            got += infos[k][2]
            k += 1
        key = (ascii_singles, k == n, *[infos[x][0] for x in range(j, k)])
        known = self._windows.get(key)
        if known is None:
            with self._lock:
                pairs: list[tuple[str, str]] = []
                nxt = self._run(_flatten(infos, j, k, self.table.max_len), j, ascii_singles, pairs)
                if nxt < 0:
                    pairs = []
                    nxt = self._run(_flatten(infos, j, n, 0), j, ascii_singles, pairs)
                    known = ([self.intern(t) for t, _ in pairs], pairs, nxt - j)
                else:
                    known = self._windows[key] = ([self.intern(t) for t, _ in pairs], pairs, nxt - j)
        out.extend(known[what])
        return j + known[2]

    def _run(self, flat: tuple[list[str], list[int], dict[int, int], int, int], j: int, ascii_singles: bool,
             out: list[tuple[str, str]]) -> int:
        """Syllable-by-syllable canonicalization as `canonicalize_pairs`; -1 when the window is too short."""
        syls, owner, first, safe, end = flat
        i, n, pending = first[j], len(syls), []
        starts = self.table.starts
        while i < n:
            if owner[i] > j and i == first[owner[i]]:
                return owner[i]
            if i >= safe:
                return -1
            hit = _match_at(syls, owner, i, self.table, ascii_singles) if syls[i] in starts else None
            if hit:
                if pending:
                    _emit(pending, out)
                    pending = []
                _emit([hit[1]], out, " ".join(syls[i:i + hit[0]]))
                i += hit[0]
                continue
            pending.append(syls[i])
            if i + 1 == n or owner[i + 1] != owner[i]:
                _emit(pending, out)
                pending = []
            i += 1
        return end


def _emit(parts: list[str], out: list[tuple[str, str]], surface: str | None = None) -> None:
    """Append (token, surface) when the token is usable."""
    token = "_".join(parts)
    if is_usable(token):
        out.append((token, surface if surface is not None else " ".join(parts)))


def _flatten(infos: Sequence[tuple], j: int, k: int, max_len: int
             ) -> tuple[list[str], list[int], dict[int, int], int, int]:
    """Syllables of words j..k-1, their words, each word's first syllable, the safe end, and k."""
    # Safe end: past word j, the first position from which a term could run out of the window.
    syls: list[str] = []
    owner: list[int] = []
    first: dict[int, int] = {}
    for x in range(j, k):
        first[x] = len(syls)
        parts = [s for s in infos[x][0].split("_") if s]
        syls.extend(parts)
        owner.extend([x] * len(parts))
    safe = len(syls) if k == len(infos) else max(first.get(j + 1, len(syls)), len(syls) - max_len + 1)
    return syls, owner, first, safe, k
