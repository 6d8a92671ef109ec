"""Several writers at once, in threads and in processes, lose no document."""
from __future__ import annotations

import subprocess
import sys
import threading

from exchange.search import SearchQuery, open_backend
from exchange.text import FieldTokens, segment
from tests.search.conftest import make_doc

WRITERS = 4
DOCS_EACH = 15


def _doc(writer: int, number: int):
    """A small document with ready-made tokens (no segmentation in workers)."""
    doc_id = writer * 1000 + number
    return make_doc("máy gặt", doc_id=doc_id, tokens=FieldTokens(("máy", "gặt"), (), ()))


def _write_many(base_dir, writer: int) -> None:
    """One writer: its own backend, one commit per document."""
    backend = open_backend(base_dir, writer_timeout=60)
    for number in range(DOCS_EACH):
        backend.index([_doc(writer, number)])
        backend.search(SearchQuery(text="máy"))
    backend.close()


def test_concurrent_writer_threads_lose_no_document(base_dir, backend):
    segment("máy")  # load underthesea's model first: its lazy load is not thread-safe
    threads = [threading.Thread(target=_write_many, args=(base_dir, w)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert backend.count() == WRITERS * DOCS_EACH


WORKER = """
import sys
from datetime import datetime
from exchange.search import SearchDocument, SearchQuery, open_backend
from exchange.text import FieldTokens
base_dir, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
backend = open_backend(base_dir, writer_timeout=60)
for number in range(count):
    doc_id = writer * 1000 + number
    tokens = FieldTokens(("máy", "gặt"), (), ())
    backend.index([SearchDocument("listing", doc_id, "máy gặt", "", "", tokens, "v1")])
    backend.count()
"""


def test_concurrent_writer_processes_lose_no_document(base_dir, backend):
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, str(base_dir), str(w), str(DOCS_EACH)])
                 for w in range(WRITERS)]
    assert [p.wait(180) for p in processes] == [0] * WRITERS
    assert backend.count() == WRITERS * DOCS_EACH


def test_threads_share_one_backend_for_reads_and_writes(backend):
    segment("máy")  # load underthesea's model first: its lazy load is not thread-safe
    errors = []

    def work(writer: int):
        try:
            for number in range(DOCS_EACH):
                backend.index([_doc(writer, number)])
                assert backend.search(SearchQuery(text="gặt", per_page=5)).total >= number + 1
        except Exception as error:  # collected and reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and backend.count() == WRITERS * DOCS_EACH
