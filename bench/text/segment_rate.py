"""Listings segmented per second: one process, two processes, and raw underthesea.

Usage: .venv/bin/python bench/text/segment_rate.py [--docs 2000] [--dev /work/shared/eval/dev]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from exchange.text import pipeline_version, segment, tokenize_many


def load_items(dev: Path, docs: int) -> list[tuple[str, list[str], str]]:
    """Dev listings as (title, keywords, description), repeated up to `docs` items."""
    records = [json.loads(line) for path in sorted(dev.glob("*.jsonl")) for line in path.open(encoding="utf-8")]
    items = [(r["title"], r.get("keywords", []), r["description"]) for r in records if "title" in r]
    return (items * (docs // len(items) + 1))[:docs]


def rate(run, count: int, repeats: int) -> tuple[float, float]:
    """Best and median items/s of `run()` over `repeats` runs."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - started))
    return max(rates), statistics.median(rates)


def main() -> None:
    """Print the rates as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--dev", type=Path, default=Path("/work/shared/eval/dev"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    items = load_items(args.dev, args.docs)
    chars = sum(len(t) + len(" ".join(k)) + len(d) for t, k, d in items)
    segment("khởi động mô hình")  # load underthesea and its model before timing

    from underthesea import word_tokenize

    raw = lambda: [word_tokenize(f"{t}. {d}", format="text") for t, _, d in items]  # noqa: E731
    rows = [
        ("underthesea word_tokenize only (title + description), 1 process", raw),
        ("tokenize_many, 1 process", lambda: tokenize_many(items, processes=1)),
        ("tokenize_many, 2 processes (incl. pool start)", lambda: tokenize_many(items, processes=2)),
    ]
    print(f"{len(items)} listings, {chars / len(items):.0f} chars each on average; pipeline {pipeline_version()}\n")
    print("| run | listings/s best | median | chars/s median |\n|---|---|---|---|")
    for name, run in rows:
        best, median = rate(run, len(items), args.repeats)
        print(f"| {name} | {best:,.0f} | {median:,.0f} | {median * chars / len(items):,.0f} |")


if __name__ == "__main__":
    main()
