"""Helpers for matching tests: tiny documents tokenized with str.split."""
from __future__ import annotations

import pytest

from exchange.matching import EngineConfig, MatchDoc, Tokens, fit
from exchange.text.classes import parse_classes
from exchange.text.synonyms import parse_synonyms

TEST_SYNONYMS = parse_synonyms(["lợn\theo", "ngô\tbắp", "bơm nhiệt\theat pump"])
TEST_STOPWORDS = frozenset({"và", "của", "cho", "các", "là"})
TEST_CLASSES = parse_classes(["thủy sản\tcá chình\tốc hương\ttôm sú", "cây công nghiệp\thạt điều\tlạc\tcà phê",
                              "gia súc\tlợn\tbò\tdê"], TEST_SYNONYMS)


def make_doc(key: str, title: str, description: str = "", *, kind: str = "offer", keywords: tuple[str, ...] = (),
             field: str | None = None, **extra) -> MatchDoc:
    """A document whose tokens are the lower-cased words of its text (str.split as tokenizer)."""
    tokens = Tokens(tuple(title.lower().split()), tuple(w for k in keywords for w in k.lower().split()),
                    tuple(description.lower().split()))
    return MatchDoc(key=key, kind=kind, tokens=tokens, field=field, title=title, keywords=keywords, **extra)


def fit_test(docs, config: EngineConfig = EngineConfig(), synonyms=TEST_SYNONYMS, classes=TEST_CLASSES):
    """Fit with fixed synonyms, stopwords and classes, independent of the bundled data files."""
    return fit(docs, config, synonyms=synonyms, stopwords=TEST_STOPWORDS, pipeline_version="test", classes=classes)


@pytest.fixture
def filler():
    """Unrelated offers so that idf means something."""
    topics = ["máy cày đất ruộng lúa", "phần mềm quản lý kho hàng", "gạch không nung xi măng",
              "nuôi tôm thẻ chân trắng ao bạt", "sấy cà phê hạt", "lò đốt rác thải y tế",
              "đèn led chiếu sáng đường", "dệt thổ cẩm khung cải tiến"]
    return [make_doc(f"F-{i}", t, t + " quy trình chuyển giao") for i, t in enumerate(topics)]
