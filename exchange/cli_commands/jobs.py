"""The background consumer: `exchange worker` runs queued and periodic tasks until stopped."""
from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from exchange.web.context import state


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True, help="số luồng xử lý")
@with_appcontext
def worker_command(workers: int) -> None:
    """Chạy hàng đợi công việc nền: gửi thư, thư tóm tắt hằng ngày, cập nhật gợi ý (dừng bằng Ctrl+C)."""
    queue = state().queue
    if queue.is_immediate:
        raise click.ClickException("EXCHANGE_QUEUE_URL=immediate chạy công việc ngay trong tiến trình gọi; "
                                   "không có hàng đợi để xử lý.")
    logging.getLogger("huey").setLevel(logging.INFO)
    logging.getLogger("exchange").setLevel(logging.INFO)
    click.echo(f"Đang xử lý hàng đợi ({workers} luồng); Ctrl+C để dừng.")
    queue.consumer(workers).run()


COMMANDS = (worker_command,)
