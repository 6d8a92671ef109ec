"""Fixtures of the search tests: index folders under tmp_path and a document factory."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

import pytest

from exchange.search import SearchDocument, open_backend
from exchange.text import FieldTokens, tokenize_fields

_ids = count(1)
EPOCH = datetime(2024, 1, 1)


def make_doc(title: str = "Tài liệu", description: str = "", keywords: tuple[str, ...] = (), *,
             tokens: FieldTokens | None = None, **overrides) -> SearchDocument:
    """A listing document; tokens are segmented here like the token cache would hold them."""
    doc_id = overrides.pop("doc_id") if "doc_id" in overrides else next(_ids)
    values = {
        "doc_type": "listing",
        "doc_id": doc_id,
        "kind": "offer",
        "title": title,
        "summary": "",
        "body": description,
        "tokens": tokens or tokenize_fields(title, list(keywords), description),
        "version": "v1",
        "published_at": EPOCH + timedelta(days=doc_id),
    }
    values.update(overrides)
    return SearchDocument(**values)


@pytest.fixture
def base_dir(tmp_path):
    """The index base folder of one test."""
    return tmp_path / "search"


@pytest.fixture
def backend(base_dir):
    """An empty live backend."""
    live = open_backend(base_dir)
    yield live
    live.close()
