"""Helpers for matching tests: tiny documents tokenized with str.split."""
from __future__ import annotations

import pytest

from exchange.matching import EngineConfig, MatchDoc, Tokens, fit
from exchange.text.synonyms import parse_synonyms

TEST_SYNONYMS = parse_synonyms(["lợn\theo", "ngô\tbắp", "bơm nhiệt\theat pump"])
TEST_STOPWORDS = frozenset({"và", "của", "cho", "các", "là"})


def make_doc(key: str, title: str, description: str = "", *, kind: str = "offer", keywords: tuple[str, ...] = (),
             field: str | None = None, **extra) -> MatchDoc:
    """A document whose tokens are the lower-cased words of its text (str.split as tokenizer)."""
    tokens = Tokens(tuple(title.lower().split()), tuple(w for k in keywords for w in k.lower().split()),
                    tuple(description.lower().split()))
    return MatchDoc(key=key, kind=kind, tokens=tokens, field=field, title=title, keywords=keywords, **extra)


def fit_test(docs, config: EngineConfig = EngineConfig(), synonyms=TEST_SYNONYMS):
    """Fit with fixed synonyms and stopwords, independent of the bundled data files."""
    return fit(docs, config, synonyms=synonyms, stopwords=TEST_STOPWORDS, pipeline_version="test")


@pytest.fixture
def filler():
    """Unrelated offers so that idf means something."""
    topics = ["máy cày đất ruộng lúa", "phần mềm quản lý kho hàng", "gạch không nung xi măng",
              "nuôi tôm thẻ chân trắng ao bạt", "sấy cà phê hạt", "lò đốt rác thải y tế",
              "đèn led chiếu sáng đường", "dệt thổ cẩm khung cải tiến"]
    return [make_doc(f"F-{i}", t, t + " quy trình chuyển giao") for i, t in enumerate(topics)]
