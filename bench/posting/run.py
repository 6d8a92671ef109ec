"""Posting and moderation timings: what a request costs, what the worker does after it, the file checks.

    .venv/bin/python bench/posting/run.py [--listings N] [--repeat R]

Builds a throwaway SQLite instance with N published listings (the dev set's offers and needs,
repeated with numbered titles), then times, each R times (median, max):
- the approving request (POST /api/listings/<id>/approve) with the queue only recording jobs, i.e.
  what the staff member waits for: no refit in the request;
- the worker's refresh after it (run_pending_refreshes: refit + both directions), what
  "đang cập nhật gợi ý" waits for;
- check_file on a 19 MB PDF, a 12-megapixel JPEG and an XLSX of 5,000 rows.
Numbers go to bench/RESULTS.md by hand, with the machine's load.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "eval" / "dev"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, max(runs) * 1000


def corpus(n: int) -> list[dict[str, Any]]:
    rows = [json.loads(line) for name in ("offers.jsonl", "needs.jsonl")
            for line in (DEV / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        row = dict(rows[i % len(rows)])
        row["ref"] = f"B-{i}"
        row["title"] = f"{row['title']} ({i})" if i >= len(rows) else row["title"]
        row.pop("organization", None)
        out.append(row)
    return out


def files() -> dict[str, bytes]:
    from openpyxl import Workbook
    from PIL import Image

    pdf = b"%PDF-1.7\n" + b"0" * (19 * 1024 * 1024) + b"\n%%EOF\n"
    jpeg = io.BytesIO()
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(jpeg, "JPEG", quality=90)
    book = Workbook()
    for r in range(5000):
        book.active.append([r, f"Máy sấy bơm nhiệt {r}", r * 1000, "Thăng Bình"])
    xlsx = io.BytesIO()
    book.save(xlsx)
    return {"PDF 19 MB": pdf, f"JPEG 12 MP ({len(jpeg.getvalue()) // 1024} KB)": jpeg.getvalue(),
            f"XLSX 5,000 rows ({len(xlsx.getvalue()) // 1024} KB)": xlsx.getvalue()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from exchange.brokering.live import rebuild_suggestions
    from exchange.brokering.pending import run_pending_refreshes
    from exchange.config import Config
    from exchange.listings.files import check_file
    from exchange.listings.importing import prepare_import, write_rows
    from exchange.listings.reading import RawRow
    from exchange.listings.services import create_listing, submit_listing
    from exchange.reference.data import sync_reference_data
    from exchange.schema import upgrade_schema
    from exchange.web.app import create_app
    from tests.support import PASSWORD, SYSTEM, add_person

    folder = Path(tempfile.mkdtemp(prefix="bench-posting-"))
    app = create_app(Config.from_env(environ={}, ENV="test", INSTANCE_DIR=str(folder), QUEUE_URL="immediate"))
    rt = app.extensions["exchange"]
    upgrade_schema(rt.engine)
    with rt.session_factory.begin() as session:
        sync_reference_data(session)
    rows = [RawRow(i + 1, r) for i, r in enumerate(corpus(args.listings))]
    with rt.session_factory.begin() as session:
        write_rows(session, prepare_import(session, rows, source="bench"), source="bench", publish=True, actor=SYSTEM)
    with rt.session_factory.begin() as session:
        rebuild_suggestions(session, rt.models, rt.config.suggestions_top_k)
    member = add_person(rt.session_factory, "enterprise")
    staff = add_person(rt.session_factory, "staff")
    client = app.test_client()
    token = client.post("/api/tokens", json={"email": staff.email, "password": PASSWORD}).get_json()["token"]
    jobs: list[Any] = []
    rt.queue.enqueue = lambda name, *a: jobs.append((name, a))  # type: ignore[method-assign]

    def new_submitted() -> int:
        from exchange.models import User

        with rt.session_factory.begin() as session:
            user = session.get(User, member.id)
            listing = create_listing(session, actor=user, data={
                "kind": "need", "title": "Cần máy sấy lạnh cho mít sấy dẻo",
                "description": "Hợp tác xã sấy mít bằng lò củi, cần máy sấy ít tốn điện, giữ màu vàng."})
            submit_listing(session, actor=user, listing_id=listing.id)
            return listing.id

    approve_ms, refresh_ms = [], []
    for _ in range(args.repeat):
        listing_id = new_submitted()
        start = time.perf_counter()
        response = client.post(f"/api/listings/{listing_id}/approve", headers={"Authorization": f"Bearer {token}"})
        approve_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.get_json()
        start = time.perf_counter()
        report = run_pending_refreshes(rt.session_factory, rt.models, rt.config.suggestions_top_k, None)
        refresh_ms.append((time.perf_counter() - start) * 1000)
        assert report.needs >= 1
    print(f"listings: {args.listings} published")
    print(f"approve request: median {statistics.median(approve_ms):.0f} ms, max {max(approve_ms):.0f} ms "
          f"(jobs queued, not run: {sorted({j[0] for j in jobs})})")
    print(f"worker refresh after it: median {statistics.median(refresh_ms):.0f} ms, max {max(refresh_ms):.0f} ms")
    for name, data in files().items():
        median, worst = timed(lambda: check_file(data), args.repeat)
        print(f"check_file {name}: median {median:.0f} ms, max {worst:.0f} ms")
    rt.close()


if __name__ == "__main__":
    main()
