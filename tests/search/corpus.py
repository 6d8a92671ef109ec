"""A generated corpus of a few thousand listings for the search tests.

Titles and sentences of the demo listings and of the bundled background text are
segmented once and recombined, as bench/search does with the dev set, so that
common words match hundreds of documents (the case where a top-k collector that
prunes would drop some). Reproducible for a seed; needs nothing outside the repository.
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from exchange.search import SearchDocument
from exchange.text import FieldTokens, fold, segment, stopwords

ROOT = Path(__file__).resolve().parents[2]
DEMO_LISTINGS = ROOT / "fixtures" / "demo" / "listings.jsonl"
BACKGROUND = ROOT / "exchange" / "text" / "data" / "background.txt"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+")
KINDS = ("offer", "need")
FIELDS = ("nong-nghiep", "thuy-san", "cong-nghiep", "moi-truong")
LOCALITIES = ("dien-ban", "hoi-an", "tam-ky", "nui-thanh")


@dataclass(frozen=True)
class Piece:
    """A display text and its segmented tokens."""

    text: str
    tokens: tuple[str, ...]


def _pieces(texts) -> list[Piece]:
    """Distinct non-empty texts, each segmented once."""
    return [Piece(text, tuple(segment(text))) for text in dict.fromkeys(t.strip() for t in texts) if text]


def load_pieces() -> tuple[list[Piece], list[Piece]]:
    """(titles, sentences) of the demo listings and the background text."""
    rows = [json.loads(line) for line in DEMO_LISTINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = BACKGROUND.read_text(encoding="utf-8").splitlines()
    sentences = [s for text in [r["description"] for r in rows] + paragraphs for s in _SENTENCE_END.split(text)]
    # Background sentences serve as titles too: the demo alone has too few distinct ones.
    titles = [r["title"] for r in rows] + [s for s in sentences if 20 <= len(s) <= 120]
    return _pieces(titles), _pieces(sentences)


def generate(count: int, seed: int = 7) -> list[SearchDocument]:
    """count listings, each a title and 2–5 sentences, with random facets and dates."""
    titles, sentences = load_pieces()
    rng = random.Random(seed)
    docs = []
    for doc_id in range(1, count + 1):
        title = rng.choice(titles)
        body = rng.sample(sentences, rng.randint(2, 5))
        docs.append(SearchDocument(
            doc_type="listing", doc_id=doc_id, kind=rng.choice(KINDS), title=title.text, summary="",
            body=" ".join(p.text for p in body),
            tokens=FieldTokens(title.tokens, (), tuple(t for p in body for t in p.tokens)),
            version=f"v{doc_id}", field=rng.choice(FIELDS), locality=rng.choice(LOCALITIES),
            trl=rng.choice([None, *range(1, 10)]),
            published_at=datetime(2023, 1, 1) + timedelta(minutes=rng.randint(0, 2 * 525_600)),
        ))
    return docs


def common_queries(docs: list[SearchDocument], *, words: int, count: int) -> list[str]:
    """The count most frequent runs of `words` consecutive title words: lower case, none a stopword."""
    stop = stopwords()
    runs: Counter[str] = Counter()
    for doc in docs:
        found = [w.lower() for w in _WORD.findall(doc.title)]
        for start in range(len(found) - words + 1):
            run = found[start:start + words]
            if not any(w in stop or len(w) < 2 for w in run):
                runs[" ".join(run)] += 1
    return [text for text, _ in runs.most_common(count)]


def with_folded(texts: list[str]) -> list[str]:
    """Each text, and its form without diacritics when that differs."""
    out = []
    for text in texts:
        out += [text] if fold(text) == text else [text, fold(text)]
    return out
