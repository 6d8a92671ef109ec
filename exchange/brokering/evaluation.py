"""`exchange evaluate`: import a judged set into a temporary database and score the engine on it."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.orm import Session

from exchange.audit import SystemActor
from exchange.brokering.batch import suggestion_rows
from exchange.db import make_engine, make_session_factory
from exchange.errors import ValidationError
from exchange.listings.importing import prepare_import, read_listing_file, write_rows
from exchange.matching.metrics import score_suggestions
from exchange.reference.data import sync_reference_data
from exchange.schema import upgrade_schema

EVAL_SOURCE = "evaluate"
ACTOR = SystemActor("evaluate")


def _read_qrels(path: Path) -> list[dict[str, Any]]:
    """Judgement lines {"need", "relevant": {offer: grade}}; a bad line is a ValidationError naming it."""
    rows, problems = [], []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row.get("need"), str) or not isinstance(row.get("relevant"), dict):
                    raise ValueError
            except (ValueError, AttributeError):
                problems.append(f"Dòng {number}: cần dạng {{\"need\": \"...\", \"relevant\": {{...}}}}")
                continue
            rows.append(row)
    if problems:
        raise ValidationError(f"Tệp đánh giá {path.name} không hợp lệ.", details=problems)
    return rows


def _import(session: Session, path: Path, progress: Callable[[int], None] | None) -> None:
    prepared = prepare_import(session, read_listing_file(path), source=EVAL_SOURCE, progress=progress)
    write_rows(session, prepared, source=EVAL_SOURCE, publish=True, actor=ACTOR)


def evaluate_files(offers: Path, needs: Path, qrels: Path, *, top_k: int = 10,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """MRR@10, Recall@5, nDCG@10 and abstain-AUC of the engine on a judged set (as score.py defines them)."""
    judgements = _read_qrels(qrels)
    with tempfile.TemporaryDirectory(prefix="exchange-eval-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'evaluate.db'}")
        try:
            upgrade_schema(engine)
            with make_session_factory(engine).begin() as session:
                sync_reference_data(session)
                _import(session, offers, progress)
                _import(session, needs, progress)
                rows = suggestion_rows(session, top_k=top_k)
        finally:
            engine.dispose()
    return score_suggestions(judgements, rows)
