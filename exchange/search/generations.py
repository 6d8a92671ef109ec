"""Index generations on disk: ``generations/<id>/``, the ``CURRENT`` pointer and locks.

``CURRENT`` names the live generation and is replaced atomically (os.replace),
so a reader sees either the old or the new name, never a half-written one.
While a rebuild runs, ``BUILDING`` names the generation being built.
"""
from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from exchange.search.backend import IndexBusy, RebuildInProgress, SearchUnavailable

logger = logging.getLogger(__name__)

CURRENT = "CURRENT"
BUILDING = "BUILDING"
GENERATIONS = "generations"
WRITE_LOCK = ".write.lock"
REBUILD_LOCK = ".rebuild.lock"


def new_generation_id() -> str:
    """A sortable, unique generation name: UTC time plus random hex."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def generation_dir(base_dir: Path, generation: str) -> Path:
    """The folder of one generation."""
    return Path(base_dir) / GENERATIONS / generation


def _read_pointer(path: Path) -> str | None:
    """The generation named in a pointer file, or None when it does not exist."""
    try:
        name = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SearchUnavailable(f"cannot read {path}: {error}") from error
    return name or None


def read_current(base_dir: Path) -> str | None:
    """The live generation, or None when no index was ever created."""
    return _read_pointer(Path(base_dir) / CURRENT)


def read_building(base_dir: Path) -> str | None:
    """The generation a running rebuild is filling, if any."""
    return _read_pointer(Path(base_dir) / BUILDING)


def write_pointer(base_dir: Path, name: str, generation: str) -> None:
    """Atomically point CURRENT (or BUILDING) at a generation."""
    base = Path(base_dir)
    tmp = base / f".{name}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, base / name)
    _fsync_dir(base)


def remove_pointer(base_dir: Path, name: str) -> None:
    """Remove a pointer file if it exists."""
    try:
        os.unlink(Path(base_dir) / name)
    except FileNotFoundError:
        pass


def _fsync_dir(path: Path) -> None:
    """Make a rename in a folder durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_generations(base_dir: Path, keep: set[str]) -> list[str]:
    """Delete every generation folder not in keep; return the names deleted."""
    root = Path(base_dir) / GENERATIONS
    removed = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


@contextmanager
def _flock(path: Path, timeout: float | None, error: type[Exception]) -> Iterator[None]:
    """Hold an exclusive flock on path; poll until timeout (None: fail at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh file description per call, so threads of one process exclude each other too.
    handle = open(path, "a+")
    deadline = time.monotonic() + (timeout or 0)
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise error(f"{path} is locked") from None
                time.sleep(0.01)
        yield
    finally:
        handle.close()


def write_lock(base_dir: Path, timeout: float) -> Iterator[None]:
    """Serializes live writes with the journal and the switch of CURRENT."""
    return _flock(Path(base_dir) / WRITE_LOCK, timeout, IndexBusy)


def rebuild_lock(base_dir: Path) -> Iterator[None]:
    """Only one rebuild per index folder at a time; a second one fails at once."""
    return _flock(Path(base_dir) / REBUILD_LOCK, None, RebuildInProgress)
