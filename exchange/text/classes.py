"""Classes of alternative objects (data/classes.tsv): species, crops, materials, machine kinds, ...

One line of the file is one class: its name (a word covering every member, such as
"gia cầm"), then its members, separated by tabs. Members are alternatives of one another:
an offer about "ốc hương" does not answer a need about "cá chình". Terms are canonicalized
through the synonym table, so "heo" finds the member "lợn".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from exchange.text.synonyms import SynonymTable, _fold, canonicalize_pairs, line_terms, load_synonyms

DATA_FILE = Path(__file__).resolve().parent / "data" / "classes.tsv"
# Member number of a class's own name.
CLASS_NAME = 0
# Words after which a text names what it wants to replace or give up, and the words that end it.
REPLACE_MARKERS = (("thay", "thế"), ("thay", "cho"), ("thay", "vì"), ("bỏ",), ("không", "dùng"),
                   ("hạn", "chế"), ("giảm",), ("thay", "the"), ("khong", "dung"), ("han", "che"))
REPLACED_ENDS = frozenset({"bằng", "sang", "để", "mà", "nhưng", "thành", "bang", "de", "ma", "nhung", "thanh"})
REPLACED_WORDS = 4
_MARKER_ENDS = frozenset(m[-1] for m in REPLACE_MARKERS)
# A line starting so opens a section of the file; when it ends with FAMILY, the members of all
# its classes are alternatives of one another too (any plant against any other plant).
SECTION = "# ----"
FAMILY = "(family)"


@dataclass(frozen=True)
class ClassTable:
    """Term syllables (exact, and folded when they have several) → (class number, member number)."""

    lines: tuple[tuple[str, ...], ...]
    exact: dict[tuple[str, ...], tuple[int, int]]
    folded: dict[tuple[str, ...], tuple[int, int]]
    # Per class, the number of its family (the "# ---- ... ----" section of the file it is in).
    families: tuple[int, ...] = ()
    # First syllable of a term (exact or folded) → the length of the longest term starting with it,
    # and every beginning of a term (a span that is none can be extended no further).
    starts: dict[str, int] = field(default_factory=dict, compare=False)
    prefixes: set[tuple[str, ...]] = field(default_factory=set, compare=False)

    def __post_init__(self) -> None:
        """Index terms by their first syllable and their beginnings."""
        for key in (*self.exact, *self.folded):
            self.starts[key[0]] = max(self.starts.get(key[0], 0), len(key))
            self.prefixes.update(key[:n] for n in range(1, len(key) + 1))

    def __hash__(self) -> int:
        return hash(self.lines)

    def terms(self, tokens: Sequence[str]) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
        """(named, mentioned) (class, member) pairs of the tokens ("_"-joined syllables), in one pass.

        Named: longest match first, one-syllable terms only as whole words. Mentioned: every term
        anywhere, inside longer terms and words too ("lúa" in "lúa_giống"), the widest reading of
        what a text may be about.

        What the text says it wants to replace or give up ("thay thế túi nilon", "bỏ thuốc trừ
        sâu") is mentioned but not named: the listing is not about it.
        """
        spans = self._spans(tokens)
        replaced = replaced_syllables(tokens) if spans else set()
        named: set[tuple[int, int]] = set()
        end = 0
        for start, stop, hit, whole in sorted(spans, key=lambda x: (x[0], x[0] - x[1])):
            if whole and start >= end:
                if start not in replaced:
                    named.add(hit)
                end = stop
        return frozenset(named), frozenset(hit for _, _, hit, _ in spans)

    def _spans(self, tokens: Sequence[str]) -> list[tuple[int, int, tuple[int, int], bool]]:
        """(start, end, hit, whole) of every term; `whole` is False for a one-syllable term inside a
        longer word ("nghệ" in "công_nghệ"). Folded spellings only for spans typed without
        diacritics, as the synonym table does."""
        syls, owner = [], []
        for number, token in enumerate(tokens):
            parts = [s for s in token.split("_") if s]
            syls.extend(parts)
            owner.extend([number] * len(parts))
        spans: list[tuple[int, int, tuple[int, int], bool]] = []
        n, starts = len(syls), self.starts
        # Most syllables start no term: find the few that do in one pass.
        for i in [i for i, first in enumerate(syls) if first in starts]:
            reach = starts[syls[i]]
            for size in range(1, min(reach, n - i) + 1):
                span = tuple(syls[i:i + size])
                if span not in self.prefixes:
                    break
                if size == 1:
                    hit = self.exact.get(span)
                    whole = (i == 0 or owner[i - 1] != owner[i]) and (i + 1 == n or owner[i + 1] != owner[i])
                else:
                    hit = self.exact.get(span) or (self.folded.get(span) if all(x.isascii() for x in span) else None)
                    whole = True
                if hit:
                    spans.append((i, i + size, hit, whole))
        return spans


def replaced_syllables(tokens: Sequence[str]) -> set[int]:
    """Syllable positions inside what a text wants to replace or give up: the words after
    "thay thế", "thay cho", "thay vì", "bỏ", "không dùng", "hạn chế", "giảm", up to
    REPLACED_WORDS words or a word that starts what comes instead ("bằng", "sang", ...)."""
    if _MARKER_ENDS.isdisjoint(token.rsplit("_", 1)[-1].lower() for token in tokens):
        return set()
    syls = [s for token in tokens for s in token.split("_") if s]
    words = [[s for s in token.split("_") if s] for token in tokens]
    out: set[int] = set()
    at = 0
    for number, word in enumerate(words):
        at += len(word)
        if not word or word[-1].lower() not in _MARKER_ENDS:
            continue
        tail = tuple(s.lower() for s in syls[max(0, at - 2):at])
        if not any(tail[-len(m):] == m for m in REPLACE_MARKERS):
            continue
        position = at
        for follower in words[number + 1:number + 1 + REPLACED_WORDS]:
            if len(follower) == 1 and follower[0].lower() in REPLACED_ENDS:
                break
            out.update(range(position, position + len(follower)))
            position += len(follower)
    return out


def _canonical(term: tuple[str, ...], synonyms: SynonymTable) -> set[tuple[str, ...]]:
    """Syllables of a term after synonym canonicalization, segmented as one word or as one word per syllable.

    Documents come segmented either way ("máy_gặt" or "máy" "gặt"), and one-syllable synonyms
    apply only to whole words, so both readings are kept.
    """
    readings = (["_".join(term)], list(term))
    return {tuple(s for token, _ in canonicalize_pairs(words, synonyms) for s in token.split("_") if s)
            for words in readings}


def parse_classes(lines: Iterable[str], synonyms: SynonymTable) -> ClassTable:
    """Build a table from the lines of a classes file; a term already seen keeps its first class."""
    kept: list[tuple[str, ...]] = []
    families: list[int] = []
    grouped, family = False, None
    exact: dict[tuple[str, ...], tuple[int, int]] = {}
    folded: dict[tuple[str, ...], tuple[int, int]] = {}
    for line in lines:
        if line.startswith(SECTION):
            grouped, family = line.rstrip().endswith(FAMILY), None
            continue
        terms = line_terms(line)
        if len(terms) < 3:
            continue
        number = len(kept)
        kept.append(tuple(" ".join(t) for t in terms))
        if not grouped or family is None:
            family = number
        families.append(family)
        for member, term in enumerate(terms):
            for key in _canonical(term, synonyms):
                exact.setdefault(key, (number, member))
                if len(key) > 1:
                    folded.setdefault(tuple(_fold(s) for s in key), (number, member))
    return ClassTable(tuple(kept), exact, folded, tuple(families))


@lru_cache(maxsize=4)
def load_classes(path: str | None = None, synonyms: SynonymTable | None = None) -> ClassTable:
    """The class table of `path` (default: the bundled data file), canonicalized by `synonyms`."""
    file = Path(path) if path else DATA_FILE
    text = file.read_text(encoding="utf-8") if file.is_file() else ""
    return parse_classes(text.splitlines(), synonyms if synonyms is not None else load_synonyms())


def conflicts(table: ClassTable, query: frozenset[tuple[int, int]], named: frozenset[tuple[int, int]],
              mentioned: frozenset[tuple[int, int]]) -> frozenset[int]:
    """Families where the query names members and a document names only other members of them.

    `query`: what the query's title and keywords name; `named`: what the document's title and
    keywords name; `mentioned`: every term anywhere in the whole document. The document is on
    topic when it mentions one of the query's members, the name of one of their classes, or
    anything of a class the query names by its name.
    """
    family = table.families
    general = {c for c, m in query if m == CLASS_NAME}
    out = set()
    for number in {family[c] for c, m in query if m != CLASS_NAME}:
        wanted = {(c, m) for c, m in query if family[c] == number and m != CLASS_NAME}
        offered = {(c, m) for c, m in named if family[c] == number and m != CLASS_NAME}
        on_topic = wanted | {(c, CLASS_NAME) for c, _ in wanted}
        if offered and not on_topic & mentioned and not any(c in general for c, _ in mentioned):
            out.add(number)
    return frozenset(out)
