"""Search bench: segmentation rate, index build time and query latency at N documents.

    .venv/bin/python bench/search/run.py --docs 20000 --queries 300 [--index DIR] [--compare]

--index keeps the built index in DIR and reuses it on the next run with the same --docs
(a 100k Whoosh build takes about 10 minutes). --compare times the app's collector and
Whoosh's own (the code before the completeness fix, which prunes matches) query by query,
alternating which goes first, so both see the same machine load.
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
from exchange.search import facets as facet_counting
from exchange.search import searching
from exchange.text import tokenize_fields

FIXED_COLLECTOR = searching.collector

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


def whoosh_collector(searcher, query: SearchQuery, limit, *, is_browse: bool, filter=None):
    """The collector Whoosh's Searcher.search builds, as the app used it before the fix."""
    options = {"limit": limit, "terms": False, "optimize": False, "filter": filter}
    if query.facets:
        options.update(groupedby=facet_counting.grouped_by(), maptype=facet_counting.MAP_TYPE)
    if is_browse or query.sort == "newest":
        options["sortedby"] = searching.NEWEST_FIRST
    return searcher.collector(**options)


COLLECTORS = {"fixed": FIXED_COLLECTOR, "whoosh": whoosh_collector}


def timed(backend, text: str, options: dict, collector) -> tuple[float, int]:
    """(ms, total) of one search with the given collector."""
    searching.collector = collector
    start = time.perf_counter()
    total = backend.search(SearchQuery(text=text, per_page=20, **options)).total
    return (time.perf_counter() - start) * 1000, total


def summary(times: list[float]) -> dict[str, float]:
    """p50/p95/max of a list of ms."""
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times)}


def latencies(backend, texts: list[str], options: dict, names: list[str]) -> dict[str, dict]:
    """Per collector: p50/p95/max in ms and the mean total of one query mode over every text."""
    times: dict[str, list[float]] = {name: [] for name in names}
    totals: dict[str, list[int]] = {name: [] for name in names}
    for position, text in enumerate(texts):
        order = names if position % 2 == 0 else names[::-1]
        for name in order:
            ms, total = timed(backend, text, options, COLLECTORS[name])
            times[name].append(ms)
            totals[name].append(total)
    report = {name: {**summary(times[name]), "mean_total": statistics.mean(totals[name])} for name in names}
    if len(names) == 2:
        report["queries_with_other_total"] = sum(a != b for a, b in zip(*totals.values()))
    searching.collector = FIXED_COLLECTOR
    return report


def build(base: Path, pool, count: int, procs: int) -> float:
    """Seconds to rebuild an index of count synthetic listings (segmentation excluded)."""
    start = time.perf_counter()
    rebuild(base, generate(pool, count), procs=procs)
    return time.perf_counter() - start


def prepared_index(base: Path, pool, count: int, procs: int, report: dict) -> None:
    """Build the index under base unless a build of the same size is kept there."""
    marker = base / "bench-docs.txt"
    if marker.exists() and marker.read_text() == str(count):
        report["build_s"] = "reused"
    else:
        report["build_s"] = build(base, pool, count, procs)
        marker.write_text(str(count))
    report["index_mb"] = sum(p.stat().st_size for p in base.rglob("*") if p.is_file()) / 1e6


def measure(base: Path, args, pool, report: dict) -> None:
    """Build (or reuse) the index and time every query mode."""
    prepared_index(base, pool, args.docs, args.procs, report)
    names = ["fixed", "whoosh"] if args.compare else ["fixed"]
    backend = open_backend(base)
    texts = queries(pool, args.queries)
    latencies(backend, texts[:30], MODES["request"], names)  # warm-up: caches, segmenter
    report["latency_ms"] = {name: latencies(backend, texts, opts, names) for name, opts in MODES.items()}
    report["latency_ms"]["browse+facets"] = latencies(backend, [""] * 50, {"facets": True}, names)
    backend.close()


def main() -> None:
    """Run the bench and print one JSON object."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--index", type=Path, help="keep and reuse the index in this folder")
    parser.add_argument("--compare", action="store_true", help="time Whoosh's own collector beside the app's")
    args = parser.parse_args()
    report = {"docs": args.docs, "queries": args.queries, "procs": args.procs}
    report["segment_listings_per_s"] = segmentation_rate(load_rows())
    pool = build_pool()
    if args.index:
        args.index.mkdir(parents=True, exist_ok=True)
        measure(args.index, args, pool, report)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            measure(Path(tmp) / "search", args, pool, report)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
