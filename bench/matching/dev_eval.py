"""Dev-set quality of the matching engine next to the baselines.

Usage: python bench/matching/dev_eval.py OFFERS NEEDS QRELS [--json] [--write SUGGESTIONS]
Tokens are cached under bench/out/, keyed by the text PIPELINE_VERSION and the input files.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from exchange.matching.evaluation import evaluate_listings, tokenize_records
from exchange.matching.metrics import score_suggestions
from exchange.text import PIPELINE_VERSION, FieldTokens

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
BATCHES = {"batch 1": [f"DN-{i:03d}" for i in range(1, 46)], "batch 2": [f"DN-{i:03d}" for i in range(46, 81)]}
METRICS = ("MRR@10", "Recall@5", "nDCG@10", "abstain-AUC")


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cached_tokenizer(paths: list[Path]):
    """A tokenize function backed by a cache file for these inputs and this pipeline version."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:12]
    cache = OUT / f"dev-tokens-{PIPELINE_VERSION}-{digest}.jsonl"

    def tokenize(records):
        if cache.exists():
            lines = cache.read_text(encoding="utf-8").splitlines()
            if len(lines) == len(records):
                return [FieldTokens.from_json(line) for line in lines]
        tokens = tokenize_records(records)
        OUT.mkdir(parents=True, exist_ok=True)
        cache.write_text("\n".join(t.to_json() for t in tokens) + "\n", encoding="utf-8")
        return tokens
    return tokenize


def baseline(kind: str, offers: Path, needs: Path, qrels: list[dict]) -> dict:
    """Scores of one baseline of shared/eval/baselines.py, whole set and per batch."""
    out = subprocess.run([sys.executable, str(SHARED_EVAL / "baselines.py"), kind, str(offers), str(needs)],
                         check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    result = {"all": score_suggestions(qrels, rows)}
    for name, refs in BATCHES.items():
        result[name] = score_suggestions([q for q in qrels if q["need"] in set(refs)], rows)
    return result


def table(results: dict[str, dict]) -> str:
    """A Markdown table: ranker × batch → metrics."""
    lines = ["| ranker | needs | answerable | " + " | ".join(METRICS) + " |", "|---" * (3 + len(METRICS)) + "|"]
    for ranker, res in results.items():
        for part in ("all", *BATCHES):
            m = res[part]
            cells = " | ".join(f"{m[k]:.3f}" if m[k] is not None else "-" for k in METRICS)
            lines.append(f"| {ranker} | {part} | {m['answerable']} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the engine and the baselines on the dev set and print the table."""
    args = [a for a in argv if not a.startswith("--")]
    offers_path, needs_path, qrels_path = (Path(a) for a in args[:3])
    offers, needs, qrels = read_jsonl(offers_path), read_jsonl(needs_path), read_jsonl(qrels_path)
    tokenize = cached_tokenizer([offers_path, needs_path])
    engine = evaluate_listings(offers, needs, qrels, tokenize=tokenize, batches=BATCHES)
    if "--write" in argv:
        target = Path(args[3])
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in engine["suggestions"]), encoding="utf-8")
    results = {"engine": engine}
    if "--no-baselines" not in argv:
        results.update({k: baseline(k, offers_path, needs_path, qrels) for k in ("plain", "strong")})
    if "--json" in argv:
        print(json.dumps({k: {p: v[p] for p in ("all", *BATCHES)} for k, v in results.items()}))
    else:
        print(f"model {engine['model_version']}")
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
