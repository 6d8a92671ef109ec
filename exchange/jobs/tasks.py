"""The tasks of the exchange, registered on a runtime's queue: mail, the digest, suggestion refreshes, expiry.

Each task reads what it needs from the database. Periodic tasks: the mail sweep and the
sweep of waiting suggestion refreshes (every minute), listing expiry (every hour, at minute
5) and the daily digest (EXCHANGE_DIGEST_HOUR, local time). Later features add their own
periodic jobs here (reminders); none is registered before it exists.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from huey import crontab

from exchange.brokering.pending import run_pending_refreshes
from exchange.listings.attachments import remove_files
from exchange.listings.expiry import EXPIRY_ACTOR, expire_listings
from exchange.notifications.delivery import deliver, deliver_due, write_digests

if TYPE_CHECKING:
    from exchange.runtime import Runtime

log = logging.getLogger(__name__)


def digest_time(hour: int, zone_name: str):  # type: ignore[no-untyped-def]
    """A huey schedule: true at minute 0 of the given local hour (huey passes naive UTC times)."""
    zone = ZoneInfo(zone_name)

    def is_due(moment: datetime) -> bool:
        local = moment.replace(tzinfo=timezone.utc).astimezone(zone)
        return local.hour == hour and local.minute == 0

    return is_due


def register_tasks(runtime: "Runtime") -> None:
    """Register every task on the runtime's queue, bound to the runtime."""
    _register_mail_tasks(runtime)
    _register_listing_tasks(runtime)


def _register_mail_tasks(runtime: "Runtime") -> None:
    huey = runtime.queue.huey

    @huey.task(name="send_mail")
    def send_mail(mail_id: int) -> bool:
        return deliver(runtime.mailer, mail_id)

    @huey.periodic_task(crontab(minute="*"), name="deliver_due_mail")
    def deliver_due_mail() -> int:
        return deliver_due(runtime.mailer)

    @huey.periodic_task(digest_time(runtime.config.digest_hour, runtime.config.timezone), name="send_digests")
    def send_digests() -> int:
        with runtime.session_factory.begin() as session:
            return write_digests(session)

    runtime.queue.tasks.update(send_mail=send_mail, deliver_due_mail=deliver_due_mail, send_digests=send_digests)


def _one_refresh_at_a_time(runtime: "Runtime") -> Callable[[], int]:
    """The suggestion refresh, never two at once in a worker: two refits writing the same suggestions
    would fight (on SQLite the second write fails). One that finds another running leaves the waiting
    rows to the next sweep (every minute); one that fails (another process won) rolls back and leaves
    them too."""
    refreshing = threading.Lock()

    def refresh() -> int:
        if not refreshing.acquire(blocking=False):
            log.info("a suggestion refresh is already running; the waiting rows stay for the next sweep")
            return 0
        try:
            return run_pending_refreshes(runtime.session_factory, runtime.models,
                                         runtime.config.suggestions_top_k, runtime.config.match_threshold).matches
        finally:
            refreshing.release()

    return refresh


def _register_listing_tasks(runtime: "Runtime") -> None:
    huey, refresh = runtime.queue.huey, _one_refresh_at_a_time(runtime)

    @huey.task(name="refresh_suggestions")
    def refresh_suggestions() -> int:
        return refresh()

    @huey.periodic_task(crontab(minute="*"), name="refresh_waiting_suggestions")
    def refresh_waiting_suggestions() -> int:
        return refresh()

    @huey.periodic_task(crontab(minute="5"), name="expire_listings")
    def expire_listings_task() -> int:
        with runtime.session_factory.begin() as session:
            report = expire_listings(session, actor=EXPIRY_ACTOR, timezone=runtime.config.timezone)
        return report.expired

    @huey.task(name="remove_files")
    def remove_files_task(names: list[str]) -> int:
        return remove_files(runtime.config.upload_dir, names)

    runtime.queue.tasks.update(refresh_suggestions=refresh_suggestions,
                               refresh_waiting_suggestions=refresh_waiting_suggestions,
                               expire_listings=expire_listings_task, remove_files=remove_files_task)
