"""Open the live index, and rebuild it into a new generation without losing live changes.

A rebuild fills ``generations/<new>/`` while the old generation keeps serving.
``BUILDING`` tells live writers to also append their changes to the new
generation's journal; under the write lock the rebuild replays that journal,
points CURRENT at the new generation and deletes the old ones.
"""
from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as whoosh_index

from exchange.search import journal
from exchange.search.backend import SearchDocument
from exchange.search.documents import make_schema, to_fields
from exchange.search.generations import (BUILDING, CURRENT, generation_dir, new_generation_id, read_current,
                                         rebuild_lock, remove_generations, remove_pointer, write_lock,
                                         write_pointer)
from exchange.search.whoosh_backend import DEFAULT_WRITER_TIMEOUT, WhooshBackend
from exchange.search.writing import apply_entries

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500


def _create_generation(base_dir: Path) -> tuple[str, object]:
    """A new, empty generation folder with the schema."""
    generation = new_generation_id()
    path = generation_dir(base_dir, generation)
    path.mkdir(parents=True)
    return generation, whoosh_index.create_in(str(path), make_schema())


def open_backend(base_dir: Path | str, *, writer_timeout: float = DEFAULT_WRITER_TIMEOUT) -> WhooshBackend:
    """The backend of the index under base_dir; an empty index is created if there is none."""
    base = Path(base_dir)
    base.mkdir(parents=True, exist_ok=True)
    with write_lock(base, writer_timeout):
        if read_current(base) is None:
            generation, ix = _create_generation(base)
            ix.close()
            write_pointer(base, CURRENT, generation)
            logger.info("empty search index %s created under %s", generation, base)
    return WhooshBackend(base, writer_timeout=writer_timeout)


def _bulk_index(ix, docs: Iterable[SearchDocument], progress: Callable[[int], None] | None,
                procs: int) -> int:
    """Add every document with one writer and one commit; report progress every few hundred."""
    options = {"procs": procs, "limitmb": 256, "multisegment": True} if procs > 1 else {"limitmb": 256}
    writer = ix.writer(**options)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**to_fields(doc))
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if progress is not None:
        progress(count)
    return count


def _switch(base: Path, generation: str, ix, timeout: float) -> None:
    """Replay the journal into the new generation, then make it CURRENT."""
    path = generation_dir(base, generation)
    with write_lock(base, timeout):
        entries = list(journal.entries(path))
        apply_entries(ix, entries, timeout)
        if entries:
            logger.info("replayed %d changes made during the rebuild", len(entries))
        journal.journal_path(path).unlink(missing_ok=True)
        write_pointer(base, CURRENT, generation)
        remove_pointer(base, BUILDING)


def _abandon(base: Path, generation: str, timeout: float) -> None:
    """Forget a failed build: no more journaling into it, folder removed."""
    with write_lock(base, timeout):
        if journal_target(base) == generation:
            remove_pointer(base, BUILDING)
    shutil.rmtree(generation_dir(base, generation), ignore_errors=True)


def journal_target(base: Path) -> str | None:
    """The generation named by BUILDING, if any."""
    try:
        return (base / BUILDING).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def rebuild(base_dir: Path | str, docs: Iterable[SearchDocument], progress: Callable[[int], None] | None = None,
            *, writer_timeout: float = DEFAULT_WRITER_TIMEOUT, procs: int = 1) -> str:
    """Build a new generation from docs, replay changes made meanwhile, switch; return its name."""
    base = Path(base_dir)
    base.mkdir(parents=True, exist_ok=True)
    with rebuild_lock(base):
        generation, ix = _create_generation(base)
        with write_lock(base, writer_timeout):
            write_pointer(base, BUILDING, generation)
        try:
            count = _bulk_index(ix, docs, progress, procs)
            _switch(base, generation, ix, writer_timeout)
        except BaseException:
            _abandon(base, generation, writer_timeout)
            raise
        finally:
            ix.close()
        removed = remove_generations(base, keep={generation})
    logger.info("search index rebuilt: generation %s, %d documents (pid %d); removed %s",
                generation, count, os.getpid(), removed)
    return generation
