"""Paging a short list the services already bounded (suggestions, experts) into {results, total, page, per_page}."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    results: list[Any]
    total: int
    page: int
    per_page: int


def page_of(items: Sequence[Any], *, page: int, per_page: int) -> Page:
    """The page-th slice of per_page items."""
    start = (page - 1) * per_page
    return Page(list(items[start:start + per_page]), len(items), page, per_page)


def page_number(args: Mapping[str, str]) -> int:
    """The ?page= of a page list (1 when missing or not a sensible number)."""
    raw = args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10**6 else 1
