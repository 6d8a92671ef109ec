"""The rebuild journal: live changes made while a new generation is being built.

Writers append under the write lock; the rebuild replays the journal under the
same lock right before it switches CURRENT, so no change made during the build
is lost. Entries are JSON lines: {"op": "index", "fields": {...}},
{"op": "delete", "keys": [...]} or {"op": "clear"}.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

JOURNAL = "journal.jsonl"


def journal_path(generation_dir: Path) -> Path:
    """Where the journal of a generation being built lives."""
    return Path(generation_dir) / JOURNAL


def append(generation_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Append entries durably (the caller holds the write lock)."""
    if not entries or not Path(generation_dir).is_dir():
        return
    data = "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
    with open(journal_path(generation_dir), "a", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def entries(generation_dir: Path) -> Iterator[dict[str, Any]]:
    """The journal's entries in order (none when there is no journal)."""
    try:
        handle = open(journal_path(generation_dir), encoding="utf-8")
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
