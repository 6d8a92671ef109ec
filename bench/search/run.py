"""Search bench: segmentation rate, index build time and query latency at N documents.

    .venv/bin/python bench/search/run.py --docs 20000 --queries 300
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus import build_pool, generate, load_rows, queries

from exchange.search import SearchQuery, open_backend, rebuild
from exchange.text import tokenize_fields

MODES = {
    "bare": {},
    "facets": {"facets": True},
    "highlight": {"highlight": True},
    "request": {"facets": True, "highlight": True},
}


def segmentation_rate(rows: list[dict]) -> float:
    """Whole listings segmented per second, one process."""
    tokenize_fields(rows[0]["title"], [], rows[0]["description"])  # load the model first
    start = time.perf_counter()
    for row in rows:
        tokenize_fields(row["title"], row.get("keywords") or [], row["description"])
    return len(rows) / (time.perf_counter() - start)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def latencies(backend, texts: list[str], options: dict) -> dict[str, float]:
    """p50/p95/max in ms of one query mode over every text."""
    times = []
    for text in texts:
        start = time.perf_counter()
        backend.search(SearchQuery(text=text, per_page=20, **options))
        times.append((time.perf_counter() - start) * 1000)
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times)}


def build(base: Path, pool, count: int, procs: int) -> float:
    """Seconds to rebuild an index of count synthetic listings (segmentation excluded)."""
    start = time.perf_counter()
    rebuild(base, generate(pool, count), procs=procs)
    return time.perf_counter() - start


def main() -> None:
    """Run the bench and print one JSON object."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    report = {"docs": args.docs, "queries": args.queries, "procs": args.procs}
    report["segment_listings_per_s"] = segmentation_rate(load_rows())
    pool = build_pool()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "search"
        report["build_s"] = build(base, pool, args.docs, args.procs)
        report["index_mb"] = sum(p.stat().st_size for p in base.rglob("*") if p.is_file()) / 1e6
        backend = open_backend(base)
        texts = queries(pool, args.queries)
        latencies(backend, texts[:30], MODES["request"])  # warm-up: caches, segmenter
        report["latency_ms"] = {name: latencies(backend, texts, opts) for name, opts in MODES.items()}
        report["latency_ms"]["browse+facets"] = latencies(backend, [""] * 50, {"facets": True})
        report["mean_total"] = statistics.mean(backend.search(SearchQuery(text=t)).total for t in texts)
        backend.close()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
