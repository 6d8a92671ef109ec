"""Confidence that a suggestion answers the query: does it mention the things the query's title names
and what the need asks for, and is it not about another thing of the same kind?

A need's title names the objects it is about (nouns: the fish species, the nut, the
tyre) and the process it wants done to them. An offer that shares the process but not
the object (a peanut sheller for a cashew sheller) is lexically close yet no answer.
The nouns of the query's title and keywords are found with underthesea's CRF
part-of-speech tagger, run on the cached tokens, and the idf-weighted share of them
that a candidate mentions scales its calibrated score between `EngineConfig.noun_floor` and 1.

A need's title also says what it asks for: the words after a request verb ("..., cần cách kè
bờ rẻ mà bền", "Tìm máy quay mật ong inox"). An offer that shares the need's setting (the
river, the bees) but none of what it asks for is no answer either: the idf-weighted share of
the request clause's words the candidate mentions scales its score between
`EngineConfig.request_floor` and 1.

A candidate whose title names another member of a class of alternatives the query's title names
(ốc hương for cá chình, máy cấy for máy gặt), and that mentions none of the query's members
anywhere, keeps `EngineConfig.conflict_factor` of its score (classes: exchange/text/classes.py).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from exchange.text.classes import CLASS_NAME, conflicts
from exchange.text.synonyms import canonicalize_pairs

from exchange.matching.accents import fold, is_usable
from exchange.matching.explain import telling_idf
from exchange.matching.features import doc_fields
from exchange.matching.rowtext import row_facts, text_facts
from exchange.matching.types import MatchDoc

if TYPE_CHECKING:
    from exchange.matching.model import MatchModel

# Tags of the VLSP tag set that name things: common, proper, abbreviated and borrowed nouns.
NOUN_TAGS = frozenset({"N", "Np", "Ny", "Nb"})
# Titles are 5-20 words; the tagger's cost grows faster than linearly, so longer ones are cut.
MAX_TAGGED_WORDS = 64
# Fields whose nouns count: the title, and the keywords (mostly noun phrases naming the objects).
NOUN_FIELDS = 2
# A suggestion that mentions less than this share of a need's request says which of its nouns it
# leaves out (at most MAX_UNASKED, the rarest first).
UNASKED_SHARE = 0.5
MAX_UNASKED = 3
# Per conflicting family: the query's members and the document's other members.
Conflict = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
# Words by which a need's title starts saying what it asks for (compounds as the segmenter joins them).
REQUEST_CUES = frozenset({"cần", "tìm", "muốn", "mong", "mong_muốn", "cần_tìm", "tìm_kiếm", "tìm_mua",
                          "cần_mua", "đặt_hàng", "nhờ", "xin"})
# Words that only frame a request ("cần cách ...", "tìm giải pháp ..."): what follows them is asked for.
REQUEST_FRAMES = frozenset({"cách", "cách_thức", "cách_làm", "giải_pháp", "biện_pháp", "phương_pháp", "phương_án"})
# A cue right after one of these asks for nothing ("không cần hun trùng").
NEGATIONS = frozenset({"không", "chẳng", "chả", "chưa", "đừng", "khỏi"})


@dataclass(frozen=True)
class Term:
    """A canonical term of the query: its idf weight, its 'w' column and its folded 'f' columns."""

    weight: float
    word_col: int | None
    syllable_cols: tuple[int | None, ...]
    surface: str = ""
    noun: bool = False


@dataclass(frozen=True)
class Doubt:
    """The share of its score a suggestion keeps, and why it loses the rest."""

    factor: float = 1.0
    conflict: Conflict = ()
    # What the need asks for and the suggestion never mentions, spelt as in the need.
    unasked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wanted:
    """What a query is about: the nouns of its title and keywords, and the words of its request clause."""

    nouns: tuple[Term, ...]
    request: tuple[Term, ...]


_PREDICTOR_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _predictor():
    """underthesea's CRF part-of-speech tagger (bundled model, offline), loaded once under a lock.

    Like word_tokenize, underthesea loads the model without a lock; web workers may rank in threads.
    """
    with _PREDICTOR_LOCK:
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor
        predictor = CRFPOSTagPredictor.Instance()
        predictor.predict(["khởi", "động"])
        return predictor


@lru_cache(maxsize=8192)
def pos_tags(words: tuple[str, ...]) -> tuple[str, ...]:
    """One VLSP part-of-speech tag per already-segmented word ("_" compounds)."""
    if not words:
        return ()
    return tuple(tag for _word, tag in _predictor().predict([w.replace("_", " ") for w in words]))


def _noun_syllables(words: Sequence[str]) -> list[bool]:
    """For each syllable of the words (as the synonym table splits them), whether its word is a noun."""
    flags = []
    for word, tag in zip(words, pos_tags(tuple(words[:MAX_TAGGED_WORDS]))):
        flags.extend([tag in NOUN_TAGS] * sum(1 for s in word.split("_") if s))
    return flags


def wanted_terms(model: "MatchModel", query: MatchDoc) -> Wanted:
    """The canonical nouns of the query's title and keywords, and (for a need) the words of its
    title's request clause; stopwords dropped."""
    fields, restored = doc_fields(query, model.accent_map)
    nouns: dict[str, Term] = {}
    request: dict[str, Term] = {}
    for number, words in enumerate(fields[:NOUN_FIELDS]):
        flags, at = _noun_syllables(words), 0
        asking, previous = False, ""
        for token, surface in canonicalize_pairs(words, model.synonyms, not restored):
            n, spelt = len(surface.split()), surface.replace(" ", "_")
            usable = token not in model.stopwords and is_usable(token)
            noun = any(flags[at:at + n])
            if usable and noun and token not in nouns:
                nouns[token] = _term(model, token, surface, noun)
            if usable and asking and token not in request and spelt not in REQUEST_FRAMES:
                request[token] = _term(model, token, surface, noun)
            if number == 0 and query.kind == "need" and spelt in REQUEST_CUES and previous not in NEGATIONS:
                asking = True
            at, previous = at + n, spelt
    return Wanted(tuple(nouns.values()), tuple(request.values()))


def _term(model: "MatchModel", token: str, surface: str = "", noun: bool = False) -> Term:
    """Weight and columns of one canonical token."""
    ws, fs = model.space.of("w"), model.space.of("f")
    col = ws.vocab.get(token)
    weight = float(ws.idf[col]) if col is not None else ws.unseen_idf
    syllables = [fold(s) for s in token.split("_") if s]
    fcols = tuple(fs.offset + fs.vocab[s] if s in fs.vocab else None for s in syllables)
    return Term(weight, None if col is None else ws.offset + col, fcols, surface, noun)


def _columns(model: "MatchModel", row: int) -> set[int]:
    """The columns of a fitted document's TF-IDF row."""
    return set(model.full.indices[model.full.indptr[row]:model.full.indptr[row + 1]].tolist())


def _mentions(term: Term, present: set[int]) -> bool:
    """Whether a document with these columns mentions the term (as a word, or all its folded syllables)."""
    return term.word_col in present or bool(term.syllable_cols) and all(
        c is not None and c in present for c in term.syllable_cols)


def _share(terms: Sequence[Term], present: set[int]) -> float:
    """Idf-weighted share of the terms mentioned; 1 without terms."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if _mentions(t, present)) / total if total else 1.0


def class_conflicts(model: "MatchModel", query: MatchDoc, rows: Sequence[int]) -> list[Conflict]:
    """Per row: what the query names and what the document names instead, in the families where they
    conflict (another species, crop, material, machine kind: classes.tsv); () when they do not."""
    if not rows or not model.classes.exact or model.config.conflict_factor >= 1.0:
        return [() for _ in rows]
    wanted = text_facts(model, query).named
    if not wanted:
        return [() for _ in rows]
    out = []
    for row in rows:
        facts = row_facts(model, row)
        named, mentioned = facts.named, facts.mentioned
        families = conflicts(model.classes, wanted, named, mentioned)
        out.append(tuple((_names(model, wanted, f), _names(model, named, f)) for f in sorted(families)))
    return out


def _names(model: "MatchModel", terms: frozenset, family: int) -> tuple[str, ...]:
    """The members of one family among the terms, as the classes file spells them."""
    table = model.classes
    return tuple(sorted(table.lines[c][m] for c, m in terms if table.families[c] == family and m != CLASS_NAME))


def doubts(model: "MatchModel", query: MatchDoc, rows: Sequence[int]) -> list[Doubt]:
    """Per row: floor + (1 - floor) × coverage of the query title's nouns, times the same of a need's
    request (EngineConfig.noun_floor, request_floor), times conflict_factor when it is about another
    member of a class the query names; with the conflict and the request words it leaves out."""
    cfg = model.config
    if not rows:
        return []
    conflicted = class_conflicts(model, query, rows)
    wanted, telling = wanted_terms(model, query), telling_idf(model)
    out = []
    for row, conflict in zip(rows, conflicted):
        present = _columns(model, row)
        asked = _share(wanted.request, present)
        factor = _scale(cfg.noun_floor, _share(wanted.nouns, present)) * _scale(cfg.request_floor, asked)
        unasked = ()
        if asked < UNASKED_SHARE:
            missing = sorted((t for t in wanted.request if t.noun and t.weight >= telling and not _mentions(t, present)),
                             key=lambda t: -t.weight)
            unasked = tuple(t.surface for t in missing[:MAX_UNASKED])
        out.append(Doubt(factor * (cfg.conflict_factor if conflict else 1.0), conflict, unasked))
    return out


def _scale(floor: float, share: float) -> float:
    """floor + (1 - floor) × share."""
    return floor + (1.0 - floor) * share
