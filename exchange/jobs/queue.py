"""The task queue of one runtime: huey on SQLite in the instance folder, Redis in production, or immediate.

Tasks carry ids, never objects: huey pickles its payloads, and what a task works on is
read again from the database when it runs. Results are not stored: what a task did is in
the database, and huey would otherwise keep one result per mail forever.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)
QUEUE_NAME = "exchange"


def make_huey(queue_url: str | None, instance_dir: Path, name: str = QUEUE_NAME) -> Huey:
    """The huey instance a queue URL names ('immediate' runs each task in the calling process at once).

    A Redis URL may carry `?name=…`: the prefix of the queue's keys, so that several exchanges (or
    tests) share one Redis server without seeing each other's tasks.
    """
    if queue_url == "immediate":
        return MemoryHuey(name, immediate=True, results=False)
    if queue_url and queue_url.startswith(("redis://", "rediss://", "unix://")):
        parts = urlsplit(queue_url)
        query = parse_qs(parts.query)
        name = query.pop("name", [name])[0]
        url = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
        return RedisHuey(name, url=url, results=False)
    if queue_url:
        raise ValueError(f"EXCHANGE_QUEUE_URL: expected redis://…, rediss://…, unix://… or 'immediate', "
                         f"not {queue_url!r}")
    instance_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(instance_dir / "queue.db"), results=False)


class JobQueue:
    """A huey instance and the tasks registered on it, by name."""

    def __init__(self, huey: Huey):
        self.huey = huey
        self.tasks: dict[str, Any] = {}

    def enqueue(self, name: str, *args: Any) -> None:
        """Queue a registered task (in immediate mode it runs now, in this process)."""
        self.tasks[name](*args)

    @property
    def is_immediate(self) -> bool:
        """Whether tasks run at once in the caller (tests)."""
        return bool(self.huey.immediate)

    def consumer(self, workers: int = 2):  # type: ignore[no-untyped-def]
        """A consumer that runs queued and periodic tasks in threads (`exchange worker`)."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                         check_worker_health=True)
