"""Generations, the CURRENT pointer, SearchUnavailable and rebuilds that keep live changes."""
from __future__ import annotations

import shutil
import threading

import pytest

from exchange.search import RebuildInProgress, SearchQuery, SearchUnavailable, open_backend, rebuild
from exchange.search.generations import BUILDING, CURRENT, GENERATIONS, generation_dir, read_current
from tests.search.conftest import make_doc


def docs(count: int, start: int = 1):
    """Numbered documents about rice machines."""
    return [make_doc(f"Máy gặt lúa số {i}", doc_id=i, tokens=None) for i in range(start, start + count)]


def generations(base_dir) -> list[str]:
    """Generation folders on disk."""
    return sorted(p.name for p in (base_dir / GENERATIONS).iterdir())


def test_open_backend_creates_an_empty_current_generation(base_dir):
    backend = open_backend(base_dir)
    assert generations(base_dir) == [read_current(base_dir)]
    assert backend.count() == 0 and backend.search(SearchQuery(text="máy")).total == 0


def test_rebuild_switches_current_and_deletes_old_generations(base_dir, backend):
    old = read_current(base_dir)
    reported = []
    new = rebuild(base_dir, docs(3), progress=reported.append)
    assert read_current(base_dir) == new != old
    assert generations(base_dir) == [new] and not (base_dir / BUILDING).exists()
    assert backend.count() == 3 and reported[-1] == 3


def test_deleted_index_folder_makes_search_unavailable_until_a_rebuild(base_dir, backend):
    backend.index(docs(2))
    shutil.rmtree(base_dir)
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="máy"))
    rebuild(base_dir, docs(4))
    assert backend.search(SearchQuery(text="máy")).total == 4


def test_deleted_generation_folder_makes_search_unavailable(base_dir, backend):
    backend.search(SearchQuery(text="máy"))
    shutil.rmtree(generation_dir(base_dir, read_current(base_dir)))
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery())
    with pytest.raises(SearchUnavailable):
        backend.count()


def test_garbage_in_the_generation_folder_makes_search_unavailable(base_dir):
    (base_dir / GENERATIONS / "broken").mkdir(parents=True)
    (base_dir / GENERATIONS / "broken" / "_MAIN_1.toc").write_bytes(b"not an index")
    (base_dir / CURRENT).write_text("broken\n")
    with pytest.raises(SearchUnavailable):
        open_backend(base_dir).search(SearchQuery(text="máy"))


def test_writes_while_unavailable_raise_search_unavailable(base_dir, backend):
    shutil.rmtree(generation_dir(base_dir, read_current(base_dir)))
    with pytest.raises(SearchUnavailable):
        backend.index(docs(1))


def test_changes_made_during_a_rebuild_are_in_the_new_generation(base_dir, backend):
    backend.index(docs(1, start=50))

    def source():
        yield from docs(3)
        # The database read is done; meanwhile the web app commits changes.
        backend.index([make_doc("Máy sấy cà phê", doc_id=99)])
        backend.delete([("listing", 2)])
        backend.index([make_doc("Máy gặt lúa đời mới", doc_id=3, version="v2")])

    rebuild(base_dir, source())
    assert backend.versions("listing") == {1: "v1", 3: "v2", 99: "v1"}
    assert backend.search(SearchQuery(text="cà phê")).total == 1


def test_a_change_during_the_rebuild_is_also_visible_before_the_switch(base_dir, backend):
    seen = []

    def source():
        yield from docs(2)
        backend.index([make_doc("Máy sấy cà phê", doc_id=99)])
        seen.append(backend.search(SearchQuery(text="cà phê")).total)

    rebuild(base_dir, source())
    assert seen == [1]


def test_a_clear_during_a_rebuild_empties_the_new_generation_too(base_dir, backend):
    def source():
        yield from docs(3)
        backend.clear()
        backend.index([make_doc("Máy sấy cà phê", doc_id=99)])

    rebuild(base_dir, source())
    assert backend.versions("listing") == {99: "v1"}


def test_a_failed_rebuild_leaves_the_live_index_serving(base_dir, backend):
    backend.index(docs(2))
    live = read_current(base_dir)

    def broken():
        yield from docs(1, start=10)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        rebuild(base_dir, broken())
    assert read_current(base_dir) == live and generations(base_dir) == [live]
    assert not (base_dir / BUILDING).exists() and backend.count() == 2


def test_a_second_rebuild_at_the_same_time_is_refused(base_dir, backend):
    started, release = threading.Event(), threading.Event()
    errors = []

    def slow():
        started.set()
        release.wait(10)
        yield from docs(1)

    worker = threading.Thread(target=lambda: rebuild(base_dir, slow()))
    worker.start()
    started.wait(10)
    try:
        rebuild(base_dir, docs(1))
    except RebuildInProgress as error:
        errors.append(error)
    finally:
        release.set()
        worker.join(10)
    assert len(errors) == 1 and backend.count() == 1


def test_open_backend_after_a_rebuild_opens_the_current_generation(base_dir):
    rebuild(base_dir, docs(5))
    assert open_backend(base_dir).count() == 5
