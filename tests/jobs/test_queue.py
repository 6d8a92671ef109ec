"""The task queue: which huey a URL names, jobs that follow commits (never rollbacks), the digest schedule."""
from __future__ import annotations

import logging
from datetime import datetime

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from exchange.config import Config
from exchange.jobs.hooks import JobSync, after_commit, pending_jobs
from exchange.jobs.queue import QUEUE_NAME, JobQueue, make_huey
from exchange.jobs.tasks import digest_time
from exchange.models import MailStatus, OutgoingMail
from exchange.notifications.outbox import queue_mail
from exchange.runtime import build_runtime


class Recorder:
    """A fake Enqueuer: remembers each job handed to it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []

    def enqueue(self, name: str, *args) -> None:  # type: ignore[no-untyped-def]
        self.calls.append((name, args))


class Broken:
    """An Enqueuer whose queue is down."""

    def enqueue(self, name: str, *args) -> None:  # type: ignore[no-untyped-def]
        raise ConnectionError("hàng đợi không trả lời")


# --- make_huey ------------------------------------------------------------------------------------------

def test_immediate_runs_a_task_at_once_in_the_caller(tmp_path):
    huey = make_huey("immediate", tmp_path)
    done: list[int] = []

    @huey.task()
    def remember(value: int) -> None:
        done.append(value)

    remember(7)
    assert isinstance(huey, MemoryHuey) and huey.immediate and done == [7]
    assert JobQueue(huey).is_immediate


def test_without_a_url_the_queue_is_sqlite_in_the_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    huey = make_huey(None, instance)
    assert isinstance(huey, SqliteHuey) and not huey.immediate and huey.name == QUEUE_NAME
    assert huey.storage.filename == str(instance / "queue.db")
    assert (instance / "queue.db").exists()
    assert JobQueue(huey).is_immediate is False


def test_a_redis_url_gives_redis_with_the_default_name(tmp_path):
    huey = make_huey("redis://127.0.0.1:6379/0", tmp_path)
    assert isinstance(huey, RedisHuey) and huey.name == QUEUE_NAME
    assert huey.storage.queue_key == f"huey.redis.{QUEUE_NAME}"


def test_a_name_in_the_redis_url_becomes_the_key_prefix_and_leaves_the_connection_settings(tmp_path):
    huey = make_huey("redis://127.0.0.1:6379/3?name=exchange_thu&socket_timeout=5", tmp_path)
    assert huey.name == "exchange_thu" and huey.storage.queue_key == "huey.redis.exchange_thu"
    kwargs = huey.storage.pool.connection_kwargs
    assert kwargs["db"] == 3 and kwargs["socket_timeout"] == 5.0 and "name" not in kwargs


@pytest.mark.parametrize("url", ["amqp://127.0.0.1:5672", "sqlite:///queue.db", "redis", "memory", "Immediate"])
def test_an_unknown_queue_url_is_refused(tmp_path, url):
    with pytest.raises(ValueError, match="EXCHANGE_QUEUE_URL"):
        make_huey(url, tmp_path)


def test_a_job_queue_runs_a_registered_task_by_name(tmp_path):
    queue = JobQueue(make_huey("immediate", tmp_path))
    done: list[tuple] = []

    @queue.huey.task(name="remember")
    def remember(*args) -> None:  # type: ignore[no-untyped-def]
        done.append(args)

    queue.tasks["remember"] = remember
    queue.enqueue("remember", 1, "hai")
    assert done == [(1, "hai")]


# --- jobs follow commits -------------------------------------------------------------------------------

@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def sessions(engine, recorder):
    """Sessions on the backend under test whose commits hand jobs to the recorder (they write no rows)."""
    factory = sessionmaker(bind=engine)
    JobSync(recorder).install(factory)
    return factory


def _touch(session) -> None:  # type: ignore[no-untyped-def]
    session.execute(text("SELECT 1"))


def test_a_job_asked_for_in_a_transaction_runs_only_after_the_commit(sessions, recorder):
    with sessions() as session:
        _touch(session)
        after_commit(session, "send_mail", 5)
        session.flush()
        assert recorder.calls == [] and pending_jobs(session) == [("send_mail", (5,))]
        session.commit()
        assert recorder.calls == [("send_mail", (5,))] and pending_jobs(session) == []


def test_a_rolled_back_transaction_enqueues_nothing_then_or_later(sessions, recorder):
    with sessions() as session:
        _touch(session)
        after_commit(session, "send_mail", 5)
        session.rollback()
        _touch(session)
        after_commit(session, "send_mail", 6)
        session.commit()
    assert recorder.calls == [("send_mail", (6,))]


def test_a_session_closed_without_commit_enqueues_nothing_when_used_again(sessions, recorder):
    session = sessions()
    _touch(session)
    after_commit(session, "send_mail", 5)
    session.close()
    _touch(session)
    session.commit()
    session.close()
    assert recorder.calls == []


def test_a_begin_block_that_raises_enqueues_nothing(sessions, recorder):
    with pytest.raises(RuntimeError), sessions.begin() as session:
        _touch(session)
        after_commit(session, "send_mail", 5)
        raise RuntimeError("lỗi giữa chừng")
    assert recorder.calls == []


def test_each_commit_enqueues_its_own_jobs_once_in_order(sessions, recorder):
    with sessions() as session:
        _touch(session)
        after_commit(session, "send_mail", 1)
        after_commit(session, "refresh_suggestions", [3, 4])
        after_commit(session, "send_mail", 1)
        session.commit()
        _touch(session)
        after_commit(session, "send_mail", 2)
        session.commit()
    assert recorder.calls == [("send_mail", (1,)), ("refresh_suggestions", ([3, 4],)), ("send_mail", (2,))]


def test_a_queue_that_is_down_does_not_undo_the_commit(engine, caplog):
    factory = sessionmaker(bind=engine)
    JobSync(Broken()).install(factory)
    with caplog.at_level(logging.ERROR, logger="exchange.jobs.hooks"), factory() as session:
        _touch(session)
        after_commit(session, "send_mail", 5)
        session.commit()
    assert "could not enqueue send_mail(5,)" in caplog.text


# --- a runtime on huey's SQLite storage (consumed here by hand, as the worker does) -------------------------

@pytest.fixture
def queued_runtime(committed, database_url, tmp_path):
    """A runtime with the default queue (SQLite in the instance folder), as `exchange worker` builds it."""
    runtime = build_runtime(Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url,
                                            INSTANCE_DIR=str(tmp_path)))
    yield runtime
    runtime.close()


def _commit_mail(runtime) -> int:  # type: ignore[no-untyped-def]
    with runtime.session_factory.begin() as session:
        return queue_mail(session, to="nhan@thu.vn", kind="password_reset", params={"link": "/dat-lai-mat-khau/x"}).id


def test_a_committed_mail_puts_one_send_task_on_the_queue(queued_runtime):
    huey = queued_runtime.queue.huey
    mail_id = _commit_mail(queued_runtime)
    assert huey.pending_count() == 1
    [task] = huey.pending()
    assert (task.name, task.args) == ("send_mail", (mail_id,))


def test_a_rolled_back_mail_puts_nothing_on_the_queue(queued_runtime):
    with queued_runtime.session_factory() as session:
        queue_mail(session, to="nhan@thu.vn", kind="password_reset", params={})
        session.rollback()
    assert queued_runtime.queue.huey.pending_count() == 0


def test_running_the_queued_task_sends_the_mail_and_leaves_nothing_in_the_queue_storage(queued_runtime):
    huey = queued_runtime.queue.huey
    mail_id = _commit_mail(queued_runtime)
    huey.execute(huey.dequeue())
    assert (queued_runtime.config.mail_dir / f"mail-{mail_id:06d}.eml").exists()
    with queued_runtime.session_factory() as session:
        assert session.get(OutgoingMail, mail_id).status is MailStatus.sent
    # Nobody reads a task's return value: a result kept per mail would grow the storage forever.
    assert (huey.pending_count(), huey.scheduled_count(), huey.result_count()) == (0, 0, 0)


# --- the digest schedule ----------------------------------------------------------------------------------

@pytest.mark.parametrize("moment,is_due", [
    (datetime(2025, 3, 4, 0, 0), True),      # 07:00 in Hồ Chí Minh City
    (datetime(2025, 3, 4, 7, 0), False),     # 14:00 there
    (datetime(2025, 3, 4, 0, 1), False),     # 07:01: once a day, at minute 0
    (datetime(2025, 3, 3, 23, 0), False),    # 06:00
])
def test_the_digest_is_due_at_its_local_hour(moment, is_due):
    assert digest_time(7, "Asia/Ho_Chi_Minh")(moment) is is_due


def test_the_digest_hour_follows_the_configured_zone():
    assert digest_time(7, "UTC")(datetime(2025, 3, 4, 7, 0)) is True
    assert digest_time(7, "UTC")(datetime(2025, 3, 4, 0, 0)) is False
