"""score_suggestions agrees with shared/eval/score.py, the reference scorer."""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.matching.metrics import score_suggestions

SCORE_PY = Path(__file__).resolve().parents[2].parent / "shared/eval/score.py"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("shared_eval_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], float) and math.isnan(a[key]):
            assert math.isnan(b[key])
        else:
            assert a[key] == b[key], key


def test_fixed_file_scores_like_score_py(reference):
    qrels, suggestions = read("qrels.jsonl"), read("suggestions.jsonl")
    ours = score_suggestions(qrels, suggestions)
    same(ours, reference.score(qrels, suggestions))
    assert ours["answerable"] == 5 and ours["MRR@10"] == round((1 + 1 / 6 + 1 + 0 + 1) / 5, 4)


def test_fixed_file_values_are_the_known_ones():
    ours = score_suggestions(read("qrels.jsonl"), read("suggestions.jsonl"))
    assert ours["Recall@5"] == round(3 / 5, 4)
    # answerable top-1 scores 0.8, 0.6, 0.3, 0 (missing), 0.6 against unanswerable 0.6 and 0.3
    assert ours["abstain-AUC"] == round(((1 + 0.5 + 0 + 0 + 0.5) + (1 + 1 + 0.5 + 0 + 1)) / 10, 4)


OFFERS = [f"O-{i}" for i in range(8)]
grades = st.dictionaries(st.sampled_from(OFFERS), st.sampled_from([1, 2]), max_size=3)
rankings = st.lists(st.tuples(st.sampled_from(OFFERS), st.floats(0, 1)), max_size=12, unique_by=lambda t: t[0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(grades, rankings, st.booleans()), min_size=1, max_size=6))
def test_random_suggestions_score_like_score_py(reference, cases):
    qrels = [{"need": f"N-{i}", "relevant": g} for i, (g, _, _) in enumerate(cases)]
    suggestions = [{"need": f"N-{i}", "matches": [{"offer": o, "score": s} for o, s in r]}
                   for i, (_, r, present) in enumerate(cases) if present]
    same(score_suggestions(qrels, suggestions), reference.score(qrels, suggestions))
