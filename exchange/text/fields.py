"""Tokens of a listing's fields, stored once with the listing; bulk segmentation."""

import json
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from exchange.text.segmentation import segment

logger = logging.getLogger(__name__)

FieldsInput = tuple[str, Sequence[str], str]
# Below this many items a second process costs more than it saves (start-up ~0.5 s).
MIN_PARALLEL_ITEMS = 200
CHUNKSIZE = 16
# Keywords are segmented together: underthesea finds compounds (máy_sấy, vườn_ươm) in context
# that it misses in a two-word keyword alone; ";" keeps them apart and is dropped as punctuation.
KEYWORD_SEPARATOR = " ; "


@dataclass(frozen=True)
class FieldTokens:
    """Segmented title, keywords and description of one listing."""

    title: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    description: tuple[str, ...] = ()

    def all_tokens(self) -> tuple[str, ...]:
        """Title, keyword and description tokens in that order."""
        return self.title + self.keywords + self.description

    def to_json(self) -> str:
        """Compact JSON text for a database column: each field's tokens joined by spaces."""
        fields = {"title": self.title, "keywords": self.keywords, "description": self.description}
        return json.dumps({k: " ".join(v) for k, v in fields.items()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "FieldTokens":
        """Inverse of `to_json`."""
        data = json.loads(text)
        return cls(*(tuple(data.get(k, "").split()) for k in ("title", "keywords", "description")))


def tokenize_fields(title: str, keywords: Sequence[str], description: str) -> FieldTokens:
    """Segment a listing's fields; keywords jointly, as one " ; "-separated text (better compounds)."""
    joined = KEYWORD_SEPARATOR.join(k for k in keywords or () if k and k.strip())
    return FieldTokens(tuple(segment(title or "")), tuple(segment(joined)), tuple(segment(description or "")))


def _tokenize_item(item: FieldsInput) -> FieldTokens:
    """Pool worker: tokenize one (title, keywords, description) tuple."""
    return tokenize_fields(*item)


def tokenize_many(
    items: Sequence[FieldsInput],
    processes: int = 2,
    progress: Callable[[int], None] | None = None,
) -> list[FieldTokens]:
    """Tokenize many listings, on `processes` worker processes when the batch is large."""
    items = list(items)
    if processes <= 1 or len(items) < MIN_PARALLEL_ITEMS:
        return _collect(map(_tokenize_item, items), progress)
    logger.info("segmenting %d listings on %d processes", len(items), processes)
    with _context().Pool(processes) as pool:
        return _collect(pool.imap(_tokenize_item, items, chunksize=CHUNKSIZE), progress)


def _collect(results, progress: Callable[[int], None] | None) -> list[FieldTokens]:
    """Drain an iterator of results, reporting how many are done."""
    collected = []
    for done, result in enumerate(results, 1):
        collected.append(result)
        if progress is not None:
            progress(done)
    return collected


def _context():
    """fork where available: workers inherit the loaded model instead of re-importing it."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
