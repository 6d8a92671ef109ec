"""A real `exchange worker` consumes the queue: a mail committed here is sent by the worker process.

Twice: on huey's SQLite storage in the instance folder (the default) and on Redis under a key
prefix of the test's own (`?name=` in the queue URL), deleted afterwards.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.config import Config
from exchange.models import MailStatus, OutgoingMail
from exchange.notifications.outbox import queue_mail
from exchange.runtime import Runtime, build_runtime

ROOT = Path(__file__).parents[2]
REDIS_URL = os.environ.get("EXCHANGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEADLINE_SECONDS = 60
WORKER = [sys.executable, "-c", "from exchange.cli import main; main()", "worker", "--workers", "1"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _settings(database_url: str, instance: Path, queue_url: str | None) -> dict[str, str]:
    values = {"ENV": "test", "DATABASE_URL": database_url, "INSTANCE_DIR": str(instance)}
    return values | ({"QUEUE_URL": queue_url} if queue_url else {})


@contextmanager
def running_worker(settings: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`exchange worker` in a subprocess with exactly these EXCHANGE_* settings; stopped with Ctrl+C afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    env |= {f"EXCHANGE_{name}": value for name, value in settings.items()}
    with log.open("wb") as out:
        worker = subprocess.Popen(WORKER, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@contextmanager
def runtime_like_the_worker(settings: dict[str, str]) -> Iterator[Runtime]:
    """This process's runtime on the same database and queue as the worker."""
    runtime = build_runtime(Config.from_env(environ={}, **settings))
    try:
        yield runtime
    finally:
        runtime.close()


def commit_a_mail(runtime: Runtime) -> int:
    """Commit an outbox row; the runtime's JobSync queues its send_mail task after the commit."""
    with runtime.session_factory.begin() as session:
        return queue_mail(session, to="nhan@thu.vn", kind="password_reset",
                          params={"link": "/dat-lai-mat-khau/thu"}).id


def wait_until_sent(runtime: Runtime, worker: subprocess.Popen, mail_id: int, log: Path) -> Path:
    """Poll until the worker wrote the .eml, recorded the row sent and emptied the queue; fail at the deadline."""
    eml = runtime.config.mail_dir / f"mail-{mail_id:06d}.eml"
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped (exit {worker.returncode}):\n{log.read_text(errors='replace')}")
        with runtime.session_factory() as session:
            status = session.scalar(select(OutgoingMail.status).where(OutgoingMail.id == mail_id))
        if eml.exists() and status is MailStatus.sent and runtime.queue.huey.pending_count() == 0:
            return eml
        time.sleep(0.2)
    pytest.fail(f"mail {mail_id} not sent within {DEADLINE_SECONDS} s (status {status}, .eml {eml.exists()}):\n"
                f"{log.read_text(errors='replace')}")


def _check_worker_sends_a_committed_mail(settings: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    with runtime_like_the_worker(settings) as runtime, running_worker(settings, log) as worker:
        assert runtime.queue.is_immediate is False
        mail_id = commit_a_mail(runtime)
        eml = wait_until_sent(runtime, worker, mail_id, log)
    assert b"nhan@thu.vn" in eml.read_bytes()
    output = log.read_text(errors="replace")
    assert "Executing exchange.jobs.tasks.send_mail" in output and f"mail {mail_id} " in output


def test_the_worker_sends_a_committed_mail_from_the_sqlite_queue(committed, database_url, tmp_path):
    settings = _settings(database_url, tmp_path / "instance", None)
    _check_worker_sends_a_committed_mail(settings, tmp_path)


@pytest.fixture
def redis_queue_url() -> Iterator[str]:
    """A Redis queue URL whose huey name (the key prefix) belongs to this test; its keys are deleted afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        if _in_ci():
            pytest.fail(f"Redis is required in CI but unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    name = f"exchange_test_{uuid.uuid4().hex[:12]}"  # huey keeps only [A-Za-z0-9_] of a name
    try:
        yield f"{REDIS_URL}?name={name}"
    finally:
        for key in client.scan_iter(f"*{name}*"):
            client.delete(key)
        client.close()


def test_the_worker_sends_a_committed_mail_from_the_redis_queue(committed, database_url, tmp_path, redis_queue_url):
    settings = _settings(database_url, tmp_path / "instance", redis_queue_url)
    _check_worker_sends_a_committed_mail(settings, tmp_path)
    assert not (tmp_path / "instance" / "queue.db").exists()
