"""Speed and memory of the matching engine on synthetic listings.

Usage: python bench/matching/speed.py [--unaccented SHARE] [N ...]   (default: 5000 100000, share 0)
Listings are made by recombining the tokenized titles, keywords and description pieces of
shared/eval/dev and fixtures/demo (tokenized once and cached under bench/out/), so no
synthetic document is re-segmented. For each N: fit time, save and load time of the model file,
single-query top-10 p50/p95, suggestions for up to 10,000 needs against the offers (time), peak
RSS of this process and of its children (fit and batch ranking fork one process for large corpora;
its RSS counts the pages it shares with this one, so the batch child's private memory is sampled
too: peak total ≈ this process's peak + that), load average.
--unaccented 0.1 folds every tenth synthetic listing (typed without diacritics: the engine
restores its accents while fitting and ranking).
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
import random
import tempfile
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_eval import cached_tokenizer, read_jsonl  # noqa: E402

from exchange.matching import MatchDoc, Tokens, fit  # noqa: E402
from exchange.matching.persist import load, save  # noqa: E402
from exchange.text import fold  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT.parent / "shared/eval/dev/offers.jsonl", ROOT.parent / "shared/eval/dev/needs.jsonl",
           ROOT / "fixtures/demo/listings.jsonl"]
FIELDS = ["nong-nghiep", "thuy-san", "che-bien-thuc-pham", "moi-truong", "nang-luong", "co-khi-tu-dong-hoa"]
PIECE = 12


def source_tokens() -> list[Tokens]:
    """Tokens of every real listing available (cached)."""
    paths = [p for p in SOURCES if p.exists()]
    records = [r for p in paths for r in read_jsonl(p) if r.get("title")]
    return list(cached_tokenizer(paths)(records))


def synthesize(parts: list[Tokens], n: int, kind: str, rng: random.Random) -> list[MatchDoc]:
    """n documents recombined from title, keyword and description pieces of real ones."""
    pieces = [p.description[i:i + PIECE] for p in parts for i in range(0, len(p.description), PIECE)]
    docs = []
    for i in range(n):
        a, b = rng.choice(parts), rng.choice(parts)
        title = a.title[: len(a.title) // 2 + 1] + b.title[len(b.title) // 2 + 1:]
        description = tuple(t for _ in range(rng.randint(3, 6)) for t in rng.choice(pieces))
        docs.append(MatchDoc(key=f"{kind[0].upper()}-{i}", kind=kind, tokens=Tokens(title, a.keywords, description),
                             field=rng.choice(FIELDS), title=" ".join(title)))
    return docs


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or of its largest waited-for child) so far, in MB."""
    return resource.getrusage(who).ru_maxrss / 1024


class ChildMemory:
    """Samples, while in a `with` block, the private memory of this process's children (forked
    workers share the model's pages with it: their RSS counts those pages twice), and this
    process's resident memory plus theirs at the same moment."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak_kb, self.total_kb, self._stop = every, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "ChildMemory":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            children = sum(private_kb(child.pid) for child in multiprocessing.active_children())
            self.peak_kb = max(self.peak_kb, children)
            self.total_kb = max(self.total_kb, resident_kb() + children)


def resident_kb() -> int:
    """This process's resident memory now, in kB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)


def private_kb(pid: int | None) -> int:
    """Private (unshared) resident memory of a process, in kB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            return sum(int(line.split()[1]) for line in fh if line.startswith(("Private_Clean", "Private_Dirty")))
    except (OSError, ValueError):
        return 0


def timed(step, *args) -> tuple[object, float]:
    """The result of step(*args) and the seconds it took."""
    started = time.perf_counter()
    result = step(*args)
    return result, time.perf_counter() - started


def without_diacritics(doc: MatchDoc) -> MatchDoc:
    """The document as typed without diacritics."""
    t = doc.tokens
    tokens = Tokens(*(tuple(fold(w) for w in part) for part in (t.title, t.keywords, t.description)))
    return MatchDoc(key=doc.key, kind=doc.kind, tokens=tokens, field=doc.field, title=fold(doc.title))


def measure(n: int, parts: list[Tokens], unaccented: float = 0.0) -> dict:
    """Fit on n offers + min(n/10, 10k) needs, save and reload; time single and batch ranking."""
    rng = random.Random(n)
    offers = synthesize(parts, n, "offer", rng)
    needs = synthesize(parts, min(n // 10, 10_000), "need", rng)
    if unaccented:
        every = round(1 / unaccented)
        offers, needs = ([without_diacritics(d) if i % every == 0 else d for i, d in enumerate(docs)]
                         for docs in (offers, needs))
    started = time.perf_counter()
    model = fit(offers + needs)
    fit_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.zip")
        _, save_s = timed(save, model, path)
        del model  # as in the app: the process ranks with the model it loaded
        gc.collect()
        model, load_s = timed(load, path)
    single = []
    for need in needs[:200]:
        t = time.perf_counter()
        model.rank(need, "offer", 10)
        single.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    with ChildMemory() as child_memory:
        count = sum(len(r) for r in model.rank_many(needs, "offer", 10))
    batch_s = time.perf_counter() - t
    return {"offers": n, "needs": len(needs), "unaccented": unaccented, "fit_s": round(fit_s, 2),
            "save_s": round(save_s, 2), "load_s": round(load_s, 2),
            "single_p50_ms": round(float(np.percentile(single, 50)), 1),
            "single_p95_ms": round(float(np.percentile(single, 95)), 1),
            "batch_s": round(batch_s, 1), "suggestions": count, "peak_rss_mb": round(peak_rss_mb()),
            "child_peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN)),
            "batch_child_private_mb": round(child_memory.peak_kb / 1024),
            "batch_total_mb": round(child_memory.total_kb / 1024),
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def main(argv: list[str]) -> int:
    """Measure each requested size and print one JSON line per size."""
    unaccented = 0.0
    if "--unaccented" in argv:
        at = argv.index("--unaccented")
        unaccented = float(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    parts = source_tokens()
    for n in [int(a) for a in argv] or [5000, 100_000]:
        print(json.dumps(measure(n, parts, unaccented)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
