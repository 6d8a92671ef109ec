"""Listings from the command line: import, reindex."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from exchange.cli_commands.common import read_only, resolve_actor, transaction
from exchange.listings.importing import ImportRejected, read_listing_file, tokenize_rows, validate_rows, write_rows
from exchange.listings.tokens import refresh_stale_tokens

PROGRESS_FROM = 300  # rows; smaller files finish before a bar is worth drawing


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr for long jobs (None for short ones)."""
    if total < PROGRESS_FROM:
        yield None
        return
    with tqdm(total=total, desc=label, unit="tin", file=click.get_text_stream("stderr")) as bar:
        yield lambda done: bar.update(done - bar.n)


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--publish", is_flag=True, help="công bố ngay (mặc định: chờ duyệt)")
@click.option("--source", default="import", show_default=True, help="tên nguồn; (nguồn, loại, ref) là duy nhất")
@click.option("--as", "actor_email", metavar="EMAIL", help="tài khoản thực hiện (ghi vào nhật ký)")
def import_command(file: Path, publish: bool, source: str, actor_email: str | None) -> None:
    """Nhập tin từ .jsonl / .csv / .xlsx — tất cả hoặc không gì cả."""
    try:
        rows = read_listing_file(file)
        with read_only() as session:
            resolve_actor(session, actor_email)
            prepared = validate_rows(session, rows)
            with progress_bar(len(prepared), "Tách từ") as progress:
                prepared = tokenize_rows(session, source, prepared, progress)
    except ImportRejected as exc:
        click.echo(exc.message, err=True)
        for line in exc.lines:
            click.echo(f"  {line}", err=True)
        raise SystemExit(1) from None
    with transaction() as session:
        report = write_rows(session, prepared, source=source, publish=publish,
                            actor=resolve_actor(session, actor_email))
    click.echo(f"Đã nhập {report.total} tin từ {file.name}: {report.created} mới, {report.updated} cập nhật, "
               f"{report.unchanged} không đổi.")
    rebuild_after_import()


def rebuild_after_import() -> None:
    """Hook for what must follow new listings (search index, suggestions)."""


def rebuild_everything() -> None:
    """Re-segment stale token caches, then rebuild what is built from them."""
    with transaction() as session:
        refreshed = refresh_stale_tokens(session)
    if refreshed:
        click.echo(f"Đã tách từ lại {refreshed} hồ sơ có bộ đệm từ cũ.")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Xây lại chỉ mục tìm kiếm và mô hình gợi ý từ cơ sở dữ liệu."""
    rebuild_everything()


COMMANDS = (import_command, reindex_command)
