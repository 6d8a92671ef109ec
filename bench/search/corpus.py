"""Synthetic listings for the search bench: sentences of the dev set recombined.

Titles, sentences and keywords come from shared/eval/dev/*.jsonl (and the demo
fixtures), so length and vocabulary match real listings. Each distinct piece is
segmented once and the tokens are recombined, as the token cache would hold them.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from exchange.search import SearchDocument
from exchange.text import FieldTokens, fold, segment

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [Path("/work/shared/eval/dev/offers.jsonl"), Path("/work/shared/eval/dev/needs.jsonl"),
           ROOT / "fixtures/demo/listings.jsonl"]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
PRODUCT_TYPES = ["technology", "equipment", "ip", "ocop"]


@dataclass(frozen=True)
class Piece:
    """A display text and its segmented tokens."""

    text: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Pool:
    """Everything the generator recombines."""

    rows: list[dict]
    titles: list[Piece]
    sentences: list[Piece]
    keywords: list[Piece]
    fields: list[str]
    localities: list[str]


def load_rows() -> list[dict]:
    """Every listing of the source files that exist."""
    rows = []
    for path in SOURCES:
        if path.exists():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def _pieces(texts) -> list[Piece]:
    """Distinct texts, each segmented once."""
    return [Piece(text, tuple(segment(text))) for text in dict.fromkeys(t for t in texts if t)]


def build_pool() -> Pool:
    """Segment the distinct titles, sentences and keywords of the source rows."""
    rows = load_rows()
    sentences = [s for row in rows for s in _SENTENCE_END.split(row["description"])]
    return Pool(
        rows=rows,
        titles=_pieces(row["title"] for row in rows),
        sentences=_pieces(sentences),
        keywords=_pieces(k for row in rows for k in row.get("keywords") or ()),
        fields=sorted({row["field"] for row in rows if row.get("field")}),
        localities=sorted({fold(row["district"]).replace(" ", "-") for row in rows if row.get("district")}),
    )


def _joined(pieces: list[Piece]) -> tuple[str, tuple[str, ...]]:
    """Display text and tokens of several pieces."""
    return " ".join(p.text for p in pieces), tuple(t for p in pieces for t in p.tokens)


def make_document(pool: Pool, rng: random.Random, doc_id: int) -> SearchDocument:
    """One synthetic listing."""
    title = rng.choice(pool.titles)
    body, body_tokens = _joined(rng.sample(pool.sentences, rng.randint(2, 6)))
    _, keyword_tokens = _joined(rng.sample(pool.keywords, rng.randint(0, 4)))
    return SearchDocument(
        doc_type="listing", doc_id=doc_id, kind=rng.choice(["offer", "need"]), title=title.text,
        summary="", body=body, tokens=FieldTokens(title.tokens, keyword_tokens, body_tokens),
        version=f"v{doc_id}", field=rng.choice(pool.fields), locality=rng.choice(pool.localities),
        product_type=rng.choice(PRODUCT_TYPES), trl=rng.choice([None, *range(1, 10)]),
        published_at=datetime(2023, 1, 1) + timedelta(minutes=rng.randint(0, 3 * 525_600)),
    )


def generate(pool: Pool, count: int, seed: int = 1):
    """count synthetic listings, reproducible for a seed."""
    rng = random.Random(seed)
    for doc_id in range(1, count + 1):
        yield make_document(pool, rng, doc_id)


def queries(pool: Pool, count: int, seed: int = 2) -> list[str]:
    """2–4-word queries cut from titles; every fifth one without diacritics."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        words = re.findall(r"[^\W\d_]+", rng.choice(pool.titles).text)
        size = rng.randint(2, 4)
        if len(words) < size:
            continue
        start = rng.randint(0, len(words) - size)
        text = " ".join(words[start:start + size]).lower()
        out.append(fold(text) if len(out) % 5 == 4 else text)
    return out
